"""``explanation_rows``: a pair's explanation as the rows of ``linkage/_explanation.html``."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from himaya.linkage.model import COMPARISONS

register = template.Library()

COMPARISON_LABELS = {
    "first_name": gettext_lazy("First name"),
    "family_name": gettext_lazy("Family name"),
    "father_name": gettext_lazy("Father's name"),
    "birth": gettext_lazy("Birth date or age"),
    "sex": gettext_lazy("Sex"),
    "commune": gettext_lazy("Commune"),
    "massar_code": gettext_lazy("Massar code"),
    "household": gettext_lazy("Household (RSU number, guardian's CNIE)"),
    "source": gettext_lazy("Source (inspection, association, school, social registry)"),
}


@register.filter
def explanation_rows(explanation: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per comparison: its label, its weight and what it says."""
    weights = explanation.get("weights", {})
    rows = []
    for name in COMPARISONS:
        weight = float(weights.get(name) or 0.0)
        if weight > 0:
            verdict = _("agrees")
        elif weight < 0:
            verdict = _("disagrees")
        else:
            verdict = _("not compared (blank in one record), or neutral")
        rows.append(
            {"name": name, "label": COMPARISON_LABELS[name], "weight": weight, "says": verdict}
        )
    return rows
