"""Forms of the caseworker's pages.

Forms parse and type what was sent; the services decide. Whatever a service
refuses (``InvalidInput``) is put back on the field it names with
``CaseForm.add_service_errors``, so every message is shown beside its field.
Field names are the services' own (``ObservationIn``, ``HouseholdIn``,
``ChildIn``, the keyword arguments of the actions).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from django import forms
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from himaya.accounts.models import Organisation, ServiceType, User
from himaya.cases import workflow
from himaya.cases.models import (
    SECTOR_CHOICES,
    CaseStatus,
    ClosureReason,
    RiskLevel,
    Sex,
    Verdict,
)
from himaya.cases.selectors import CaseFilters, communes_within
from himaya.cases.services import ChildIn, HouseholdIn, ObservationIn
from himaya.geography import selectors as geography
from himaya.geography.models import Commune, Province, Region
from himaya_rules.codes import HAZARDS, WORST_FORMS

Label = str | Promise

#: What each hazard code of the rules engine means (himaya_rules.codes.HAZARDS).
HAZARD_LABELS: dict[str, Label] = {
    "abuse": _("Physical, psychological or sexual abuse"),
    "underground": _("Work underground"),
    "underwater": _("Work under water"),
    "heights": _("Work at dangerous heights"),
    "confined_space": _("Work in confined spaces"),
    "dangerous_machinery": _("Dangerous machinery, equipment or tools"),
    "sharp_tools": _("Sharp tools"),
    "heavy_loads": _("Carrying heavy loads"),
    "pesticides_chemicals": _("Pesticides or hazardous chemicals"),
    "dust_fumes": _("Dust, fumes or gases"),
    "extreme_temperature": _("Extreme temperatures"),
    "noise_vibration": _("Noise or vibration"),
    "fire_gas_explosives": _("Fire, gas or explosives"),
    "radiation": _("Radiation"),
    "long_hours": _("Long hours of work"),
    "confined_to_premises": _("Kept on the employer's premises"),
}
#: What each worst-form code means (himaya_rules.codes.WORST_FORMS; ILO C182 art. 3).
WORST_FORM_LABELS: dict[str, Label] = {
    "trafficking": _("Trafficking"),
    "forced_labour": _("Forced labour"),
    "debt_bondage": _("Debt bondage"),
    "sexual_exploitation": _("Commercial sexual exploitation"),
    "illicit_activities": _("Illicit activities (such as drug trafficking)"),
    "armed_recruitment": _("Recruitment for armed conflict"),
}
HAZARD_CHOICES = [(code, HAZARD_LABELS[code]) for code in HAZARDS]
WORST_FORM_CHOICES = [(code, WORST_FORM_LABELS[code]) for code in WORST_FORMS]

CHOOSE = _("Choose…")
ALL = _("All")

YES, NO = "yes", "no"


def _yes_no(value: str) -> bool | None:
    return {YES: True, NO: False}.get(value)


# --- Widgets ---------------------------------------------------------------------


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"dir": "ltr", **(attrs or {})}, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"dir": "ltr", **(attrs or {})}, format="%H:%M")


def _hours_input() -> forms.NumberInput:
    return forms.NumberInput(attrs={"step": "0.5", "min": "0", "inputmode": "decimal"})


def code_input(**attrs: str) -> forms.TextInput:
    """Identifiers: left to right in every language, no autocompletion."""
    return forms.TextInput(
        attrs={"dir": "ltr", "autocomplete": "off", "spellcheck": "false", **attrs}
    )


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


# --- Base ------------------------------------------------------------------------------


class CaseForm(forms.Form):
    """A form of these pages: takes back the services' errors."""

    def add_service_errors(self, errors: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
        """Put each message on the field it names; return those this form has no field for."""
        if not hasattr(self, "cleaned_data"):
            self.full_clean()
        rest: dict[str, list[str]] = {}
        for name, messages in errors.items():
            if name in self.fields:
                for message in messages:
                    if message not in self.errors.get(name, []):
                        self.add_error(name, message)
            else:
                rest[name] = list(messages)
        return rest

    def submitted_values(self) -> dict[str, Any]:
        """What was sent, per field, as initial values (to show a form again without errors)."""
        files: Mapping[str, Any] = {}
        return {
            name: field.widget.value_from_datadict(self.data, files, self.add_prefix(name))
            for name, field in self.fields.items()
        }


F = TypeVar("F", bound=CaseForm)


def resubmitted(form: F, **kwargs: Any) -> F:
    """The same form, unbound, showing what was sent: no error messages yet."""
    return type(form)(initial=form.submitted_values(), prefix=form.prefix, **kwargs)


# --- Territory: the region, province and commune selects ----------------------------


@dataclass
class TerritoryOptions:
    """The regions, provinces and communes a user may choose, and what is chosen.

    Only the user's territory is offered: a provincial social worker sees one
    region and one province, and the communes of that province.
    """

    regions: list[Region]
    provinces: list[Province]
    communes: list[Commune]
    region: str = ""
    province: str = ""
    commune: str = ""


def territory_options(
    user: User, *, region: str = "", province: str = "", commune: str = ""
) -> TerritoryOptions:
    code = user.territory_code
    territory = geography.territory_get(code) if code else None
    if code and territory is None:
        return TerritoryOptions([], [], [])
    if isinstance(territory, Commune):
        return TerritoryOptions(
            list(geography.region_list().filter(code=territory.region_id)),
            list(geography.province_list().filter(code=territory.province_id)),
            [territory],
            territory.region_id,
            territory.province_id,
            territory.code,
        )
    if isinstance(territory, Province):
        regions = list(geography.region_list().filter(code=territory.region_id))
        provinces = [territory]
        region, province = territory.region_id, territory.code
    else:
        if isinstance(territory, Region):
            regions = [territory]
            region = territory.code
        else:  # the whole country
            regions = list(geography.region_list())
            region = region if region in {r.code for r in regions} else ""
        provinces = list(geography.province_list(region)) if region else []
        province = province if province in {p.code for p in provinces} else ""
    communes = list(geography.commune_list(province)) if province else []
    commune = commune if commune in {c.code for c in communes} else ""
    return TerritoryOptions(regions, provinces, communes, region, province, commune)


def _options(
    units: Iterable[Region | Province | Commune], empty: Label | None
) -> list[tuple[str, Label]]:
    head: list[tuple[str, Label]] = [("", empty)] if empty is not None else []
    return head + [(unit.code, unit.name) for unit in units]


class TerritoryFields(CaseForm):
    """Chained selects region → province → commune, refreshed by the geography app's
    HTMX endpoints; without JavaScript, a "refresh" button sends the form back."""

    #: The first option of each select ("All" in filters, "Choose…" elsewhere).
    empty_label: Label = CHOOSE

    def _territory_widgets(self) -> None:
        province_id, commune_id = self["province"].auto_id, self["commune"].auto_id
        self.fields["region"].widget = forms.Select(
            attrs={
                "hx-get": reverse_lazy("geography:provinces"),
                "hx-target": f"#{province_id}",
                "hx-trigger": "change",
                "hx-push-url": "false",
            }
        )
        self.fields["province"].widget = forms.Select(
            attrs={
                "hx-get": reverse_lazy("geography:communes"),
                "hx-target": f"#{commune_id}",
                # Also when the region changed and the provinces were replaced.
                "hx-trigger": "change, htmx:afterSwap",
                "hx-push-url": "false",
            }
        )

    def _territory_choices(self, user: User) -> TerritoryOptions:
        source: Mapping[str, Any] = self.data if self.is_bound else self.initial

        def sent(name: str) -> str:
            key = self.add_prefix(name) if self.is_bound else name
            value = source.get(key) or ""
            return value if isinstance(value, str) else ""

        options = territory_options(
            user, region=sent("region"), province=sent("province"), commune=sent("commune")
        )
        fixed = len(options.regions) == 1
        self.fields["region"].widget.choices = _options(
            options.regions, None if fixed else self.empty_label
        )
        fixed = len(options.provinces) == 1 and bool(options.province)
        self.fields["province"].widget.choices = _options(
            options.provinces, None if fixed else self.empty_label
        )
        fixed = len(options.communes) == 1 and bool(options.commune)
        self.fields["commune"].widget.choices = _options(
            options.communes, None if fixed else self.empty_label
        )
        if not self.is_bound:
            self.initial.setdefault("region", options.region)
            self.initial.setdefault("province", options.province)
            if options.commune:
                self.initial.setdefault("commune", options.commune)
        self.territory = options
        return options


# --- Identification ------------------------------------------------------------------


class HouseholdForm(TerritoryFields):
    region = forms.CharField(label=_("Region"), required=False)
    province = forms.CharField(label=_("Province or prefecture"), required=False)
    commune = forms.CharField(label=_("Commune"))
    address = forms.CharField(label=_("Address"), required=False, max_length=300)
    guardian_name = forms.CharField(label=_("Guardian's name"), max_length=200)
    guardian_phone = forms.CharField(
        label=_("Guardian's phone"),
        required=False,
        max_length=20,
        widget=code_input(type="tel", inputmode="tel"),
        help_text=_("Digits only, e.g. 0612345678."),
    )
    guardian_cnie = forms.CharField(
        label=_("Guardian's CNIE number"),
        required=False,
        max_length=10,
        widget=code_input(),
        help_text=_("One or two letters followed by digits, e.g. BE123456."),
    )
    rsu_number = forms.CharField(
        label=_("RSU social registry number"),
        required=False,
        max_length=20,
        widget=code_input(inputmode="numeric"),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._territory_widgets()
        self.fields["commune"].widget = forms.Select()
        self._territory_choices(user)

    def clean_commune(self) -> str:
        commune: str = self.cleaned_data["commune"]
        if commune not in {c.code for c in self.territory.communes}:
            raise forms.ValidationError(_("Choose a commune of your territory."), code="invalid")
        return commune

    def to_household(self) -> HouseholdIn:
        data = self.cleaned_data
        return HouseholdIn(
            commune=data["commune"],
            guardian_name=data["guardian_name"],
            address=data["address"],
            guardian_phone=data["guardian_phone"],
            guardian_cnie=data["guardian_cnie"],
            rsu_number=data["rsu_number"],
        )


def _arabic_input() -> forms.TextInput:
    return forms.TextInput(attrs={"dir": "rtl", "lang": "ar", "autocomplete": "off"})


def _latin_input() -> forms.TextInput:
    return forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"})


class ChildForm(CaseForm):
    first_name_ar = forms.CharField(
        label=_("First name (Arabic script)"), max_length=100, widget=_arabic_input()
    )
    family_name_ar = forms.CharField(
        label=_("Family name (Arabic script)"), max_length=100, widget=_arabic_input()
    )
    first_name_latin = forms.CharField(
        label=_("First name (Latin script)"), max_length=100, widget=_latin_input()
    )
    family_name_latin = forms.CharField(
        label=_("Family name (Latin script)"), max_length=100, widget=_latin_input()
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect)
    birth_date = forms.DateField(label=_("Birth date"), widget=DateInput())
    birth_date_estimated = forms.BooleanField(
        label=_("The birth date is estimated"), required=False
    )
    massar_code = forms.CharField(
        label=_("Massar student code"),
        required=False,
        max_length=10,
        widget=code_input(),
        help_text=_("One letter followed by nine digits, e.g. J130012345."),
    )

    def to_child(self) -> ChildIn:
        data = self.cleaned_data
        return ChildIn(
            first_name_ar=data["first_name_ar"],
            family_name_ar=data["family_name_ar"],
            first_name_latin=data["first_name_latin"],
            family_name_latin=data["family_name_latin"],
            sex=data["sex"],
            birth_date=data["birth_date"],
            birth_date_estimated=data["birth_date_estimated"],
            massar_code=data["massar_code"],
        )

    def facts(self) -> tuple[date | None, bool, str]:
        """Birth date, estimated?, sex: what the classification needs, as far as valid."""
        if not hasattr(self, "cleaned_data"):
            self.full_clean()
        data = self.cleaned_data
        return data.get("birth_date"), bool(data.get("birth_date_estimated")), data.get("sex", "")


class ObservationForm(CaseForm):
    """An observation: at identification, or at a follow-up visit (``follow_up=True``)."""

    observed_on = forms.DateField(label=_("Date of the visit"), widget=DateInput())
    place = forms.CharField(label=_("Place of work"), required=False, max_length=200)
    age_reported = forms.IntegerField(
        label=_("Age reported"),
        required=False,
        min_value=0,
        max_value=30,
        help_text=_("Only when the birth date is not known for sure."),
    )
    economic_hours_week = forms.FloatField(
        label=_("Hours of economic work per week"),
        required=False,
        min_value=0,
        max_value=168,
        widget=_hours_input(),
    )
    chores_hours_week = forms.FloatField(
        label=_("Hours of household chores per week"),
        required=False,
        min_value=0,
        max_value=168,
        widget=_hours_input(),
    )
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("Not known")), *SECTOR_CHOICES]
    )
    domestic_worker = forms.BooleanField(
        label=_("Domestic worker in another household"), required=False
    )
    usual_start = forms.TimeField(
        label=_("Usual start of work"), required=False, widget=TimeInput()
    )
    usual_end = forms.TimeField(label=_("Usual end of work"), required=False, widget=TimeInput())
    night_work = forms.BooleanField(label=_("Works at night"), required=False)
    hazards = forms.MultipleChoiceField(
        label=_("Hazards observed"),
        required=False,
        choices=HAZARD_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    worst_forms = forms.MultipleChoiceField(
        label=_("Worst forms of child labour observed"),
        required=False,
        choices=WORST_FORM_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    guardian_authorisation = forms.BooleanField(
        label=_("The guardian gave a written authorisation"), required=False
    )
    apprenticeship = forms.BooleanField(label=_("Apprenticeship contract"), required=False)
    in_school_or_training = forms.ChoiceField(
        label=_("In school or training"),
        required=False,
        choices=[("", _("Not known")), (YES, _("Yes")), (NO, _("No"))],
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=_textarea(4))

    def __init__(self, *args: Any, follow_up: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if follow_up:
            field = self.fields["in_school_or_training"]
            field.required = True
            field.choices = [(YES, _("Yes")), (NO, _("No"))]  # type: ignore[attr-defined]

    def to_observation(self) -> ObservationIn:
        data = self.cleaned_data
        return ObservationIn(
            observed_on=data["observed_on"],
            place=data["place"],
            age_reported=data["age_reported"],
            economic_hours_week=data["economic_hours_week"],
            chores_hours_week=data["chores_hours_week"],
            sector=data["sector"],
            domestic_worker=data["domestic_worker"],
            usual_start=data["usual_start"],
            usual_end=data["usual_end"],
            night_work=data["night_work"],
            hazards=list(data["hazards"]),
            worst_forms=list(data["worst_forms"]),
            guardian_authorisation=data["guardian_authorisation"],
            apprenticeship=data["apprenticeship"],
            in_school_or_training=_yes_no(data["in_school_or_training"]),
            notes=data["notes"].strip(),
        )


# --- The case list ----------------------------------------------------------------


class CaseFilterForm(TerritoryFields):
    """Filters of the case list. Sent by GET, except the name ``q``: by POST only,
    so that no name ends up in a URL (and in logs)."""

    empty_label = ALL

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", ALL), *CaseStatus.choices]
    )
    verdict = forms.ChoiceField(
        label=_("Verdict"), required=False, choices=[("", ALL), *Verdict.choices]
    )
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", ALL), *SECTOR_CHOICES]
    )
    region = forms.CharField(label=_("Region"), required=False)
    province = forms.CharField(label=_("Province or prefecture"), required=False)
    commune = forms.CharField(label=_("Commune"), required=False)
    mine = forms.BooleanField(label=_("Only the cases assigned to me"), required=False)
    q = forms.CharField(
        label=_("Child's name, in Arabic or Latin script"), required=False, max_length=100
    )

    #: Filters copied into the search and paging forms (not the name).
    FILTERS = ("status", "verdict", "sector", "region", "province", "commune", "mine")

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._territory_widgets()
        self.fields["commune"].widget = forms.Select()
        self.fields["q"].widget = forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}
        )
        self._territory_choices(user)

    # A stale province or commune (the region changed without JavaScript) is dropped.
    def clean_region(self) -> str:
        value: str = self.cleaned_data["region"]
        return value if value in {r.code for r in self.territory.regions} else ""

    def clean_province(self) -> str:
        value: str = self.cleaned_data["province"]
        return value if value in {p.code for p in self.territory.provinces} else ""

    def clean_commune(self) -> str:
        value: str = self.cleaned_data["commune"]
        return value if value in {c.code for c in self.territory.communes} else ""

    def filters(self, *, with_name: bool) -> CaseFilters:
        self.is_valid()
        data = self.cleaned_data
        return CaseFilters(
            status=data.get("status", ""),
            verdict=data.get("verdict", ""),
            region=data.get("region", ""),
            province=data.get("province", ""),
            commune=data.get("commune", ""),
            sector=data.get("sector", ""),
            q=data.get("q", "").strip() if with_name else "",
            assigned_to_me=bool(data.get("mine")),
        )

    def filter_items(self) -> list[tuple[str, str]]:
        """The filters in force, as (name, value) pairs for hidden fields and links."""
        self.is_valid()
        data = self.cleaned_data
        items = []
        for name in self.FILTERS:
            value = data.get(name)
            if value is True:
                items.append((name, "on"))
            elif value:
                items.append((name, str(value)))
        return items


# --- The case page's actions ---------------------------------------------------------


class ConfirmForm(CaseForm):
    """An action without fields (approve the assessment, approve the closure)."""


class AssessForm(CaseForm):
    risk_level = forms.ChoiceField(
        label=_("Risk level"), choices=RiskLevel.choices, widget=forms.RadioSelect
    )
    assessment = forms.CharField(
        label=_("Assessment"),
        widget=_textarea(5),
        help_text=_("The child's situation, needs and the services to consider."),
    )


class ConsentForm(CaseForm):
    child_consent = forms.BooleanField(label=_("The child consents"), required=False)
    guardian_consent = forms.BooleanField(label=_("The guardian consents"), required=False)


def _provider_groups(providers: Iterable[Organisation]) -> list[tuple[Label, list[Organisation]]]:
    by_service: dict[str, list[Organisation]] = {}
    for provider in providers:
        by_service.setdefault(provider.service or "", []).append(provider)
    return [
        (label, by_service[service])
        for service, label in ServiceType.choices
        if service in by_service
    ]


class ReferForm(CaseForm):
    service = forms.ChoiceField(label=_("Service"), choices=[("", CHOOSE), *ServiceType.choices])
    provider = forms.ChoiceField(label=_("Service provider"))
    note = forms.CharField(label=_("Note for the provider"), required=False, widget=_textarea())

    def __init__(
        self, *args: Any, providers: Sequence[Organisation], providers_url: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.providers = {str(provider.pk): provider for provider in providers}
        groups = provider_choice_groups(providers)
        self.fields["provider"].choices = [("", CHOOSE), *groups]  # type: ignore[attr-defined]
        self.fields["service"].widget.attrs.update(
            {
                "hx-get": providers_url,
                "hx-target": f"#{self['provider'].auto_id}",
                "hx-swap": "outerHTML",
                "hx-trigger": "change",
            }
        )

    def chosen_provider(self) -> Organisation:
        return self.providers[self.cleaned_data["provider"]]


def provider_choice_groups(providers: Sequence[Organisation]) -> list[Any]:
    """Choices of providers: grouped by service when they offer different ones."""
    groups = _provider_groups(providers)
    if len(groups) == 1:
        return [(str(p.pk), p.display_name) for p in groups[0][1]]
    return [(label, [(str(p.pk), p.display_name) for p in group]) for label, group in groups]


class OrganisationChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class CaseworkerChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        full = obj.get_full_name()
        return f"{full} ({obj.get_username()})" if full else str(obj.get_username())


def commune_choices(communes: Sequence[Commune], empty: Label) -> list[Any]:
    """Choices of communes: grouped by province when there are several."""
    head: list[Any] = [("", empty)]
    by_province: dict[str, list[Commune]] = {}
    for commune in communes:
        by_province.setdefault(commune.province_id, []).append(commune)
    if len(by_province) <= 1:
        return head + [(c.code, c.name) for c in communes]
    return head + [
        (group[0].province.name, [(c.code, c.name) for c in group])
        for group in by_province.values()
    ]


class ClosureForm(CaseForm):
    reason = forms.ChoiceField(
        label=_("Reason"),
        # Only the reasons a caseworker may request (a merge closes a case itself).
        choices=[(c, label) for c, label in ClosureReason.choices if c in workflow.CLOSURE_REASONS],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), required=False, widget=_textarea())
    transferred_to = OrganisationChoiceField(
        label=_("Organisation the case is transferred to"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=CHOOSE,
        help_text=_("Only when the child moved."),
    )
    #: An HCP commune code; the service checks it (known, within the organisation's territory).
    transferred_commune = forms.CharField(
        label=_("Commune the child moved to"),
        required=False,
        widget=forms.Select(),
        help_text=_(
            "Only when the child moved: a commune of the receiving organisation's territory. "
            "Its case is opened there."
        ),
    )

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Organisation],
        communes_url: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["transferred_to"].queryset = organisations  # type: ignore[attr-defined]
        receiving = self._receiving(organisations)
        communes = list(communes_within(receiving.territory_code)) if receiving else []
        empty = CHOOSE if receiving else _("Choose the organisation first")
        self.fields["transferred_commune"].widget.choices = commune_choices(communes, empty)
        if communes_url:  # HTMX: the communes of the organisation chosen
            self.fields["transferred_to"].widget.attrs.update(
                {
                    "hx-get": communes_url,
                    "hx-target": f"#{self['transferred_commune'].auto_id}",
                    "hx-swap": "outerHTML",
                    "hx-trigger": "change",
                }
            )

    def _receiving(self, organisations: QuerySet[Organisation]) -> Organisation | None:
        """The organisation chosen (sent, or given as initial), if it is one offered."""
        if self.is_bound:
            value = self.data.get(self.add_prefix("transferred_to"))
        else:
            value = self.initial.get("transferred_to")
        value = str(value or "")
        if not value.isdigit() or len(value) > 18:
            return None
        return organisations.filter(pk=int(value)).first()


class RejectClosureForm(CaseForm):
    note = forms.CharField(
        label=_("Why the closure is refused"), required=False, widget=_textarea()
    )


class AssignForm(CaseForm):
    assignee = CaseworkerChoiceField(
        label=_("Assign to"), queryset=User.objects.none(), empty_label=CHOOSE
    )

    def __init__(self, *args: Any, caseworkers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = caseworkers  # type: ignore[attr-defined]
