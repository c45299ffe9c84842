"""Every read of survey runs, scoped to the user: analysts see their organisation's.

Survey estimates are aggregates, never a child; anybody but an analyst sees none
("not found"), as for every record outside a user's scope.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from himaya.accounts.models import Role, User
from himaya.core.errors import NotFound
from himaya.geography import selectors as geography
from himaya.survey.messages import output_labels
from himaya.survey.models import SurveyEstimate, SurveyRun
from himaya.survey.outputs import TABLES, Labels, flag


def is_analyst(user: object) -> bool:
    """An analyst of an organisation: the only users who see survey runs."""
    return (
        getattr(user, "is_authenticated", False)
        and getattr(user, "role", None) == Role.ANALYST
        and getattr(user, "organisation_id", None) is not None
    )


def survey_visible_to(user: User) -> QuerySet[SurveyRun]:
    if not is_analyst(user):
        return SurveyRun.objects.none()
    return SurveyRun.objects.filter(organisation_id=user.organisation_id or 0)


def survey_list_for_user(*, user: User, limit: int = 50) -> list[SurveyRun]:
    return list(survey_visible_to(user).select_related("created_by")[:limit])


def survey_get_for_user(*, user: User, survey_id: int) -> SurveyRun:
    try:
        return survey_visible_to(user).select_related("created_by").get(pk=survey_id)
    except SurveyRun.DoesNotExist as missing:
        raise NotFound() from missing


@dataclass(frozen=True)
class Cell:
    """One estimate as a page shows it: a percentage, its interval, the MICS flag."""

    percent: float | None
    low: float | None
    high: float | None
    n: int
    flag: str


@dataclass(frozen=True)
class Row:
    variable: str
    label: str
    cells: list[Cell]


@dataclass(frozen=True)
class ShownTable:
    code: str
    title: str
    headings: list[str]
    rows: list[Row]


def _cell(estimate: SurveyEstimate | None) -> Cell:
    if estimate is None:
        return Cell(None, None, None, 0, "suppressed")

    def percent(value: float | None) -> float | None:
        return None if value is None else round(value * 100, 1)

    return Cell(
        percent(estimate.estimate),
        percent(estimate.ci_low),
        percent(estimate.ci_high),
        estimate.n_unweighted,
        flag(estimate.n_unweighted),
    )


def _row_label(labels: Labels, variable: str, value: str) -> str:
    return labels.total if variable == "all" else labels.value(variable, value)


def survey_tables(survey: SurveyRun) -> list[ShownTable]:
    """The MICS tables PR.3.1-PR.3.4 of a run, rows by domain (total first)."""
    found: dict[tuple[str, str], SurveyEstimate] = {}
    domains: list[str] = []
    for estimate in SurveyEstimate.objects.filter(run=survey).order_by("id"):
        found[(estimate.indicator, estimate.domain)] = estimate
        if estimate.domain not in domains:
            domains.append(estimate.domain)
    tables = []
    labels = output_labels()
    for table in TABLES:
        rows = []
        for domain in domains:
            variable, _sep, value = domain.partition("=")
            rows.append(
                Row(
                    variable,
                    _row_label(labels, variable, value),
                    [_cell(found.get((name, domain))) for name in table.indicators],
                )
            )
        tables.append(
            ShownTable(
                table.code,
                labels.title(table),
                [labels.heading(name) for name in table.indicators],
                rows,
            )
        )
    return tables


def region_values(survey: SurveyRun, indicator: str = "child_labour") -> list[tuple[Any, Any]]:
    """Each region with the indicator's percentage where the survey's region codes are
    the HCP's (``01``-``12``) and the figure is not suppressed; ``None`` elsewhere."""
    by_code: dict[str, float | None] = defaultdict(lambda: None)
    for estimate in SurveyEstimate.objects.filter(
        run=survey, indicator=indicator, domain__startswith="region="
    ):
        code = estimate.domain.partition("=")[2]
        if estimate.estimate is not None and flag(estimate.n_unweighted) != "suppressed":
            by_code[code] = round(estimate.estimate * 100, 1)
    return [(region, by_code[region.code]) for region in geography.region_list()]
