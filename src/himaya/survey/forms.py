"""The form an analyst sends a survey file with."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from himaya.cases.forms import CaseForm
from himaya.survey import mapping as mappings
from himaya.survey.classify import RULESETS
from himaya.survey.estimate import DEFAULT_SINGLETON
from himaya.survey.services import SurveyIn

RULESET_LABELS = {
    "sdg-8.7.1": _("SDG 8.7.1 (current definition)"),
    "sdg-8.7.1-mics5": _("SDG 8.7.1 as in MICS5 (for comparing with older surveys)"),
}
SINGLETON_LABELS = {
    "center": _("Centre on the overall mean (R's survey: lonely.psu = adjust)"),
    "scale": _("Scale from the other strata"),
    "skip": _("Leave out of the variance"),
}


class SurveyForm(CaseForm):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(
        label=_("Survey file"),
        help_text=_("CSV, SPSS (.sav) or Stata (.dta): one row per child aged 5-17."),
    )
    mapping = forms.ChoiceField(
        label=_("Variables"),
        required=False,
        help_text=_("How the file's variables are named; none: the engine's own names."),
    )
    stratum = forms.CharField(
        label=_("Stratum column"),
        max_length=100,
        required=False,
        help_text=_("Blank: the mapping's."),
    )
    psu = forms.CharField(
        label=_("Primary sampling unit (cluster) column"),
        max_length=100,
        required=False,
        help_text=_("Blank: the mapping's."),
    )
    weight = forms.CharField(
        label=_("Weight column"),
        max_length=100,
        required=False,
        help_text=_("Blank: the mapping's."),
    )
    by = forms.CharField(
        label=_("More domains"),
        max_length=300,
        required=False,
        help_text=_("Columns, separated by commas, besides sex, age, area and region."),
    )
    ruleset = forms.ChoiceField(label=_("Definition"), initial=RULESETS[0])
    singleton = forms.ChoiceField(label=_("Strata with a single PSU"), initial=DEFAULT_SINGLETON)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: dict[str, list[tuple[str, Any]]] = {
            "mapping": [("", _("The engine's own names"))]
            + [(name, name.upper()) for name in mappings.shipped()],
            "ruleset": [(r, RULESET_LABELS.get(r, r)) for r in RULESETS],
            "singleton": list(SINGLETON_LABELS.items()),
        }
        for name, options in choices.items():
            field = self.fields[name]
            if isinstance(field, forms.ChoiceField):
                field.choices = options

    def to_survey(self) -> SurveyIn:
        data = self.cleaned_data
        return SurveyIn(
            title=data["title"],
            mapping=data["mapping"],
            stratum=data["stratum"].strip(),
            psu=data["psu"].strip(),
            weight=data["weight"].strip(),
            by=[name.strip() for name in data["by"].split(",") if name.strip()],
            ruleset=data["ruleset"],
            singleton=data["singleton"],
        )
