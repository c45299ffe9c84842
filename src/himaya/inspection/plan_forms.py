"""Forms of the risk ranking and the monthly plan (``views/plan.py``).

They check the shape of what is sent; ``inspection.planning`` and
``inspection.risk`` check the rest.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from himaya.accounts.models import User
from himaya.cases.forms import ALL, CHOOSE, CaseForm, code_input
from himaya.cases.models import SECTOR_CHOICES
from himaya.inspection import risk
from himaya.inspection.planning import DEFAULT_CAPACITY, MAX_CAPACITY, RegisterFilters

MONTH_PATTERN = re.compile(r"(\d{4})-(\d{2})")
MONTH_INVALID = _("Give a year and a month, e.g. 2026-03.")


def parse_month(value: str) -> date | None:
    """``YYYY-MM`` (years 2000 to 2099) as the first day of the month, else None."""
    match = MONTH_PATTERN.fullmatch(value.strip())
    if match is None:
        return None
    year, month = int(match[1]), int(match[2])
    if not (2000 <= year <= 2099 and 1 <= month <= 12):
        return None
    return date(year, month, 1)


class MonthForm(forms.Form):
    """The month of the plan (by GET, ``?month=YYYY-MM``)."""

    month = forms.CharField(
        label=_("Month"),
        max_length=7,
        widget=code_input(type="month", placeholder="2026-03"),
        help_text=_("Year and month, e.g. 2026-03."),
    )

    def clean_month(self) -> date:
        value = parse_month(self.cleaned_data["month"])
        if value is None:
            raise forms.ValidationError(MONTH_INVALID, code="invalid")
        return value


class RiskFilterForm(CaseForm):
    """Filters of the risk ranking (by GET); a filter that does not validate is
    shown beside its field and not applied."""

    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", ALL), *SECTOR_CHOICES]
    )
    commune = forms.ChoiceField(label=_("Commune"), required=False)

    def __init__(self, *args: Any, communes: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = [("", ALL), *communes]  # type: ignore[attr-defined]

    def filters(self) -> RegisterFilters:
        self.is_valid()
        data = self.cleaned_data
        return RegisterFilters(sector=data.get("sector", ""), commune=data.get("commune", ""))


def inspector_label(inspector: User) -> str:
    return inspector.get_full_name() or inspector.get_username()


class CapacityForm(forms.Form):
    """The visits each inspector can make in the month: ``capacity_<id>``."""

    def __init__(self, *args: Any, inspectors: Iterable[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.inspectors = list(inspectors)
        for inspector in self.inspectors:
            self.fields[f"capacity_{inspector.pk}"] = forms.IntegerField(
                label=inspector_label(inspector),
                min_value=0,
                max_value=MAX_CAPACITY,
                initial=DEFAULT_CAPACITY,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "size": 4}),
            )

    def capacities(self) -> dict[int, int]:
        """Each inspector's capacity: the value sent when it is valid, else the default."""
        if not self.is_bound:
            return {inspector.pk: DEFAULT_CAPACITY for inspector in self.inspectors}
        self.is_valid()
        data = self.cleaned_data
        return {
            inspector.pk: int(data.get(f"capacity_{inspector.pk}", DEFAULT_CAPACITY))
            for inspector in self.inspectors
        }


class ChangeForm(CaseForm):
    """A change by hand: an establishment of the plan and, to add or move it, an
    inspector. The choices are the plan's."""

    establishment = forms.TypedChoiceField(label=_("Establishment"), coerce=int)
    inspector = forms.TypedChoiceField(label=_("Inspector"), coerce=int)

    def __init__(
        self,
        *args: Any,
        establishments: Sequence[tuple[str, Sequence[tuple[int, str]]]],
        inspectors: Iterable[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["establishment"].choices = [  # type: ignore[attr-defined]
            ("", CHOOSE),
            *((str(group), list(options)) for group, options in establishments if options),
        ]
        self.fields["inspector"].choices = [  # type: ignore[attr-defined]
            ("", CHOOSE),
            *((inspector.pk, inspector_label(inspector)) for inspector in inspectors),
        ]

    def adjustment(self, action: str) -> risk.Adjustment:
        data = self.cleaned_data
        if action == "add":
            return risk.Adjustment.add(data["establishment"], data["inspector"])
        return risk.Adjustment.move(data["establishment"], data["inspector"])


# --- Changes carried in hidden fields ----------------------------------------------------

ADJUSTMENT_PATTERN = re.compile(r"(add|move):(\d{1,18}):(\d{1,18})|remove:(\d{1,18})")


def adjustment_token(change: risk.Adjustment) -> str:
    """``add:<establishment>:<inspector>``, ``move:…:…`` or ``remove:<establishment>``."""
    if change.inspector is None:
        return f"remove:{change.establishment}"
    return f"{change.action}:{change.establishment}:{change.inspector}"


def parse_adjustments(tokens: Iterable[str]) -> list[risk.Adjustment]:
    """The changes carried by the page, in order; a token that does not read is
    left out (only a page altered by hand sends one)."""
    changes = []
    for token in tokens:
        match = ADJUSTMENT_PATTERN.fullmatch(token.strip())
        if match is None:
            continue
        action, establishment, inspector, removed = match.groups()
        if removed is not None:
            changes.append(risk.Adjustment.remove(int(removed)))
        elif action == "add":
            changes.append(risk.Adjustment.add(int(establishment), int(inspector)))
        else:
            changes.append(risk.Adjustment.move(int(establishment), int(inspector)))
    return changes
