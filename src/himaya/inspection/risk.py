"""Risk scores of establishments and communes, and the monthly inspection plan.

Pure domain code: numpy and the standard library, no Django. The services read
the establishments and the communes from the database, turn them into the
column tables below (``EstablishmentInputs``, ``CommuneInputs``,
``CandidateTable``) and hand the results to the pages.

Scoring
-------
Each factor is normalised to 0..1 (1 = highest risk) and multiplied by its
weight, expressed in points; the weights are scaled so that they sum to 100, so
the score lies in 0..100 and is the exact sum of its factor contributions
(``points = weight × normalised value``). ``explain`` lists the contributions of
one establishment or commune, largest first, with the raw value each came from.

Establishment factors (``FACTORS``):

``sector``
    ``SECTOR_WEIGHTS[code]``: the sector's exposure to child labour.
``past_findings``
    Children found in child labour in past visits, ``n / (n + 2)``: one child
    gives 0.33, two give 0.5, six give 0.75, saturating towards 1.
``repeat_offences``
    Repeat offences recorded against the employer, ``r / (r + 1)``: one gives
    0.5, three give 0.75.
``time_since_visit``
    Months since the last visit / 36, capped at 1; never visited = 1.
``informality``
    1 for an informal workplace (no ICE number), else 0.
``child_population``
    The commune's children aged 5–17, as a percentile of all communes (the
    smallest 0, the largest 1, ties share their mid-rank); unknown = 0.5.
``schooling_gap``
    The commune's share of children aged 6–11 out of school (1 − schooling
    rate), divided by 0.20 and capped at 1: the census rates lie between about
    90 % and 99 % (median 96.3 %), so the raw gap would hardly move a score;
    20 % or more out of school gives the full factor. Unknown = the national
    median of the known communes.

Commune factors (``COMMUNE_FACTORS``): the mean and the maximum score of the
commune's establishments (/ 100; 0 without establishments), and the commune's
own ``child_population`` and ``schooling_gap`` as above.

Planning
--------
``plan_month`` builds one office's plan for one month: follow-up visits whose
deadline falls in the month first (earliest deadline first), then the others by
score; each visit goes to its pinned inspector, or else to the inspector with
the smallest share of capacity used; nobody exceeds its capacity. Candidates
that had a claim on the month but do not fit (follow-ups due in the month,
pinned candidates) are listed in ``Plan.unplanned`` with a reason; the ordinary
candidates left out are in ``Plan.not_selected``. ``adjust_plan`` then applies
changes made by hand, refusing any that breaks a capacity or names an unknown
inspector or establishment.
"""

from __future__ import annotations

import functools
import heapq
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
StrArray = npt.NDArray[np.str_]
DateArray = npt.NDArray[np.datetime64]

# --- Sectors -----------------------------------------------------------------------

#: Risk weight of each sector (0..1), for the sector codes of ``himaya_rules``.
#:
#: Highest where children are found most or work is hazardous by nature:
#: agriculture (74 % of rural working children in Morocco, HCP 2023; 61 % of
#: child labour worldwide, ILO–UNICEF 2024) and mining and quarrying (hazardous
#: for any minor, underground work is named by ``ma.hazardous``); then
#: construction (heights, heavy loads), fishing (work at sea and at night) and
#: domestic work (hidden inside households, Law 19-12); manufacturing includes
#: the craft workshops (carpets, leather, pottery, metal), the traditional
#: employers of under-age apprentices; street work; trade and hotels and
#: restaurants, where urban working children are mostly found; transport;
#: other sectors lowest.
SECTOR_WEIGHTS: dict[str, float] = {
    "agriculture": 1.00,
    "mining_quarrying": 1.00,
    "construction": 0.90,
    "fishing": 0.85,
    "domestic_work": 0.85,
    "manufacturing": 0.75,
    "street_work": 0.70,
    "trade": 0.55,
    "hospitality": 0.55,
    "transport": 0.45,
    "other": 0.35,
}

# --- Normalisation constants ---------------------------------------------------------

#: Children found in past visits that give half of the ``past_findings`` factor.
PAST_FINDINGS_HALF = 2.0
#: Repeat offences that give half of the ``repeat_offences`` factor.
REPEAT_OFFENCES_HALF = 1.0
#: Months since the last visit at which ``time_since_visit`` reaches 1.
VISIT_SATURATION_MONTHS = 36.0
#: Share of children aged 6–11 out of school at which ``schooling_gap`` reaches 1.
SCHOOLING_GAP_SATURATION = 0.20
#: Of the census group aged 15–19, the share counted as aged 15–17 (3 years of 5).
SHARE_15_17_OF_15_19 = 0.6
#: Average length of a month in days, for ``months_since``.
DAYS_PER_MONTH = 365.25 / 12

FACTORS: tuple[str, ...] = (
    "sector",
    "past_findings",
    "repeat_offences",
    "time_since_visit",
    "informality",
    "child_population",
    "schooling_gap",
)
COMMUNE_FACTORS: tuple[str, ...] = (
    "establishment_mean",
    "establishment_max",
    "child_population",
    "schooling_gap",
)


def _points(weights: RiskWeights | CommuneWeights) -> dict[str, float]:
    """The weights of a weights dataclass scaled to sum to 100 points, by field name."""
    values = {f.name: float(getattr(weights, f.name)) for f in fields(weights)}
    for name, value in values.items():
        if not np.isfinite(value) or value < 0:
            raise ValueError(f"the weight of {name} must be a finite number ≥ 0, not {value}")
    total = sum(values.values())
    if total <= 0:
        raise ValueError("at least one weight must be positive")
    return {name: 100.0 * value / total for name, value in values.items()}


@dataclass(frozen=True)
class RiskWeights:
    """Relative weight of each establishment factor; scaled to sum to 100 points.

    The defaults sum to 100, so each default is also the points a factor gives
    at its maximum. Rationale: what inspectors found before (children, repeat
    offences) and the sector say most about a workplace; a long time without a
    visit and informality say where nobody has looked; the commune's figures
    place the workplace among the children around it.
    """

    sector: float = 20.0
    past_findings: float = 20.0
    repeat_offences: float = 15.0
    time_since_visit: float = 15.0
    informality: float = 10.0
    child_population: float = 10.0
    schooling_gap: float = 10.0

    def __post_init__(self) -> None:
        self.points()

    def points(self) -> dict[str, float]:
        """Points of each factor at its maximum (factor code -> points), summing to 100."""
        return _points(self)


@dataclass(frozen=True)
class CommuneWeights:
    """Relative weight of each commune factor; scaled to sum to 100 points."""

    establishment_mean: float = 40.0
    establishment_max: float = 20.0
    child_population: float = 20.0
    schooling_gap: float = 20.0

    def __post_init__(self) -> None:
        self.points()

    def points(self) -> dict[str, float]:
        """Points of each factor at its maximum (factor code -> points), summing to 100."""
        return _points(self)


DEFAULT_WEIGHTS = RiskWeights()
DEFAULT_COMMUNE_WEIGHTS = CommuneWeights()

# --- Inputs --------------------------------------------------------------------------


def _column(values: Any, dtype: Any, name: str, length: int | None = None) -> Any:
    array = np.asarray(values, dtype=dtype)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional")
    if length is not None and len(array) != length:
        raise ValueError(f"{name} has {len(array)} values, expected {length}")
    return array


def _float_or_nan(value: float | None) -> float:
    return np.nan if value is None else float(value)


@dataclass(frozen=True, eq=False)
class CommuneInputs:
    """Census figures per commune, one position per commune.

    Pass every commune of the country: ``child_population`` is a percentile
    among the communes given here.

    - ``ids``: HCP codes.
    - ``children_5_17``: children aged 5–17 (NaN = unknown).
    - ``schooling_rate_6_11``: share of children aged 6–11 in school, in
      percent, 0..100, as stored on ``Commune`` (NaN = unknown).
    """

    ids: StrArray
    children_5_17: FloatArray
    schooling_rate_6_11: FloatArray

    def __post_init__(self) -> None:
        ids = _column(self.ids, np.str_, "ids")
        n = len(ids)
        children = _column(self.children_5_17, np.float64, "children_5_17", n)
        rate = _column(self.schooling_rate_6_11, np.float64, "schooling_rate_6_11", n)
        if np.any(children < 0):
            raise ValueError("children_5_17 must be ≥ 0")
        if np.any((rate < 0) | (rate > 100)):
            raise ValueError("schooling_rate_6_11 is a percentage: 0..100")
        object.__setattr__(self, "ids", ids)
        object.__setattr__(self, "children_5_17", children)
        object.__setattr__(self, "schooling_rate_6_11", rate)

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def from_census(
        cls,
        ids: Sequence[str],
        population_5_9: Sequence[float | None],
        population_10_14: Sequence[float | None],
        population_15_19: Sequence[float | None],
        schooling_rate_6_11: Sequence[float | None],
    ) -> CommuneInputs:
        """From the fields of ``Commune`` (``None`` = unknown).

        Children aged 5–17 = aged 5–9 + aged 10–14 + 3/5 of aged 15–19 (the
        census groups by five years; ages 15, 16 and 17 are three of them).
        Unknown when any of the three groups is.
        """
        p5 = np.array([_float_or_nan(v) for v in population_5_9], dtype=np.float64)
        p10 = np.array([_float_or_nan(v) for v in population_10_14], dtype=np.float64)
        p15 = np.array([_float_or_nan(v) for v in population_15_19], dtype=np.float64)
        if not len(p5) == len(p10) == len(p15):
            raise ValueError("the age groups have different lengths")
        rate = np.array([_float_or_nan(v) for v in schooling_rate_6_11], dtype=np.float64)
        return cls(
            ids=np.asarray(ids, dtype=np.str_),
            children_5_17=p5 + p10 + SHARE_15_17_OF_15_19 * p15,
            schooling_rate_6_11=rate,
        )

    @functools.cached_property
    def factors(self) -> tuple[FloatArray, FloatArray]:
        """(``child_population``, ``schooling_gap``), normalised to 0..1, per commune."""
        return _child_population(self.children_5_17), _schooling_gap(self.schooling_rate_6_11)


def _child_population(children: FloatArray) -> FloatArray:
    """Mid-rank percentile among the known values; unknown = 0.5."""
    known = ~np.isnan(children)
    values = np.sort(children[known])
    result = np.full(len(children), 0.5)
    if len(values) > 1:
        x = children[known]
        below = np.searchsorted(values, x, side="left")
        equal = np.searchsorted(values, x, side="right") - below
        result[known] = (below + (equal - 1) / 2) / (len(values) - 1)
    return result


def _schooling_gap(rate: FloatArray) -> FloatArray:
    """(1 − rate/100) / ``SCHOOLING_GAP_SATURATION``, capped at 1; unknown = national median."""
    gap: FloatArray = np.clip((1.0 - rate / 100.0) / SCHOOLING_GAP_SATURATION, 0.0, 1.0)
    unknown = np.isnan(gap)
    if unknown.any():
        gap[unknown] = 0.0 if unknown.all() else float(np.median(gap[~unknown]))
    return gap


def commune_positions(communes: CommuneInputs, codes: Sequence[str] | StrArray) -> IntArray:
    """Position in ``communes`` of each HCP code; ``ValueError`` naming unknown codes."""
    wanted = np.asarray(codes, dtype=np.str_)
    order = np.argsort(communes.ids, kind="stable")
    ordered = communes.ids[order]
    at = np.clip(np.searchsorted(ordered, wanted), 0, max(len(ordered) - 1, 0))
    found = ordered[at] == wanted if len(ordered) else np.zeros(len(wanted), dtype=np.bool_)
    if not found.all():
        unknown = sorted(set(wanted[~found].tolist()))
        raise ValueError(f"unknown communes: {', '.join(unknown[:10])}")
    return order[at].astype(np.int64)


def months_since(last_visits: Sequence[date | None] | DateArray, on: date) -> FloatArray:
    """Months from each last visit to ``on`` (NaN = never visited; a future date gives 0)."""
    visits = np.asarray(
        [np.datetime64("NaT") if d is None else d for d in last_visits]
        if not isinstance(last_visits, np.ndarray)
        else last_visits,
        dtype="datetime64[D]",
    )
    days = (np.datetime64(on, "D") - visits).astype(np.float64)
    days[np.isnat(visits)] = np.nan
    months: FloatArray = np.maximum(days, 0.0) / DAYS_PER_MONTH
    return months


@dataclass(frozen=True, eq=False)
class EstablishmentInputs:
    """The establishments to score, one position per establishment.

    - ``ids``: establishment ids.
    - ``sectors``: sector codes (keys of ``SECTOR_WEIGHTS``).
    - ``children_found``: children found in child labour in past visits.
    - ``repeat_offences``: repeat offences recorded.
    - ``months_since_visit``: months since the last visit, NaN = never visited
      (see ``months_since``).
    - ``informal``: True for a workplace without an ICE number.
    - ``commune``: position of the establishment's commune in ``communes``
      (see ``commune_positions``).
    - ``communes``: the census figures of every commune.
    """

    ids: IntArray
    sectors: StrArray
    children_found: IntArray
    repeat_offences: IntArray
    months_since_visit: FloatArray
    informal: BoolArray
    commune: IntArray
    communes: CommuneInputs

    def __post_init__(self) -> None:
        ids = _column(self.ids, np.int64, "ids")
        n = len(ids)
        columns = {
            "ids": ids,
            "sectors": _column(self.sectors, np.str_, "sectors", n),
            "children_found": _column(self.children_found, np.int64, "children_found", n),
            "repeat_offences": _column(self.repeat_offences, np.int64, "repeat_offences", n),
            "months_since_visit": _column(
                self.months_since_visit, np.float64, "months_since_visit", n
            ),
            "informal": _column(self.informal, np.bool_, "informal", n),
            "commune": _column(self.commune, np.int64, "commune", n),
        }
        for name in ("children_found", "repeat_offences", "months_since_visit"):
            if np.any(columns[name] < 0):
                raise ValueError(f"{name} must be ≥ 0")
        commune = columns["commune"]
        if n and (commune.min() < 0 or commune.max() >= len(self.communes)):
            raise ValueError(f"commune positions must lie in 0..{len(self.communes) - 1}")
        for name, column in columns.items():
            object.__setattr__(self, name, column)

    def __len__(self) -> int:
        return len(self.ids)


# --- Scores --------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class RiskScores:
    """Scores of establishments (``score_establishments``) or communes (``score_communes``).

    For each factor code (in ``weights`` order): ``raw`` holds the value the
    factor came from (NaN where unknown or never), ``normalised`` its 0..1
    value, ``contributions`` its points (``weights[f] × normalised[f]``);
    ``score`` is the sum of the contributions, 0..100.
    """

    ids: npt.NDArray[Any]
    score: FloatArray
    weights: Mapping[str, float]
    raw: Mapping[str, npt.NDArray[Any]]
    normalised: Mapping[str, FloatArray]
    contributions: Mapping[str, FloatArray]

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def factors(self) -> tuple[str, ...]:
        return tuple(self.weights)

    def index_of(self, id: Any) -> int:
        """Position of ``id``; ``KeyError`` if absent."""
        hits = np.flatnonzero(self.ids == id)
        if not len(hits):
            raise KeyError(id)
        return int(hits[0])


@dataclass(frozen=True)
class FactorContribution:
    """One line of an explanation.

    ``raw`` is what the factor was computed from, ``None`` when unknown or
    never (for ``time_since_visit``, never visited): a sector code, a count of
    children or offences, months, a bool (informal), a number of children
    aged 5–17, a schooling rate in percent, a mean or maximum score.
    ``weight`` is the points the factor gives at its maximum, ``points`` what it
    gives here.
    """

    factor: str
    raw: float | int | str | bool | None
    normalised: float
    weight: float
    points: float


def _build_scores(
    ids: npt.NDArray[Any],
    points: Mapping[str, float],
    raw: Mapping[str, npt.NDArray[Any]],
    normalised: Mapping[str, FloatArray],
) -> RiskScores:
    contributions = {name: weight * normalised[name] for name, weight in points.items()}
    total = np.zeros(len(ids), dtype=np.float64)
    for values in contributions.values():
        total += values
    return RiskScores(
        ids=ids,
        score=total,
        weights=dict(points),
        raw=dict(raw),
        normalised=dict(normalised),
        contributions=contributions,
    )


def _sector_factor(sectors: StrArray) -> FloatArray:
    codes = np.array(sorted(SECTOR_WEIGHTS), dtype=np.str_)
    values = np.array([SECTOR_WEIGHTS[c] for c in codes.tolist()], dtype=np.float64)
    at = np.clip(np.searchsorted(codes, sectors), 0, len(codes) - 1)
    known = codes[at] == sectors
    if not known.all():
        unknown = sorted(set(sectors[~known].tolist()))
        raise ValueError(f"unknown sectors: {', '.join(repr(s) for s in unknown[:10])}")
    factor: FloatArray = values[at]
    return factor


def score_establishments(
    table: EstablishmentInputs, weights: RiskWeights = DEFAULT_WEIGHTS
) -> RiskScores:
    """Score every establishment of ``table``, factor by factor (vectorised)."""
    children = table.children_found.astype(np.float64)
    offences = table.repeat_offences.astype(np.float64)
    months = table.months_since_visit
    child_population, schooling_gap = table.communes.factors
    normalised: dict[str, FloatArray] = {
        "sector": _sector_factor(table.sectors),
        "past_findings": children / (children + PAST_FINDINGS_HALF),
        "repeat_offences": offences / (offences + REPEAT_OFFENCES_HALF),
        "time_since_visit": np.where(
            np.isnan(months), 1.0, np.minimum(months / VISIT_SATURATION_MONTHS, 1.0)
        ),
        "informality": table.informal.astype(np.float64),
        "child_population": child_population[table.commune],
        "schooling_gap": schooling_gap[table.commune],
    }
    raw: dict[str, npt.NDArray[Any]] = {
        "sector": table.sectors,
        "past_findings": table.children_found,
        "repeat_offences": table.repeat_offences,
        "time_since_visit": months,
        "informality": table.informal,
        "child_population": table.communes.children_5_17[table.commune],
        "schooling_gap": table.communes.schooling_rate_6_11[table.commune],
    }
    return _build_scores(table.ids, weights.points(), raw, normalised)


def score_communes(
    table: EstablishmentInputs,
    scores: RiskScores,
    weights: CommuneWeights = DEFAULT_COMMUNE_WEIGHTS,
) -> RiskScores:
    """Score every commune of ``table.communes`` from its establishments' ``scores``
    (as returned by ``score_establishments(table)``) and its own census factors."""
    if len(scores) != len(table):
        raise ValueError("scores and table have different lengths")
    communes = table.communes
    n = len(communes)
    count = np.bincount(table.commune, minlength=n)
    total = np.bincount(table.commune, weights=scores.score, minlength=n)
    highest = np.zeros(n, dtype=np.float64)
    np.maximum.at(highest, table.commune, scores.score)
    has = count > 0
    mean = np.divide(total, count, out=np.full(n, np.nan), where=has)
    highest_raw = np.where(has, highest, np.nan)
    child_population, schooling_gap = communes.factors
    normalised: dict[str, FloatArray] = {
        "establishment_mean": np.where(has, mean, 0.0) / 100.0,
        "establishment_max": highest / 100.0,
        "child_population": child_population,
        "schooling_gap": schooling_gap,
    }
    raw: dict[str, npt.NDArray[Any]] = {
        "establishment_mean": mean,
        "establishment_max": highest_raw,
        "child_population": communes.children_5_17,
        "schooling_gap": communes.schooling_rate_6_11,
    }
    return _build_scores(communes.ids, weights.points(), raw, normalised)


def _python(value: Any) -> float | int | str | bool | None:
    item = value.item() if isinstance(value, np.generic) else value
    if isinstance(item, float) and np.isnan(item):
        return None
    if item is None or isinstance(item, float | int | str | bool):
        return item
    return str(item)


def explain(scores: RiskScores, i: int) -> list[FactorContribution]:
    """The factor contributions of the establishment or commune at position ``i``,
    most points first (ties in factor order)."""
    lines = [
        FactorContribution(
            factor=name,
            raw=_python(scores.raw[name][i]),
            normalised=float(scores.normalised[name][i]),
            weight=weight,
            points=float(scores.contributions[name][i]),
        )
        for name, weight in scores.weights.items()
    ]
    return sorted(lines, key=lambda line: -line.points)


# --- Planning ------------------------------------------------------------------------

#: ``CandidateTable.pinned_inspectors`` value for "not pinned".
NO_PIN = -1

#: Why a visit is in the plan.
REASON_FOLLOW_UP_DUE = "follow_up_due"
REASON_RISK_SCORE = "risk_score"
REASON_BY_HAND = "by_hand"

#: Why a candidate is in ``Plan.unplanned``.
UNPLANNED_NO_CAPACITY = "no_capacity"
UNPLANNED_PINNED_INSPECTOR_FULL = "pinned_inspector_full"
UNPLANNED_PINNED_INSPECTOR_UNKNOWN = "pinned_inspector_unknown"
UNPLANNED_REMOVED_BY_HAND = "removed_by_hand"

#: ``PlanAdjustmentError.code`` values and their messages.
ADJUSTMENT_UNKNOWN_INSPECTOR = "unknown_inspector"
ADJUSTMENT_UNKNOWN_ESTABLISHMENT = "unknown_establishment"
ADJUSTMENT_OVER_CAPACITY = "over_capacity"
ADJUSTMENT_ALREADY_PLANNED = "already_planned"
ADJUSTMENT_NOT_PLANNED = "not_planned"
ADJUSTMENT_MESSAGES: dict[str, str] = {
    ADJUSTMENT_UNKNOWN_INSPECTOR: "inspector {inspector} is not among this plan's inspectors",
    ADJUSTMENT_UNKNOWN_ESTABLISHMENT: "establishment {establishment} is not a candidate",
    ADJUSTMENT_OVER_CAPACITY: "inspector {inspector} already has {load} of {capacity} visits",
    ADJUSTMENT_ALREADY_PLANNED: "establishment {establishment} is already in the plan",
    ADJUSTMENT_NOT_PLANNED: "establishment {establishment} is not in the plan",
}


@dataclass(frozen=True)
class Inspector:
    """An inspector of the office and the visits it can make in the month."""

    id: int
    capacity: int

    def __post_init__(self) -> None:
        if self.id < 0:
            raise ValueError(f"inspector id must be ≥ 0, not {self.id}")
        if self.capacity < 0:
            raise ValueError(f"capacity of inspector {self.id} must be ≥ 0")


@dataclass(frozen=True)
class Candidate:
    """An establishment that may be visited: its score, the deadline of a
    follow-up visit if one is due, the inspector it is pinned to if any."""

    establishment: int
    score: float
    follow_up_deadline: date | None = None
    pinned_inspector: int | None = None


@dataclass(frozen=True, eq=False)
class CandidateTable:
    """The candidates as columns (for large offices); ``from_rows`` builds one.

    ``follow_up_deadlines``: NaT = no follow-up due; ``pinned_inspectors``:
    ``NO_PIN`` = not pinned. Establishment ids are unique, scores finite.
    """

    establishments: IntArray
    scores: FloatArray
    follow_up_deadlines: DateArray
    pinned_inspectors: IntArray

    def __post_init__(self) -> None:
        ids = _column(self.establishments, np.int64, "establishments")
        n = len(ids)
        scores = _column(self.scores, np.float64, "scores", n)
        deadlines = _column(self.follow_up_deadlines, "datetime64[D]", "follow_up_deadlines", n)
        pins = _column(self.pinned_inspectors, np.int64, "pinned_inspectors", n)
        if len(np.unique(ids)) != n:
            raise ValueError("an establishment appears twice among the candidates")
        if not np.isfinite(scores).all():
            raise ValueError("scores must be finite")
        object.__setattr__(self, "establishments", ids)
        object.__setattr__(self, "scores", scores)
        object.__setattr__(self, "follow_up_deadlines", deadlines)
        object.__setattr__(self, "pinned_inspectors", pins)

    def __len__(self) -> int:
        return len(self.establishments)

    @classmethod
    def from_rows(cls, rows: Iterable[Candidate]) -> CandidateTable:
        rows = list(rows)
        return cls(
            establishments=np.array([r.establishment for r in rows], dtype=np.int64),
            scores=np.array([r.score for r in rows], dtype=np.float64),
            follow_up_deadlines=np.array(
                [
                    np.datetime64("NaT") if r.follow_up_deadline is None else r.follow_up_deadline
                    for r in rows
                ],
                dtype="datetime64[D]",
            ),
            pinned_inspectors=np.array(
                [NO_PIN if r.pinned_inspector is None else r.pinned_inspector for r in rows],
                dtype=np.int64,
            ),
        )

    def row(self, i: int) -> Candidate:
        pin = int(self.pinned_inspectors[i])
        return Candidate(
            establishment=int(self.establishments[i]),
            score=float(self.scores[i]),
            follow_up_deadline=self.follow_up_deadlines[i].item(),
            pinned_inspector=None if pin == NO_PIN else pin,
        )


@dataclass(frozen=True)
class PlannedVisit:
    """A visit of the plan. ``reason``: ``REASON_FOLLOW_UP_DUE``,
    ``REASON_RISK_SCORE`` or ``REASON_BY_HAND``; ``pinned``: the candidate is
    pinned to this inspector; ``by_hand``: added or moved by hand."""

    establishment: int
    inspector: int
    score: float
    follow_up_deadline: date | None
    reason: str
    pinned: bool = False
    by_hand: bool = False


@dataclass(frozen=True)
class Unplanned:
    """A candidate with a claim on the month that is not in the plan, and why
    (``UNPLANNED_*``)."""

    establishment: int
    score: float
    follow_up_deadline: date | None
    reason: str


@dataclass(frozen=True, eq=False)
class Plan:
    """One office's plan for one month.

    ``visits`` in priority order (additions by hand last), ``unplanned`` the
    follow-ups due in the month and the pinned candidates that are not planned,
    with the reason, ``not_selected`` the ids of the other candidates left out,
    by priority. Every candidate is in exactly one of the three.
    """

    month_start: date
    month_end: date
    inspectors: tuple[Inspector, ...]
    visits: tuple[PlannedVisit, ...]
    unplanned: tuple[Unplanned, ...]
    not_selected: tuple[int, ...]
    candidates: CandidateTable = field(repr=False)

    def load(self) -> dict[int, int]:
        """Visits per inspector id (every inspector, 0 included)."""
        load = {inspector.id: 0 for inspector in self.inspectors}
        for visit in self.visits:
            load[visit.inspector] += 1
        return load

    def by_inspector(self) -> dict[int, list[PlannedVisit]]:
        """Visits per inspector id, in plan order (every inspector, [] included)."""
        result: dict[int, list[PlannedVisit]] = {i.id: [] for i in self.inspectors}
        for visit in self.visits:
            result[visit.inspector].append(visit)
        return result


@dataclass(frozen=True)
class Adjustment:
    """A change by hand: ``add`` an establishment to an inspector, ``remove`` it
    from the plan, ``move`` it to another inspector."""

    action: Literal["add", "remove", "move"]
    establishment: int
    inspector: int | None = None

    def __post_init__(self) -> None:
        if self.action not in ("add", "remove", "move"):
            raise ValueError(f"unknown adjustment {self.action!r}")
        if (self.inspector is None) != (self.action == "remove"):
            raise ValueError(
                "remove takes no inspector" if self.action == "remove" else "which inspector?"
            )

    @classmethod
    def add(cls, establishment: int, inspector: int) -> Adjustment:
        return cls("add", establishment, inspector)

    @classmethod
    def remove(cls, establishment: int) -> Adjustment:
        return cls("remove", establishment)

    @classmethod
    def move(cls, establishment: int, inspector: int) -> Adjustment:
        return cls("move", establishment, inspector)


class PlanAdjustmentError(ValueError):
    """An adjustment was refused; none of the adjustments given was applied.

    ``code`` is one of the ``ADJUSTMENT_*`` codes, ``position`` the adjustment's
    position (from 0) in the list given.
    """

    def __init__(self, code: str, position: int, adjustment: Adjustment, **values: Any) -> None:
        self.code = code
        self.position = position
        self.adjustment = adjustment
        message = ADJUSTMENT_MESSAGES[code].format(
            establishment=adjustment.establishment, inspector=adjustment.inspector, **values
        )
        super().__init__(f"adjustment {position + 1} ({adjustment.action}): {message}")


def _check_inspectors(inspectors: Sequence[Inspector]) -> None:
    ids = [inspector.id for inspector in inspectors]
    if len(set(ids)) != len(ids):
        raise ValueError("an inspector appears twice")


def plan_month(
    candidates: CandidateTable | Sequence[Candidate],
    inspectors: Sequence[Inspector],
    month_start: date,
    month_end: date,
    adjustments: Sequence[Adjustment] | None = None,
) -> Plan:
    """The plan of one office for the month ``month_start``..``month_end`` (inclusive).

    1. Priority: follow-ups whose deadline falls in the month or has passed,
       by deadline, then every other candidate (no follow-up, or a deadline
       after the month) by score, highest first; ties by score then
       establishment id.
    2. In that order, each candidate goes to its pinned inspector if that one
       has room, else (not pinned) to the inspector with the smallest share of
       capacity used (ties: fewest visits, then the order of ``inspectors``).
       Nobody exceeds its capacity.
    3. A follow-up due in the month that does not fit, or a pinned candidate
       that does not fit or whose inspector is not in ``inspectors``, goes to
       ``unplanned`` with the reason; other candidates left out go to
       ``not_selected``.
    4. ``adjustments`` are then applied in order (see ``adjust_plan``).

    O(n log n) for the sort, then O(log m) per planned visit.
    """
    table = (
        candidates
        if isinstance(candidates, CandidateTable)
        else CandidateTable.from_rows(candidates)
    )
    if month_end < month_start:
        raise ValueError("the month ends before it starts")
    staff = tuple(inspectors)
    _check_inspectors(staff)

    deadlines = table.follow_up_deadlines
    # Due: the deadline falls in the month, or has already passed (an overdue
    # follow-up is the most urgent of all). NaT compares false: no follow-up.
    due = deadlines <= np.datetime64(month_end, "D")
    day = np.where(due, deadlines.astype(np.int64), 0)
    order = np.lexsort((table.establishments, -table.scores, day, ~due))

    # Position of each candidate's pinned inspector: -1 not pinned, -2 unknown.
    pins = table.pinned_inspectors
    staff_ids = np.array([inspector.id for inspector in staff], dtype=np.int64)
    by_id = np.argsort(staff_ids)
    pin_position = np.full(len(table), -1, dtype=np.int64)
    pinned = pins != NO_PIN
    if pinned.any():
        pin_position[pinned] = -2
        if len(staff):
            at = np.clip(np.searchsorted(staff_ids[by_id], pins), 0, len(staff) - 1)
            found = pinned & (staff_ids[by_id][at] == pins)
            pin_position[found] = by_id[at[found]]

    capacity = [inspector.capacity for inspector in staff]
    load = [0] * len(staff)
    room = sum(capacity)
    heap = [(0.0, 0, k) for k in range(len(staff)) if capacity[k] > 0]
    planned: list[tuple[int, int]] = []  # (candidate position, inspector position)
    refused: list[tuple[int, str]] = []  # (candidate position, reason)
    order_list: list[int] = order.tolist()
    stop = len(order_list)
    for k, c in enumerate(order_list):
        if room == 0:
            stop = k
            break
        p = int(pin_position[c])
        if p == -2:
            refused.append((c, UNPLANNED_PINNED_INSPECTOR_UNKNOWN))
            continue
        if p >= 0 and load[p] >= capacity[p]:
            refused.append((c, UNPLANNED_PINNED_INSPECTOR_FULL))
            continue
        if p == -1:
            while True:  # the least-loaded inspector with room; stale entries skipped
                _, entry_load, p = heapq.heappop(heap)
                if entry_load == load[p] and load[p] < capacity[p]:
                    break
        load[p] += 1
        room -= 1
        planned.append((c, p))
        if load[p] < capacity[p]:
            heapq.heappush(heap, (load[p] / capacity[p], load[p], p))

    rest = order[stop:]
    rest_pins = pin_position[rest]
    claims = (rest_pins != -1) | due[rest]
    reasons = np.where(
        rest_pins[claims] == -2,
        UNPLANNED_PINNED_INSPECTOR_UNKNOWN,
        np.where(rest_pins[claims] >= 0, UNPLANNED_PINNED_INSPECTOR_FULL, UNPLANNED_NO_CAPACITY),
    )
    refused.extend(zip(rest[claims].tolist(), reasons.tolist(), strict=True))

    def deadline(c: int) -> date | None:
        value: date | None = deadlines[c].item()
        return value

    visits = tuple(
        PlannedVisit(
            establishment=int(table.establishments[c]),
            inspector=staff[p].id,
            score=float(table.scores[c]),
            follow_up_deadline=deadline(c),
            reason=REASON_FOLLOW_UP_DUE if due[c] else REASON_RISK_SCORE,
            pinned=bool(pinned[c]),
        )
        for c, p in planned
    )
    unplanned = tuple(
        Unplanned(
            establishment=int(table.establishments[c]),
            score=float(table.scores[c]),
            follow_up_deadline=deadline(c),
            reason=reason,
        )
        for c, reason in refused
    )
    plan = Plan(
        month_start=month_start,
        month_end=month_end,
        inspectors=staff,
        visits=visits,
        unplanned=unplanned,
        not_selected=tuple(table.establishments[rest[~claims]].tolist()),
        candidates=table,
    )
    return adjust_plan(plan, adjustments) if adjustments else plan


def adjust_plan(plan: Plan, adjustments: Sequence[Adjustment]) -> Plan:
    """``plan`` with ``adjustments`` applied in order, all or none.

    - ``add``: the establishment (a candidate not in the plan) goes to the
      inspector, with reason ``REASON_BY_HAND``;
    - ``remove``: the visit leaves the plan; the establishment is listed in
      ``unplanned`` with ``UNPLANNED_REMOVED_BY_HAND``;
    - ``move``: the visit goes to another inspector (to the same one: no change).

    Raises ``PlanAdjustmentError`` for an unknown inspector or establishment,
    an inspector at capacity, adding what is planned or removing or moving
    what is not.
    """
    capacity = {inspector.id: inspector.capacity for inspector in plan.inspectors}
    load = plan.load()
    visits = {visit.establishment: visit for visit in plan.visits}
    unplanned = {item.establishment: item for item in plan.unplanned}
    taken_from_not_selected: set[int] = set()
    table = plan.candidates

    for position, change in enumerate(adjustments):
        hits = np.flatnonzero(table.establishments == change.establishment)
        if not len(hits):
            raise PlanAdjustmentError(ADJUSTMENT_UNKNOWN_ESTABLISHMENT, position, change)
        row = table.row(int(hits[0]))
        current = visits.get(change.establishment)
        target = change.inspector
        if target is None:  # remove (only a removal names no inspector)
            if current is None:
                raise PlanAdjustmentError(ADJUSTMENT_NOT_PLANNED, position, change)
            del visits[change.establishment]
            load[current.inspector] -= 1
            unplanned[change.establishment] = Unplanned(
                establishment=current.establishment,
                score=current.score,
                follow_up_deadline=current.follow_up_deadline,
                reason=UNPLANNED_REMOVED_BY_HAND,
            )
            continue
        if target not in capacity:
            raise PlanAdjustmentError(ADJUSTMENT_UNKNOWN_INSPECTOR, position, change)
        if change.action == "add" and current is not None:
            raise PlanAdjustmentError(ADJUSTMENT_ALREADY_PLANNED, position, change)
        if change.action == "move" and current is None:
            raise PlanAdjustmentError(ADJUSTMENT_NOT_PLANNED, position, change)
        if current is not None and current.inspector == target:
            continue
        if load[target] >= capacity[target]:
            raise PlanAdjustmentError(
                ADJUSTMENT_OVER_CAPACITY,
                position,
                change,
                load=load[target],
                capacity=capacity[target],
            )
        load[target] += 1
        if current is not None:  # move
            load[current.inspector] -= 1
            reason = current.reason
        else:  # add
            if unplanned.pop(change.establishment, None) is None:
                taken_from_not_selected.add(change.establishment)
            reason = REASON_BY_HAND
        visits[change.establishment] = PlannedVisit(
            establishment=row.establishment,
            inspector=target,
            score=row.score,
            follow_up_deadline=row.follow_up_deadline,
            reason=reason,
            pinned=row.pinned_inspector == target,
            by_hand=True,
        )

    not_selected = plan.not_selected
    if taken_from_not_selected:
        not_selected = tuple(e for e in not_selected if e not in taken_from_not_selected)
    return Plan(
        month_start=plan.month_start,
        month_end=plan.month_end,
        inspectors=plan.inspectors,
        visits=tuple(visits.values()),
        unplanned=tuple(unplanned.values()),
        not_selected=not_selected,
        candidates=table,
    )
