"""The sentences users see, translatable (Django): refusals by code, the summary, and
the words of the tables and charts (``outputs.ENGLISH``) in the active language.

The domain modules raise ``SurveyRefused(code, **params)``; :func:`refusal` turns
it into the active language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, replace

from django.utils.translation import get_language_bidi, gettext
from django.utils.translation import gettext_lazy as _

from himaya.survey.errors import SurveyRefused
from himaya.survey.outputs import ENGLISH, Labels

REFUSALS = {
    "unreadable": _("Cannot read %(path)s: %(detail)s"),
    "unknown_format": _("%(path)s: unknown file type (expected .csv, .sav or .dta)"),
    "empty": _("%(path)s has no rows"),
    "missing_column": _("Column %(column)s (%(role)s) is not in the file"),
    "design_missing": _("No %(role)s column: give --%(role)s or a mapping that names it"),
    "weight_not_number": _(
        "Column %(column)s (weight) holds a value that is not a number: %(detail)s"
    ),
    "weight_negative": _("Column %(column)s (weight) holds a negative weight: %(detail)s"),
    "weight_blank": _("Column %(column)s (weight) has a blank weight in row %(detail)s"),
    "design_blank": _("Column %(column)s (%(role)s) is blank in row %(detail)s"),
    "unknown_mapping": _("Unknown mapping %(detail)s (known: %(known)s)"),
    "mapping_invalid": _("Mapping %(path)s: %(detail)s"),
    "mapping_unknown_field": _(
        "Mapping %(path)s: %(column)s is not a field of the engine (known: %(known)s)"
    ),
    "unknown_variable": _("The mapping names variable %(column)s, which is not in the file"),
    "no_age": _("No age: the file (or its mapping) needs a column age or birth_date"),
    "unknown_by": _("--by names column %(column)s, which is not in the file"),
    "not_a_number": _("Column %(column)s holds a value that is not a number: %(detail)s"),
}

SUMMARY = _(
    "%(rows)s rows read: %(analysed)s children aged 5-17 in the analysis, "
    "%(out_of_scope)s out of scope (other ages), %(unknown_age)s without an age, "
    "%(rejected)s rejected"
)
HEADLINE = _("%(indicator)s: %(estimate)s %% (95 %% CI %(low)s-%(high)s), %(n)s children")
WRITTEN = _("Written: %(path)s")
ROWS_REJECTED = _("%(count)s rows were rejected and left out of the estimates (listed above)")


def refusal(error: SurveyRefused) -> str:
    """The refusal in the active language."""
    params = {"path": "", "detail": "", "column": "", "role": "", "known": ""}
    params |= error.params
    return gettext(str(REFUSALS[error.code])) % params


def _translated(value: object) -> object:
    if isinstance(value, str):
        return gettext(value)
    if isinstance(value, tuple):
        return tuple(gettext(text) for text in value)
    if isinstance(value, Mapping):
        return {key: gettext(text) for key, text in value.items()}
    return value


def output_labels() -> Labels:
    """The words of the tables and charts (:data:`outputs.ENGLISH`) in the active
    language, right to left when it is written so."""
    words = {field.name: _translated(getattr(ENGLISH, field.name)) for field in fields(Labels)}
    words["right_to_left"] = get_language_bidi()
    return replace(ENGLISH, **words)  # type: ignore[arg-type]
