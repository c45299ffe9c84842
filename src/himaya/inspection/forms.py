"""Forms of the inspection pages. They check the shape of what is typed; the
services check the rest and their errors are put back on the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from himaya.accounts.models import User
from himaya.cases.forms import ALL, CHOOSE, CaseForm, TerritoryFields, code_input
from himaya.cases.models import SECTOR_CHOICES
from himaya.inspection.selectors import EstablishmentFilters
from himaya.inspection.services import EstablishmentIn

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
