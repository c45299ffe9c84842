"""Sanctions of child-labour breaches, as rules-as-code: fines, repeat offences, escalation.

The figures are OpenFisca dated parameters (``parameters/ma/sanctions.yaml``,
node ``ma.sanctions``), each value with the article that sets it; this module
only reads them at a date and does the arithmetic, so every figure it returns
can be traced to its text. It follows the section "Sanctions (for inspection
follow-up)" of ``child-labour-rules.md``.

Breaches and the rules of ``ma-labour-code`` they come from (:data:`BREACH_OF_RULE`):

- ``worst_form`` (``ma.worst_form``): the sanctions table gives no fine for it;
  the worst forms are crimes under the Code pénal, reported to the public
  prosecutor. It skips the advice step; :func:`fine_for` returns a
  :class:`Fine` with ``fined=False`` and amounts 0, and says so.
- ``hazardous_work`` (``ma.hazardous``): 300–500 MAD per child, at most
  20,000 MAD in all (Code du travail art. 183); skips the advice step.
- ``below_minimum_age`` (``ma.below_minimum_age``): 25,000–30,000 MAD, a fixed
  fine (art. 151).
- ``domestic_below_age`` and ``domestic_no_authorisation``
  (``ma.domestic_below_age``, ``ma.domestic_no_authorisation``):
  25,000–30,000 MAD, doubled on a repeat offence, with 1–3 months of prison
  possible (Law 19-12, cited without an article number).
- ``night_work`` (``ma.night_work``): 300–500 MAD per child, at most
  20,000 MAD in all (art. 177).
- ``domestic_hours`` (``ma.domestic_hours``): a breach of Law 19-12's working
  time for domestic workers aged 16–17. The sanctions table gives it no fine,
  and it is a different breach from the missing authorisation, so it is kept
  as a breach of its own, reported without a fine figure (``fined=False``).

Choices made here:

- A per-child fine is multiplied by the number of children, then capped (both
  ends), then multiplied by the repeat multiplier. A fixed fine ignores the
  number of children.
- A repeat offence is marked on every breach; the amount changes only where
  the text sets a multiplier (domestic work: × 2). Elsewhere the explanation
  says the amount is unchanged.
- Repeat window: a previous breach on date ``d`` makes the breach on ``on`` a
  repeat when ``d < on <= d + period`` — the boundary is inclusive: exactly
  two years later is still a repeat, one day more is not. A 29 February plus
  whole years falls on 1 March in common years, as ages do in the
  specification. The period is the product's default (two years) for every
  breach here, since the texts set none; :func:`repeat_period` says which.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from typing import Any

from .rulesets import RULESETS
from .system import baseline


class Breach(StrEnum):
    """A breach the labour inspectorate can record, most serious first."""

    WORST_FORM = "worst_form"
    HAZARDOUS_WORK = "hazardous_work"
    BELOW_MINIMUM_AGE = "below_minimum_age"
    DOMESTIC_BELOW_AGE = "domestic_below_age"
    DOMESTIC_NO_AUTHORISATION = "domestic_no_authorisation"
    DOMESTIC_HOURS = "domestic_hours"
    NIGHT_WORK = "night_work"


BREACHES: tuple[str, ...] = tuple(breach.value for breach in Breach)

#: The breach each rule of ``ma-labour-code`` establishes (``ma.permitted``
#: and ``ma.adult`` establish none).
BREACH_OF_RULE: dict[str, str] = {
    "ma.worst_form": Breach.WORST_FORM.value,
    "ma.hazardous": Breach.HAZARDOUS_WORK.value,
    "ma.below_minimum_age": Breach.BELOW_MINIMUM_AGE.value,
    "ma.domestic_below_age": Breach.DOMESTIC_BELOW_AGE.value,
    "ma.domestic_no_authorisation": Breach.DOMESTIC_NO_AUTHORISATION.value,
    "ma.domestic_hours": Breach.DOMESTIC_HOURS.value,
    "ma.night_work": Breach.NIGHT_WORK.value,
}

#: The ruleset whose rules :func:`breaches_of` accepts.
RULESET = "ma-labour-code"


@dataclass(frozen=True)
class Fine:
    """The fine incurred for one breach, in dirhams, with its arithmetic explained."""

    breach: str
    #: Whether the sanctions table sets a fine; if not, both amounts are 0.
    fined: bool
    minimum: int
    maximum: int
    per_child: bool
    children: int
    cap: int | None
    #: Whether the cap lowered an amount.
    capped: bool
    repeat: bool
    #: The factor applied to the amounts (1 unless a repeat offence the text aggravates).
    multiplier: int
    #: The citation of the fine (or, without a fine, of the breach) in force on the date.
    reference: str
    #: Prison term possible on this repeat offence, in months (lowest, highest).
    prison_months: tuple[int, int] | None
    explanation: tuple[str, ...]


@dataclass(frozen=True)
class RepeatPeriod:
    """How long after a breach the same breach by the same employer is a repeat."""

    years: int
    #: True when the text sets the period, False when it is the product's default.
    from_text: bool
    reference: str


@cache
def _node() -> Any:
    """The ``ma.sanctions`` parameter node, loaded with every ruleset's parameters."""
    return baseline().parameters.ma.sanctions


def _breach_node(breach: str) -> Any:
    if breach not in BREACHES:
        raise ValueError(f"unknown breach {breach!r}; expected one of {', '.join(BREACHES)}")
    return _node().children[breach]


def _value_at(node: Any, name: str, on: date | None) -> tuple[Any, str]:
    """The value of the parameter ``name`` of ``node`` on ``on`` (None: its latest
    value), and its reference."""
    parameter = node.children[name]
    day = on.isoformat() if on else "9999-12-31"
    for value in sorted(parameter.values_list, key=lambda v: v.instant_str, reverse=True):
        if value.instant_str <= day and value.value is not None:
            return value.value, str(value.metadata["reference"])
    first = min(value.instant_str for value in parameter.values_list)
    raise ValueError(
        f"{parameter.name}: no value on {day}; the text applies from {first}"
        " (a breach cannot be sanctioned under a text not yet in force)"
    )


def _int_at(node: Any, name: str, on: date | None) -> tuple[int, str]:
    value, reference = _value_at(node, name, on)
    return int(value), reference


def _bool_at(node: Any, name: str, on: date | None) -> tuple[bool, str]:
    value, reference = _value_at(node, name, on)
    return bool(value), reference


def _mad(amount: int) -> str:
    return f"{amount:,}"


def _range(low: int, high: int) -> str:
    return f"{_mad(low)}–{_mad(high)} MAD"


def _count(children: int) -> str:
    return f"{children} child" if children == 1 else f"{children} children"


def skips_advice(breach: str, on: date | None = None) -> bool:
    """Whether the inspectorate skips the advice step (the child is removed and
    referred at once): the worst forms and hazardous work. Read on ``on``
    (default: the latest value in the parameters)."""
    return _bool_at(_breach_node(breach), "skips_advice", on)[0]


def repeat_period(breach: str, on: date) -> RepeatPeriod:
    """The repeat period of ``breach`` on ``on``, and whether a text sets it."""
    node = _breach_node(breach)
    years, reference = _int_at(node, "repeat_period_years", on)
    from_text, _ = _bool_at(node, "repeat_period_set_by_text", on)
    return RepeatPeriod(years=years, from_text=from_text, reference=reference)


def _plus_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year
        return date(day.year + years, 3, 1)


def is_repeat(breach: str, on: date, previous: Iterable[tuple[str, date]]) -> bool:
    """Whether ``breach`` on ``on`` repeats a breach of the same employer.

    ``previous`` holds the employer's earlier breaches as (breach code, date).
    One counts when it is the same breach, strictly before ``on``, and ``on``
    is at most the repeat period after it (boundary included).
    """
    years = repeat_period(breach, on).years
    return any(code == breach and day < on <= _plus_years(day, years) for code, day in previous)


def breaches_of(rules_fired: Iterable[str]) -> list[str]:
    """The breaches established by the rules of ``ma-labour-code`` that fired,
    most serious first, each once. Rules that establish no breach
    (``ma.permitted``, ``ma.adult``) are left out; a rule of another ruleset
    is refused."""
    known = set(RULESETS[RULESET].rule_ids)
    found: set[str] = set()
    for rule in rules_fired:
        if rule not in known:
            raise ValueError(f"{rule!r} is not a rule of the {RULESET} ruleset")
        if rule in BREACH_OF_RULE:
            found.add(BREACH_OF_RULE[rule])
    return [breach for breach in BREACHES if breach in found]


def _escalation(node: Any, on: date) -> str:
    skips, reference = _bool_at(node, "skips_advice", on)
    if skips:
        return (
            "No advice step: the child is removed and referred at once, and the breach"
            f" is reported ({reference})."
        )
    return (
        "Advice first, then a formal notice with a deadline, then a violation report"
        f" for the court ({reference})."
    )


def _repeat_window(breach: str, on: date) -> str:
    period = repeat_period(breach, on)
    source = (
        "set by the text"
        if period.from_text
        else "the product's default, as the text sets no period"
    )
    return (
        f"A repeat offence is the same breach by the same employer within {period.years}"
        f" years ({source}; {period.reference})."
    )


def fine_for(breach: str, children: int, on: date, repeat: bool) -> Fine:
    """The fine incurred on ``on`` for ``breach`` involving ``children`` children.

    Raises ValueError for an unknown breach, fewer than one child, or a date
    before the text that sets the sanction.
    """
    if children < 1:
        raise ValueError(f"a breach involves at least one child, not {children}")
    node = _breach_node(breach)
    fined, reference = _bool_at(node, "fined", on)
    escalation = _escalation(node, on)

    if not fined:
        lines = [
            f"No fine from the sanctions table for {breach} ({reference}); the report to"
            " the court carries no fine figure.",
            escalation,
        ]
        if repeat:
            lines.append(
                f"Repeat offence marked; no amount to change. {_repeat_window(breach, on)}"
            )
        return Fine(
            breach=breach,
            fined=False,
            minimum=0,
            maximum=0,
            per_child=False,
            children=children,
            cap=None,
            capped=False,
            repeat=repeat,
            multiplier=1,
            reference=reference,
            prison_months=None,
            explanation=tuple(lines),
        )

    low, reference = _int_at(node, "fine_minimum", on)
    high, _ = _int_at(node, "fine_maximum", on)
    per_child, _ = _bool_at(node, "per_child", on)
    lines = []
    if per_child:
        minimum, maximum = low * children, high * children
        lines.append(
            f"{_range(low, high)} per child × {_count(children)}"
            f" = {_range(minimum, maximum)} ({reference})."
        )
    else:
        minimum, maximum = low, high
        lines.append(
            f"{_range(low, high)}, a fixed fine, not multiplied by the number of children"
            f" ({reference})."
        )

    cap: int | None = None
    capped = False
    if "cap" in node.children:
        cap, cap_reference = _int_at(node, "cap", on)
        capped = maximum > cap
        if capped:
            before = _range(minimum, maximum)
            minimum, maximum = min(minimum, cap), min(maximum, cap)
            lines.append(
                f"At most {_mad(cap)} MAD in all ({cap_reference}):"
                f" {before} becomes {_range(minimum, maximum)}."
            )
        else:
            lines.append(f"At most {_mad(cap)} MAD in all ({cap_reference}); not reached.")

    multiplier = 1
    prison: tuple[int, int] | None = None
    if repeat:
        factor, factor_reference = _int_at(node, "repeat_multiplier", on)
        if factor != 1:
            multiplier = factor
            before = _range(minimum, maximum)
            minimum, maximum = minimum * factor, maximum * factor
            lines.append(
                f"Repeat offence: the fine is multiplied by {factor}: {before} × {factor}"
                f" = {_range(minimum, maximum)} ({factor_reference})."
            )
        else:
            lines.append(
                "Repeat offence marked; the text sets no increase, the amount is unchanged"
                f" ({factor_reference})."
            )
        if "repeat_prison_months_minimum" in node.children:
            shortest, prison_reference = _int_at(node, "repeat_prison_months_minimum", on)
            longest, _ = _int_at(node, "repeat_prison_months_maximum", on)
            prison = (shortest, longest)
            lines.append(
                f"On a repeat offence, {shortest}–{longest} months of prison are also"
                f" possible ({prison_reference})."
            )
        lines.append(_repeat_window(breach, on))

    lines.append(escalation)
    return Fine(
        breach=breach,
        fined=True,
        minimum=minimum,
        maximum=maximum,
        per_child=per_child,
        children=children,
        cap=cap,
        capped=capped,
        repeat=repeat,
        multiplier=multiplier,
        reference=reference,
        prison_months=prison,
        explanation=tuple(lines),
    )
