"""Risk ranking and the monthly inspection plan: the Django side of ``inspection.risk``.

Reads go through ``inspection.selectors`` (the user's scope); the register and
the census figures are read as columns with ``values_list`` (never model
instances), so an office of 5,000 establishments is scored and planned in a few
tens of milliseconds. The one write, ``plan_save``, puts the plan's new visits
in the office's diary through ``services.visits.visit_plan`` (same checks, same
audit entry per visit) and audits the plan itself.

The plan of a month
-------------------
- Candidates: every establishment of the register in the user's scope, scored
  as of the first day of the month (or today, if later).
- Already in the diary: an establishment with a visit still planned dated in
  the month, or with a follow-up visit still planned whose date has passed
  (overdue). It comes first (as a follow-up due on the visit's date, in date
  order), pinned to the visit's inspector, and counts against that inspector's
  capacity. The plan never changes such a visit (it is changed from its own
  page), and saving skips it.
- Inspectors: the office's labour inspectors whose territory overlaps the
  user's, each with a capacity (visits in the month). Nobody is given an
  establishment outside their territory: when the inspectors' territories
  differ, the plan is made territory by territory, the narrowest first (a
  commune's inspectors, then a province's, a region's, the country's), each
  round planning what the previous rounds left over.

The dates of the visits saved
-----------------------------
Each inspector's new visits, in the plan's order (highest priority first), are
spread evenly over the working days of the month still to come (from today
when the month has begun): with ``D`` working days and ``k`` visits, visit ``j``
(from 0) falls on working day ``floor(j × D / k)``; the first visit is on the
first working day, and no day has more than ``ceil(k / D)`` visits. Working days
are Monday to Friday except the fixed-date public holidays (``FIXED_HOLIDAYS``);
the religious holidays follow the lunar calendar, are not known in advance and
are not excluded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import transaction
from django.db.models import Q
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from himaya.accounts.models import User, territory_level
from himaya.audit.events import AuditEvent
from himaya.audit.services import audit_record
from himaya.cases.services import today
from himaya.core.errors import ApplicationError, InvalidInput
from himaya.geography.models import Commune
from himaya.inspection import risk, selectors
from himaya.inspection.models import Visit, VisitKind, VisitStatus
from himaya.inspection.services.establishments import require_inspection_staff
from himaya.inspection.services.visits import (
    INSPECTOR_OUT_OF_TERRITORY,
    VisitIn,
    office_inspectors,
    visit_plan,
)

#: Visits a month an inspector is given unless told otherwise, and the most allowed.
DEFAULT_CAPACITY = 20
MAX_CAPACITY = 200
#: Changes by hand carried by one plan page, at most.
MAX_ADJUSTMENTS = 500

#: Fixed-date public holidays of Morocco (month, day): New Year, Proclamation of
#: Independence (11 January), Amazigh New Year (14 January), Labour Day, Throne
#: Day (30 July), Oued Ed-Dahab (14 August), Revolution of the King and the
#: People (20 August), Youth Day (21 August), Unity Day (31 October, since 2025),
#: Green March (6 November), Independence Day (18 November). Plans are made for
#: months to come, so a holiday's first year does not matter here.
FIXED_HOLIDAYS: frozenset[tuple[int, int]] = frozenset(
    {
        (1, 1),
        (1, 11),
        (1, 14),
        (5, 1),
        (7, 30),
        (8, 14),
        (8, 20),
        (8, 21),
        (10, 31),
        (11, 6),
        (11, 18),
    }
)

MONTH_OVER = gettext_lazy("This month is over: plan a month to come.")
NO_WORKING_DAY = gettext_lazy("No working day is left in this month.")
VISIT_NOT_SAVED = gettext_lazy("The visit of %(establishment)s could not be planned: %(reason)s")

StrArray = npt.NDArray[np.str_]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

# --- Months and working days ---------------------------------------------------------


def month_bounds(first: date) -> tuple[date, date]:
    """The first and last days of ``first``'s month."""
    start = first.replace(day=1)
    following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return start, following - timedelta(days=1)


def next_month(on: date) -> date:
    """The first day of the month after ``on``'s."""
    return month_bounds(on)[1] + timedelta(days=1)


def working_days(start: date, end: date) -> list[date]:
    """Monday to Friday from ``start`` to ``end`` (inclusive), fixed holidays excluded."""
    days = []
    day = start
    while day <= end:
        if day.weekday() < 5 and (day.month, day.day) not in FIXED_HOLIDAYS:
            days.append(day)
        day += timedelta(days=1)
    return days


def spread(count: int, days: Sequence[date]) -> list[date]:
    """``count`` dates spread evenly over ``days``: the ``j``-th on ``days[j × D // count]``."""
    if count and not days:
        raise ValueError("no day to spread the visits over")
    return [days[j * len(days) // count] for j in range(count)]


# --- Territories -------------------------------------------------------------------------


def covers(territory: str, code: str) -> bool:
    """Whether the territory (an HCP code, "" for the country) covers the
    territory or commune ``code``."""
    if territory in ("", code):
        return True
    return territory_level(territory) in ("region", "province") and code.startswith(territory + ".")


def overlaps(first: str, second: str) -> bool:
    return covers(first, second) or covers(second, first)


# --- The census, as columns -------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class CommuneTable:
    """Every commune of the country (``risk`` ranks them among all), as columns."""

    inputs: risk.CommuneInputs
    regions: StrArray
    provinces: StrArray
    names_fr: list[str]
    names_ar: list[str]

    def __len__(self) -> int:
        return len(self.inputs)

    @property
    def codes(self) -> StrArray:
        return self.inputs.ids

    def name(self, position: int) -> str:
        """The commune's name in Arabic when the page is in Arabic, else in French."""
        if (get_language() or "").startswith("ar") and self.names_ar[position]:
            return self.names_ar[position]
        return self.names_fr[position]

    def within(self, territory: str) -> BoolArray:
        """Which communes lie within the territory."""
        level = territory_level(territory)
        if level == "country":
            return np.ones(len(self), dtype=np.bool_)
        column = {"region": self.regions, "province": self.provinces, "commune": self.codes}.get(
            level
        )
        if column is None:
            return np.zeros(len(self), dtype=np.bool_)
        within: BoolArray = column == territory
        return within


def commune_table() -> CommuneTable:
    """The census figures of every commune, read in one query."""
    rows = list(
        Commune.objects.order_by("code").values_list(
            "code",
            "region_id",
            "province_id",
            "name_fr",
            "name_ar",
            "population_5_9",
            "population_10_14",
            "population_15_19",
            "schooling_rate_6_11",
        )
    )
    columns: list[Sequence[Any]] = [list(c) for c in zip(*rows, strict=True)] or [[]] * 9
    codes, regions, provinces, names_fr, names_ar, p5, p10, p15, rate = columns
    return CommuneTable(
        inputs=risk.CommuneInputs.from_census(codes, p5, p10, p15, rate),
        regions=np.asarray(regions, dtype=np.str_),
        provinces=np.asarray(provinces, dtype=np.str_),
        names_fr=list(names_fr),
        names_ar=list(names_ar),
    )


# --- The register, as columns, and its scores ---------------------------------------------


@dataclass(frozen=True)
class RegisterFilters:
    sector: str = ""
    commune: str = ""
    establishment: int | None = None


@dataclass(frozen=True, eq=False)
class Register:
    """The establishments of the register in the user's scope, their risk inputs
    and scores, one position per establishment."""

    inputs: risk.EstablishmentInputs
    scores: risk.RiskScores
    names: list[str]
    communes: CommuneTable
    on: date
    positions: dict[int, int] = field(repr=False)  # establishment id -> position

    def __len__(self) -> int:
        return len(self.names)

    def ranked(self) -> IntArray:
        """Positions by score, highest first (ties: smallest id first)."""
        order: IntArray = np.lexsort((self.inputs.ids, -self.scores.score)).astype(np.int64)
        return order

    def commune_of(self, position: int) -> int:
        """The position of the establishment's commune in ``communes``."""
        return int(self.inputs.commune[position])


def register_scores(
    user: Any,
    *,
    on: date,
    filters: RegisterFilters | None = None,
    communes: CommuneTable | None = None,
) -> Register:
    """Score the establishments the user sees (``selectors.establishment_visible_to``),
    as of ``on``."""
    filters = filters or RegisterFilters()
    communes = communes or commune_table()
    establishments = selectors.establishment_visible_to(user)
    if filters.sector:
        establishments = establishments.filter(sector=filters.sector)
    if filters.commune:
        establishments = establishments.filter(commune_id=filters.commune)
    if filters.establishment is not None:
        establishments = establishments.filter(pk=filters.establishment)
    rows = list(
        establishments.order_by("id").values_list(
            "id",
            "name",
            "sector",
            "children_found",
            "repeat_offences",
            "last_visit_on",
            "ice",
            "commune_id",
        )
    )
    columns: list[Sequence[Any]] = [list(c) for c in zip(*rows, strict=True)] or [[]] * 8
    ids, names, sectors, children, offences, last_visits, ices, commune_codes = columns
    inputs = risk.EstablishmentInputs(
        ids=np.asarray(ids, dtype=np.int64),
        sectors=np.asarray(sectors, dtype=np.str_),
        children_found=np.asarray(children, dtype=np.int64),
        repeat_offences=np.asarray(offences, dtype=np.int64),
        months_since_visit=risk.months_since(list(last_visits), on),
        informal=np.asarray([not ice for ice in ices], dtype=np.bool_),
        commune=risk.commune_positions(communes.inputs, list(commune_codes)),
        communes=communes.inputs,
    )
    return Register(
        inputs=inputs,
        scores=risk.score_establishments(inputs),
        names=list(names),
        communes=communes,
        on=on,
        positions={int(e): p for p, e in enumerate(ids)},
    )


def commune_scores(register: Register) -> risk.RiskScores:
    """Every commune's score, from the register's establishments and the census."""
    return risk.score_communes(register.inputs, register.scores)


# --- The diary: visits already planned -------------------------------------------------


@dataclass(frozen=True)
class DiaryVisit:
    """A visit of the establishment already in the diary for the month."""

    visit: int
    establishment: int
    kind: str
    scheduled_on: date
    inspectors: tuple[int, ...]


def diary_visits(user: Any, start: date, end: date) -> dict[int, DiaryVisit]:
    """By establishment id, the visit of the month already in the diary: a visit
    still planned dated in the month, or a follow-up still planned and overdue
    (dated before today and before the month). A follow-up wins over another
    visit, then the earliest."""
    overdue_before = min(today(), start)
    rows = (
        selectors.visit_visible_to(user)
        .filter(status=VisitStatus.PLANNED)
        .filter(
            Q(scheduled_on__range=(start, end))
            | Q(kind=VisitKind.FOLLOW_UP, scheduled_on__lt=overdue_before)
        )
        .order_by("scheduled_on", "id")
        .values_list("id", "establishment_id", "kind", "scheduled_on", "inspectors")
    )
    visits: dict[int, DiaryVisit] = {}
    for visit_id, establishment_id, kind, scheduled_on, inspector in rows:
        current = visits.get(establishment_id)
        if current is not None and current.visit == visit_id:
            if inspector is not None:
                visits[establishment_id] = DiaryVisit(
                    visit_id, establishment_id, kind, scheduled_on, (*current.inspectors, inspector)
                )
            continue
        better = current is None or (
            kind == VisitKind.FOLLOW_UP and current.kind != VisitKind.FOLLOW_UP
        )
        if better:
            inspectors = () if inspector is None else (inspector,)
            visits[establishment_id] = DiaryVisit(
                visit_id, establishment_id, kind, scheduled_on, inspectors
            )
    return visits


# --- The plan ------------------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    """A change by hand that was refused: its position in the list, its code
    (``risk.ADJUSTMENT_*``, ``IN_DIARY`` or ``OUT_OF_TERRITORY``) and the
    message in the user's language."""

    position: int
    adjustment: risk.Adjustment
    code: str
    message: str


IN_DIARY = "in_diary"
OUT_OF_TERRITORY = "out_of_territory"


@dataclass(frozen=True, eq=False)
class OfficePlan:
    """One office's plan of a month, as proposed and as changed by hand."""

    month_start: date
    month_end: date
    register: Register
    inspectors: list[User]
    capacities: dict[int, int]
    diary: dict[int, DiaryVisit]
    proposed: risk.Plan
    plan: risk.Plan
    adjustments: tuple[risk.Adjustment, ...] = ()
    refusals: tuple[Refusal, ...] = ()

    def inspector(self, inspector_id: int) -> User | None:
        return next((i for i in self.inspectors if i.pk == inspector_id), None)

    def inspector_name(self, inspector_id: int | None) -> str:
        inspector = None if inspector_id is None else self.inspector(inspector_id)
        if inspector is None:
            return str(inspector_id)
        return inspector.get_full_name() or inspector.get_username()

    def establishment_name(self, establishment_id: int) -> str:
        position = self.register.positions.get(establishment_id)
        return str(establishment_id) if position is None else self.register.names[position]

    def new_visits(self) -> list[risk.PlannedVisit]:
        """The visits of the plan that are not in the diary yet, in plan order."""
        return [v for v in self.plan.visits if v.establishment not in self.diary]


def plan_inspectors(user: User) -> list[User]:
    """The office's labour inspectors whose territory overlaps the user's, by name."""
    office_id = require_inspection_staff(user)
    return [
        inspector
        for inspector in office_inspectors(office_id)
        if overlaps(inspector.territory_code, user.territory_code)
    ]


def _priority(table: risk.CandidateTable, month_end: date) -> IntArray:
    """Positions of the candidates in ``risk.plan_month``'s order of priority."""
    deadlines = table.follow_up_deadlines
    due = deadlines <= np.datetime64(month_end, "D")
    day = np.where(due, deadlines.astype(np.int64), 0)
    order: IntArray = np.lexsort((table.establishments, -table.scores, day, ~due)).astype(np.int64)
    return order


def _propose(
    table: risk.CandidateTable,
    staff: Sequence[tuple[risk.Inspector, str]],
    coverage: Mapping[str, BoolArray],
    start: date,
    end: date,
) -> risk.Plan:
    """``risk.plan_month`` territory by territory (see the module's docstring)."""
    inspectors = tuple(inspector for inspector, _territory in staff)
    territories = sorted({territory for _inspector, territory in staff}, key=len, reverse=True)
    if len(territories) <= 1 and all(coverage[t].all() for t in territories):
        return risk.plan_month(table, inspectors, start, end)

    left = np.ones(len(table), dtype=np.bool_)
    visits: list[risk.PlannedVisit] = []
    for territory in territories:
        group = [inspector for inspector, t in staff if t == territory]
        ids = np.array([inspector.id for inspector in group], dtype=np.int64)
        pins = table.pinned_inspectors
        mine = left & coverage[territory] & ((pins == risk.NO_PIN) | np.isin(pins, ids))
        rows = np.flatnonzero(mine)
        if not len(rows):
            continue
        part = risk.plan_month(
            risk.CandidateTable(
                establishments=table.establishments[rows],
                scores=table.scores[rows],
                follow_up_deadlines=table.follow_up_deadlines[rows],
                pinned_inspectors=table.pinned_inspectors[rows],
            ),
            group,
            start,
            end,
        )
        visits.extend(part.visits)
        left &= ~np.isin(table.establishments, [v.establishment for v in part.visits])

    order = _priority(table, end)
    rank = np.empty(len(table), dtype=np.int64)
    rank[order] = np.arange(len(table))
    position = {int(e): p for p, e in enumerate(table.establishments.tolist())}
    visits.sort(key=lambda v: int(rank[position[v.establishment]]))
    due = table.follow_up_deadlines <= np.datetime64(end, "D")
    pinned = table.pinned_inspectors != risk.NO_PIN
    unplanned: list[risk.Unplanned] = []
    not_selected: list[int] = []
    for c in order[left[order]].tolist():
        if not (due[c] or pinned[c]):
            not_selected.append(int(table.establishments[c]))
            continue
        row = table.row(c)
        unplanned.append(
            risk.Unplanned(
                establishment=row.establishment,
                score=row.score,
                follow_up_deadline=row.follow_up_deadline,
                reason=risk.UNPLANNED_PINNED_INSPECTOR_FULL
                if pinned[c]
                else risk.UNPLANNED_NO_CAPACITY,
            )
        )
    return risk.Plan(
        month_start=start,
        month_end=end,
        inspectors=inspectors,
        visits=tuple(visits),
        unplanned=tuple(unplanned),
        not_selected=tuple(not_selected),
        candidates=table,
    )


def propose(
    *,
    user: User,
    month: date,
    capacities: Mapping[int, int],
    inspectors: Sequence[User] | None = None,
) -> OfficePlan:
    """The office's plan of ``month`` as ``risk.plan_month`` proposes it, within
    the user's scope; ``capacities`` by inspector id (``DEFAULT_CAPACITY`` for
    those left out); ``inspectors`` as ``plan_inspectors(user)`` gives them (read
    when left out)."""
    start, end = month_bounds(month)
    inspectors = list(plan_inspectors(user) if inspectors is None else inspectors)
    register = register_scores(user, on=max(start, today()))
    diary = diary_visits(user, start, end)
    staff_ids = {inspector.pk for inspector in inspectors}

    deadlines = np.full(len(register), np.datetime64("NaT"), dtype="datetime64[D]")
    pins = np.full(len(register), risk.NO_PIN, dtype=np.int64)
    for establishment_id, visit in diary.items():
        p = register.positions.get(establishment_id)
        if p is None:  # pragma: no cover - the diary is read within the same scope
            continue
        deadlines[p] = np.datetime64(visit.scheduled_on, "D")
        pin = next((i for i in visit.inspectors if i in staff_ids), None)
        if pin is not None:
            pins[p] = pin
    table = risk.CandidateTable(
        establishments=register.inputs.ids,
        scores=register.scores.score,
        follow_up_deadlines=deadlines,
        pinned_inspectors=pins,
    )
    capacity = {
        inspector.pk: int(capacities.get(inspector.pk, DEFAULT_CAPACITY))
        for inspector in inspectors
    }
    staff = [
        (risk.Inspector(inspector.pk, capacity[inspector.pk]), inspector.territory_code)
        for inspector in inspectors
    ]
    communes = register.communes
    coverage = {
        territory: communes.within(territory)[register.inputs.commune]
        for territory in {t for _inspector, t in staff}
    }
    plan = _propose(table, staff, coverage, start, end)
    return OfficePlan(
        month_start=start,
        month_end=end,
        register=register,
        inspectors=inspectors,
        capacities=capacity,
        diary=diary,
        proposed=plan,
        plan=plan,
    )


def _message(office: OfficePlan, plan: risk.Plan, change: risk.Adjustment, code: str) -> str:
    establishment = office.establishment_name(change.establishment)
    inspector = office.inspector_name(change.inspector)
    if code == IN_DIARY:
        return _(
            "The visit of %(establishment)s is already in the diary: change it from its own page."
        ) % {"establishment": establishment}
    if code == OUT_OF_TERRITORY:
        return str(INSPECTOR_OUT_OF_TERRITORY) % {"name": inspector}
    if code == risk.ADJUSTMENT_UNKNOWN_INSPECTOR:
        return _("This inspector is not among the inspectors of this plan.")
    if code == risk.ADJUSTMENT_UNKNOWN_ESTABLISHMENT:
        return _("This establishment is not among the candidates of this plan.")
    if code == risk.ADJUSTMENT_OVER_CAPACITY:
        target = change.inspector if change.inspector is not None else -1
        return _("%(inspector)s already has %(load)s of %(capacity)s visits this month.") % {
            "inspector": inspector,
            "load": plan.load().get(target, 0),
            "capacity": office.capacities.get(target, 0),
        }
    if code == risk.ADJUSTMENT_ALREADY_PLANNED:
        return _("%(establishment)s is already in the plan.") % {"establishment": establishment}
    return _("%(establishment)s is not in the plan.") % {"establishment": establishment}


def _check(office: OfficePlan, change: risk.Adjustment) -> str | None:
    """The refusal code of a change the plan's rules forbid beyond ``risk``'s."""
    if change.establishment in office.diary:
        return IN_DIARY
    if change.inspector is None:
        return None
    inspector = office.inspector(change.inspector)
    position = office.register.positions.get(change.establishment)
    if inspector is None or position is None:
        return None  # risk.adjust_plan says which is unknown
    communes = office.register.communes
    commune = office.register.commune_of(position)
    if not (
        inspector.territory_code == ""
        or inspector.territory_code
        in (
            str(communes.regions[commune]),
            str(communes.provinces[commune]),
            communes.codes[commune],
        )
    ):
        return OUT_OF_TERRITORY
    return None


def adjust(office: OfficePlan, adjustments: Iterable[risk.Adjustment]) -> OfficePlan:
    """``office`` with the changes by hand applied in order; a change refused
    (``risk.PlanAdjustmentError`` or the rules of ``_check``) is left out and
    listed in ``refusals`` with its message, and the others still apply."""
    plan = office.plan
    kept = list(office.adjustments)
    refusals = list(office.refusals)
    for position, change in enumerate(list(adjustments)[:MAX_ADJUSTMENTS]):
        code = _check(office, change)
        if code is None:
            try:
                plan = risk.adjust_plan(plan, [change])
            except risk.PlanAdjustmentError as error:
                code = error.code
            else:
                kept.append(change)
                continue
        refusals.append(Refusal(position, change, code, _message(office, plan, change, code)))
    return OfficePlan(
        month_start=office.month_start,
        month_end=office.month_end,
        register=office.register,
        inspectors=office.inspectors,
        capacities=office.capacities,
        diary=office.diary,
        proposed=office.proposed,
        plan=plan,
        adjustments=tuple(kept),
        refusals=tuple(refusals),
    )


# --- Saving --------------------------------------------------------------------------


@dataclass(frozen=True)
class SavedPlan:
    visits: list[Visit]
    skipped: list[int]  # establishment ids already in the diary


def visit_dates(
    plan: risk.Plan, establishments: Sequence[int], days: Sequence[date]
) -> dict[int, date]:
    """The date of each visit of ``establishments`` (in plan order), spread per
    inspector over ``days`` (see the module's docstring)."""
    wanted = set(establishments)
    dates: dict[int, date] = {}
    for visits in plan.by_inspector().values():
        mine = [v.establishment for v in visits if v.establishment in wanted]
        dates.update(zip(mine, spread(len(mine), days), strict=True))
    return dates


def _reasons(error: InvalidInput) -> str:
    return " ".join(str(message) for messages in error.errors.values() for message in messages)


@transaction.atomic
def plan_save(*, actor: User, month: date, plan: risk.Plan) -> SavedPlan:
    """Put the plan's visits in the office's diary: one planned visit (kind
    "planned") per visit of the plan, on a working day of the month (see the
    module's docstring), skipping the establishments that already have a visit
    in the diary for the month. Each visit is planned (checked and audited) by
    ``visit_plan``; the plan is audited as a whole (``PLAN_ADJUSTED``)."""
    office_id = require_inspection_staff(actor)
    start, end = month_bounds(month)
    if (plan.month_start, plan.month_end) != (start, end):
        raise ValueError("the plan is not of this month")
    now = today()
    if end < now:
        raise ApplicationError(MONTH_OVER, code="month_over")
    diary = diary_visits(actor, start, end)
    skipped = [v.establishment for v in plan.visits if v.establishment in diary]
    new = [v for v in plan.visits if v.establishment not in diary]
    days = working_days(max(start, now), end)
    if new and not days:
        raise ApplicationError(NO_WORKING_DAY, code="no_working_day")
    dates = visit_dates(plan, [v.establishment for v in new], days)
    created: list[Visit] = []
    for planned in new:
        try:
            visit = visit_plan(
                actor=actor,
                data=VisitIn(
                    establishment_id=planned.establishment,
                    kind=VisitKind.PLANNED,
                    scheduled_on=dates[planned.establishment],
                    inspector_ids=[planned.inspector],
                ),
            )
        except InvalidInput as error:
            name = (
                selectors.establishment_visible_to(actor)
                .filter(pk=planned.establishment)
                .values_list("name", flat=True)
                .first()
            )
            raise ApplicationError(
                str(VISIT_NOT_SAVED)
                % {"establishment": name or planned.establishment, "reason": _reasons(error)},
                code="visit_not_saved",
            ) from error
        created.append(visit)
    audit_record(
        event=AuditEvent.PLAN_ADJUSTED,
        actor=actor,
        obj=actor.organisation,
        detail={
            "office": office_id,
            "month": start.strftime("%Y-%m"),
            "visits": [v.pk for v in created],
            "skipped": skipped,
            "by_hand": sorted(v.establishment for v in plan.visits if v.by_hand),
            "removed": sorted(
                u.establishment
                for u in plan.unplanned
                if u.reason == risk.UNPLANNED_REMOVED_BY_HAND
            ),
        },
    )
    return SavedPlan(visits=created, skipped=skipped)
