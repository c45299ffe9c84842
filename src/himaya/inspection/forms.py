"""Forms of the inspection pages. They check the shape of what is typed; the
services check the rest and their errors are put back on the fields."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from himaya.accounts.models import User
from himaya.cases.forms import (
    ALL,
    CHOOSE,
    CaseForm,
    DateInput,
    ObservationForm,
    TerritoryFields,
    code_input,
)
from himaya.cases.models import SECTOR_CHOICES
from himaya.inspection.models import (
    CHECKLIST,
    ChecklistAnswer,
    Establishment,
    Violation,
    VisitKind,
    VisitStatus,
)
from himaya.inspection.selectors import EstablishmentFilters
from himaya.inspection.services import EstablishmentIn
from himaya.inspection.services.enforcement import NOTHING_TO_NOTIFY
from himaya.inspection.services.visits import (
    CHECK_REQUIRED,
    CHECK_UNKNOWN,
    VisitIn,
    VisitRecordIn,
)

#: Largest file accepted by the import page (the command line has no limit).
IMPORT_MAX_BYTES = 20 * 1024 * 1024


class EstablishmentForm(TerritoryFields):
    empty_label = CHOOSE
    name = forms.CharField(label=_("Name"), max_length=200)
    ice = forms.CharField(
        label=_("ICE number"),
        required=False,
        max_length=20,
        widget=code_input(inputmode="numeric"),
        help_text=_("15 digits. Leave blank for an informal workplace."),
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", CHOOSE), *SECTOR_CHOICES])
    region = forms.CharField(label=_("Region"), required=False)
    province = forms.CharField(label=_("Province or prefecture"), required=False)
    commune = forms.CharField(label=_("Commune"))
    address = forms.CharField(label=_("Address"), required=False, max_length=300)
    workers = forms.IntegerField(label=_("Number of workers"), required=False, min_value=0)
    contact_name = forms.CharField(label=_("Contact person"), required=False, max_length=200)
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        required=False,
        max_length=20,
        widget=code_input(type="tel", inputmode="tel"),
        help_text=_("Digits only, e.g. 0612345678."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._territory_widgets()
        self.fields["commune"].widget = forms.Select()
        self._territory_choices(user)

    def to_input(self) -> EstablishmentIn:
        data = self.cleaned_data
        return EstablishmentIn(
            name=data["name"],
            sector=data["sector"],
            commune=data["commune"],
            ice=data["ice"],
            address=data["address"],
            workers=data["workers"],
            contact_name=data["contact_name"],
            contact_phone=data["contact_phone"],
        )


class EstablishmentFilterForm(CaseForm):
    q = forms.CharField(label=_("Name or ICE number"), required=False, max_length=100)
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", ALL), *SECTOR_CHOICES]
    )
    formality = forms.ChoiceField(
        label=_("Registered"),
        required=False,
        choices=[
            ("", ALL),
            ("formal", _("With an ICE number")),
            ("informal", _("Informal (no ICE number)")),
        ],
    )

    def filters(self) -> EstablishmentFilters:
        data = self.cleaned_data if self.is_valid() else {}
        formality = data.get("formality", "")
        return EstablishmentFilters(
            q=data.get("q", ""),
            sector=data.get("sector", ""),
            informal={"formal": False, "informal": True}.get(formality),
        )


class ImportForm(CaseForm):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: name, ice, sector, commune_code, address, workers, contact_name, "
            "contact_phone (comma or semicolon separated, UTF-8)."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large (at most %(mb)s MB)."),
                code="too_large",
                params={"mb": IMPORT_MAX_BYTES // (1024 * 1024)},
            )
        return upload


# --- Visits -------------------------------------------------------------------------


def _person(user: User) -> str:
    return str(user.get_full_name() or user.get_username())


class VisitFilterForm(CaseForm):
    """Filters of the list of visits (by GET). ``establishment`` comes from the
    establishment's page ("its visits") and is kept as a hidden field."""

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", ALL), *VisitStatus.choices]
    )
    kind = forms.ChoiceField(
        label=_("Type of visit"), required=False, choices=[("", ALL), *VisitKind.choices]
    )
    month = forms.CharField(
        label=_("Month"),
        required=False,
        max_length=7,
        widget=code_input(type="month", placeholder="2026-03"),
        help_text=_("Year and month, e.g. 2026-03."),
    )
    establishment = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def clean_month(self) -> date | None:
        value: str = self.cleaned_data["month"].strip()
        if not value:
            return None
        try:
            year, month = (int(part) for part in value.split("-"))
            return date(year, month, 1)
        except ValueError:
            raise forms.ValidationError(
                _("Give a year and a month, e.g. 2026-03."), code="invalid"
            ) from None


class VisitPlanForm(CaseForm):
    """Plan a visit: which establishment, what kind, when, by whom."""

    establishment = forms.TypedChoiceField(label=_("Establishment"), coerce=int)
    kind = forms.ChoiceField(
        label=_("Type of visit"), choices=VisitKind.choices, widget=forms.RadioSelect
    )
    scheduled_on = forms.DateField(label=_("Planned date"), widget=DateInput())
    inspectors = forms.TypedMultipleChoiceField(
        label=_("Inspectors"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    partners = forms.CharField(
        label=_("Partners (joint visit)"),
        required=False,
        max_length=300,
        help_text=_("Only for a joint visit: who comes along (e.g. police, social services)."),
    )

    def __init__(
        self,
        *args: Any,
        establishments: Iterable[Establishment],
        inspectors: Iterable[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["establishment"].choices = [  # type: ignore[attr-defined]
            ("", CHOOSE),
            *((e.pk, f"{e.name} ({e.commune.name})") for e in establishments),
        ]
        self.fields["inspectors"].choices = [  # type: ignore[attr-defined]
            (user.pk, _person(user)) for user in inspectors
        ]

    def to_input(self) -> VisitIn:
        data = self.cleaned_data
        return VisitIn(
            establishment_id=data["establishment"],
            kind=data["kind"],
            scheduled_on=data["scheduled_on"],
            inspector_ids=list(data["inspectors"]),
            partners=data["partners"],
        )


def _check_field(label: Any) -> forms.ChoiceField:
    """One question of the checklist: yes, no or not applicable, as radio buttons."""
    return forms.ChoiceField(
        label=label,
        choices=ChecklistAnswer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": CHECK_REQUIRED, "invalid_choice": CHECK_UNKNOWN},
    )


class VisitRecordForm(CaseForm):
    """What the visit found: its date, one answer per item of the checklist, findings.
    The answers' fields are ``check_<item>``, the names the service's errors use."""

    visited_on = forms.DateField(label=_("Date of the visit"), widget=DateInput())
    notes = forms.CharField(
        label=_("Findings"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, label in CHECKLIST:
            self.fields[f"check_{code}"] = _check_field(label)

    def checks(self) -> list[forms.BoundField]:
        return [self[f"check_{code}"] for code, _label in CHECKLIST]

    def to_input(self) -> VisitRecordIn:
        data = self.cleaned_data
        return VisitRecordIn(
            visited_on=data["visited_on"],
            checklist={code: data[f"check_{code}"] for code, _label in CHECKLIST},
            notes=data["notes"],
        )


def _violation_label(violation: Violation) -> str:
    return ngettext(
        "%(breach)s (found on %(day)s, %(children)s child)",
        "%(breach)s (found on %(day)s, %(children)s children)",
        violation.children,
    ) % {
        "breach": violation.get_breach_display(),
        "day": date_format(violation.found_on, "SHORT_DATE_FORMAT"),
        "children": violation.children,
    }


class NoticeForm(CaseForm):
    """Serve a formal notice: the breaches at the advice stage, and a deadline."""

    violations = forms.TypedMultipleChoiceField(
        label=_("Breaches"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": NOTHING_TO_NOTIFY},
    )
    deadline = forms.DateField(
        label=_("Deadline"),
        required=False,
        widget=DateInput(),
        help_text=_("The date by which the employer must remedy the breaches."),
    )

    def __init__(self, *args: Any, violations: Iterable[Violation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["violations"].choices = [  # type: ignore[attr-defined]
            (v.pk, _violation_label(v)) for v in violations
        ]


CORRECTED, PERSISTING = "corrected", "persisting"


class FollowUpForm(CaseForm):
    """What the follow-up visit found, breach by breach: corrected or persisting
    (fields ``outcome_<violation id>``)."""

    def __init__(self, *args: Any, violations: Iterable[Violation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.violation_ids: list[int] = []
        for violation in violations:
            self.violation_ids.append(violation.pk)
            self.fields[f"outcome_{violation.pk}"] = forms.ChoiceField(
                label=f"{_violation_label(violation)} · {violation.get_stage_display()}",
                choices=[(CORRECTED, _("Corrected")), (PERSISTING, _("Persisting"))],
                widget=forms.RadioSelect,
            )

    def outcomes(self) -> list[forms.BoundField]:
        return [self[f"outcome_{pk}"] for pk in self.violation_ids]

    def corrected_ids(self) -> list[int]:
        data = self.cleaned_data
        return [pk for pk in self.violation_ids if data.get(f"outcome_{pk}") == CORRECTED]


class FoundObservationForm(ObservationForm):
    """The observation of a child found in a visit: the visit fixes its date and
    its commune, so they are not asked."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["observed_on"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["observed_on"] = None  # set by the service: the visit's date
        return data
