"""Risk scores and the monthly plan (``himaya.inspection.risk``): no database."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from himaya.inspection.risk import (
    ADJUSTMENT_ALREADY_PLANNED,
    ADJUSTMENT_NOT_PLANNED,
    ADJUSTMENT_OVER_CAPACITY,
    ADJUSTMENT_UNKNOWN_ESTABLISHMENT,
    ADJUSTMENT_UNKNOWN_INSPECTOR,
    COMMUNE_FACTORS,
    DEFAULT_WEIGHTS,
    FACTORS,
    REASON_BY_HAND,
    REASON_FOLLOW_UP_DUE,
    REASON_RISK_SCORE,
    SECTOR_WEIGHTS,
    UNPLANNED_NO_CAPACITY,
    UNPLANNED_PINNED_INSPECTOR_FULL,
    UNPLANNED_PINNED_INSPECTOR_UNKNOWN,
    UNPLANNED_REMOVED_BY_HAND,
    Adjustment,
    Candidate,
    CandidateTable,
    CommuneInputs,
    EstablishmentInputs,
    Inspector,
    Plan,
    PlanAdjustmentError,
    RiskWeights,
    adjust_plan,
    commune_positions,
    explain,
    months_since,
    plan_month,
    score_communes,
    score_establishments,
)
from himaya_rules.codes import SECTORS

MAY_START, MAY_END = date(2025, 5, 1), date(2025, 5, 31)

# --- Scoring -------------------------------------------------------------------------


def three_communes() -> CommuneInputs:
    # Children 5-17: 1,000 < 5,000 < 20,000 -> percentiles 0, 0.5, 1.
    # Schooling 96 %, 90 %, 80 % -> gaps 4 %, 10 %, 20 % -> / 20 % -> 0.2, 0.5, 1.
    return CommuneInputs(
        ids=np.array(["A", "B", "C"]),
        children_5_17=np.array([1000.0, 5000.0, 20000.0]),
        schooling_rate_6_11=np.array([96.0, 90.0, 80.0]),
    )


def three_establishments() -> EstablishmentInputs:
    return EstablishmentInputs(
        ids=np.array([1, 2, 3]),
        sectors=np.array(["agriculture", "trade", "construction"]),
        children_found=np.array([2, 0, 6]),
        repeat_offences=np.array([1, 0, 3]),
        months_since_visit=np.array([np.nan, 18.0, 6.0]),
        informal=np.array([True, False, True]),
        commune=np.array([2, 0, 1]),
        communes=three_communes(),
    )


def test_sector_weights_cover_every_sector_code() -> None:
    assert set(SECTOR_WEIGHTS) == set(SECTORS)
    assert all(0 < weight <= 1 for weight in SECTOR_WEIGHTS.values())
    for high in ("agriculture", "mining_quarrying", "construction", "fishing", "domestic_work"):
        assert SECTOR_WEIGHTS[high] > SECTOR_WEIGHTS["trade"] > SECTOR_WEIGHTS["other"]


def test_default_weights_are_points_summing_to_100() -> None:
    points = DEFAULT_WEIGHTS.points()
    assert tuple(points) == FACTORS
    assert sum(points.values()) == pytest.approx(100)
    assert points["sector"] == 20 and points["informality"] == 10


def test_weights_are_scaled_to_100_points() -> None:
    points = RiskWeights(1, 1, 1, 1, 1, 1, 2).points()
    assert points["sector"] == pytest.approx(12.5)
    assert points["schooling_gap"] == pytest.approx(25)
    with pytest.raises(ValueError, match="sector"):
        RiskWeights(sector=-1)
    with pytest.raises(ValueError, match="positive"):
        RiskWeights(0, 0, 0, 0, 0, 0, 0)


def test_scores_worked_by_hand() -> None:
    scores = score_establishments(three_establishments())
    # 1: agriculture 20 x 1 = 20; 2 children 2/(2+2) = 0.5 -> 20 x 0.5 = 10;
    #    1 repeat offence 1/(1+1) = 0.5 -> 15 x 0.5 = 7.5; never visited -> 15 x 1 = 15;
    #    informal 10 x 1 = 10; commune C: children 10 x 1 = 10, schooling 10 x 1 = 10.
    #    20 + 10 + 7.5 + 15 + 10 + 10 + 10 = 82.5
    # 2: trade 20 x 0.55 = 11; no children, no offence: 0, 0; 18 months 18/36 = 0.5
    #    -> 15 x 0.5 = 7.5; formal 0; commune A: children 0, schooling 10 x 0.2 = 2.
    #    11 + 7.5 + 2 = 20.5
    # 3: construction 20 x 0.9 = 18; 6 children 6/8 = 0.75 -> 15; 3 offences 3/4 = 0.75
    #    -> 11.25; 6 months 6/36 -> 15/6 = 2.5; informal 10; commune B: 10 x 0.5 = 5, 5.
    #    18 + 15 + 11.25 + 2.5 + 10 + 5 + 5 = 66.75
    assert scores.score == pytest.approx([82.5, 20.5, 66.75])
    assert scores.contributions["repeat_offences"] == pytest.approx([7.5, 0, 11.25])
    assert scores.normalised["time_since_visit"] == pytest.approx([1, 0.5, 1 / 6])
    assert scores.normalised["child_population"] == pytest.approx([1, 0, 0.5])
    assert scores.normalised["schooling_gap"] == pytest.approx([1, 0.2, 0.5])


def test_explain_lists_each_factor_by_points() -> None:
    scores = score_establishments(three_establishments())
    lines = explain(scores, scores.index_of(2))
    assert [line.factor for line in lines] == [
        "sector",
        "time_since_visit",
        "schooling_gap",
        "past_findings",
        "repeat_offences",
        "informality",
        "child_population",
    ]
    first = lines[0]
    assert (first.raw, first.normalised, first.weight, first.points) == ("trade", 0.55, 20, 11)
    by_factor = {line.factor: line for line in lines}
    assert by_factor["time_since_visit"].raw == 18.0
    assert by_factor["informality"].raw is False
    assert by_factor["schooling_gap"].raw == 96.0
    assert by_factor["child_population"].raw == 1000.0
    assert sum(line.points for line in lines) == pytest.approx(20.5)
    never = {line.factor: line for line in explain(scores, 0)}["time_since_visit"]
    assert never.raw is None and never.normalised == 1
    with pytest.raises(KeyError):
        scores.index_of(99)


def test_commune_scores_worked_by_hand() -> None:
    table = three_establishments()
    scores = score_communes(table, score_establishments(table))
    # A: one establishment at 20.5: mean 40 x 0.205 = 8.2, max 20 x 0.205 = 4.1,
    #    children 20 x 0 = 0, schooling 20 x 0.2 = 4 -> 16.3
    # B: 66.75: 40 x 0.6675 = 26.7, 20 x 0.6675 = 13.35, 20 x 0.5 = 10, 10 -> 60.05
    # C: 82.5: 33 + 16.5 + 20 + 20 = 89.5
    assert scores.factors == COMMUNE_FACTORS
    assert list(scores.ids) == ["A", "B", "C"]
    assert scores.score == pytest.approx([16.3, 60.05, 89.5])
    lines = explain(scores, 0)
    assert lines[0].factor == "establishment_mean"
    assert lines[0].raw == pytest.approx(20.5)


def test_commune_scores_mean_and_max_and_empty_commune() -> None:
    communes = CommuneInputs(
        ids=np.array(["A", "B"]),
        children_5_17=np.array([100.0, 100.0]),
        schooling_rate_6_11=np.array([100.0, 100.0]),
    )
    table = EstablishmentInputs(
        ids=np.array([1, 2]),
        sectors=np.array(["agriculture", "other"]),
        children_found=np.array([0, 0]),
        repeat_offences=np.array([0, 0]),
        months_since_visit=np.array([0.0, 0.0]),
        informal=np.array([False, False]),
        commune=np.array([0, 0]),
        communes=communes,
    )
    est = score_establishments(table)
    # Equal children: both percentiles 0.5 -> 5 points; full schooling: 0.
    # agriculture 20 + 5 = 25, other 20 x 0.35 = 7 + 5 = 12.
    assert est.score == pytest.approx([25, 12])
    scores = score_communes(table, est)
    # A: mean 18.5 -> 40 x 0.185 = 7.4; max 25 -> 5; children 20 x 0.5 = 10 -> 22.4
    # B: no establishment -> 0, 0; children 10 -> 10
    assert scores.score == pytest.approx([22.4, 10])
    b = {line.factor: line for line in explain(scores, 1)}
    assert b["establishment_mean"].raw is None and b["establishment_max"].raw is None


def test_unknown_census_figures_take_the_middle() -> None:
    communes = CommuneInputs.from_census(
        ids=["A", "B", "C", "D"],
        population_5_9=[100, 200, None, 400],
        population_10_14=[100, 200, 300, 400],
        population_15_19=[100, 200, 300, 400],
        schooling_rate_6_11=[98.0, None, 90.0, 94.0],
    )
    # children 5-17 = 5-9 + 10-14 + 0.6 x 15-19
    assert communes.children_5_17[:2] == pytest.approx([260, 520])
    assert np.isnan(communes.children_5_17[2])
    children, schooling = communes.factors
    # Known: 260 < 520 < 1040 -> 0, 0.5, 1; unknown -> 0.5.
    assert children == pytest.approx([0, 0.5, 0.5, 1])
    # Gaps 0.1, 0.5, 0.3 -> unknown takes the median, 0.3.
    assert schooling == pytest.approx([0.1, 0.3, 0.5, 0.3])


def test_ties_share_their_mid_rank() -> None:
    communes = CommuneInputs(
        ids=np.array(["A", "B", "C", "D"]),
        children_5_17=np.array([10.0, 50.0, 50.0, 90.0]),
        schooling_rate_6_11=np.array([90.0] * 4),
    )
    # B and C hold ranks 1 and 2 of 0..3: mid-rank 1.5 / 3 = 0.5.
    assert communes.factors[0] == pytest.approx([0, 0.5, 0.5, 1])


def test_inputs_are_checked() -> None:
    table = three_establishments()
    with pytest.raises(ValueError, match="unknown sectors: 'crafts'"):
        score_establishments(replace(table, sectors=np.array(["crafts", "trade", "trade"])))
    with pytest.raises(ValueError, match="commune positions"):
        replace(table, commune=np.array([0, 1, 3]))
    with pytest.raises(ValueError, match="children_found"):
        replace(table, children_found=np.array([0, -1, 0]))
    with pytest.raises(ValueError, match="expected 3"):
        replace(table, informal=np.array([True]))
    with pytest.raises(ValueError, match="percentage"):
        CommuneInputs(
            ids=np.array(["A"]),
            children_5_17=np.array([1.0]),
            schooling_rate_6_11=np.array([120.0]),
        )


def test_commune_positions_and_months_since() -> None:
    communes = three_communes()
    assert commune_positions(communes, ["C", "A", "C"]).tolist() == [2, 0, 2]
    with pytest.raises(ValueError, match="unknown communes: Z"):
        commune_positions(communes, ["A", "Z"])
    months = months_since([date(2024, 5, 1), None, date(2025, 6, 1)], date(2025, 5, 1))
    assert months[0] == pytest.approx(365 / (365.25 / 12))
    assert np.isnan(months[1]) and months[2] == 0


@st.composite
def establishment_tables(draw: st.DrawFn) -> EstablishmentInputs:
    n_communes = draw(st.integers(1, 6))
    n = draw(st.integers(1, 30))
    maybe_rate = st.one_of(st.none(), st.floats(0, 100))
    communes = CommuneInputs.from_census(
        ids=[f"C{i}" for i in range(n_communes)],
        population_5_9=draw(
            st.lists(st.integers(0, 10**5), min_size=n_communes, max_size=n_communes)
        ),
        population_10_14=draw(
            st.lists(st.integers(0, 10**5), min_size=n_communes, max_size=n_communes)
        ),
        population_15_19=draw(
            st.lists(
                st.one_of(st.none(), st.integers(0, 10**5)),
                min_size=n_communes,
                max_size=n_communes,
            )
        ),
        schooling_rate_6_11=draw(st.lists(maybe_rate, min_size=n_communes, max_size=n_communes)),
    )

    def column(strategy: st.SearchStrategy[object]) -> list[object]:
        return draw(st.lists(strategy, min_size=n, max_size=n))

    return EstablishmentInputs(
        ids=np.arange(n),
        sectors=np.array(column(st.sampled_from(SECTORS))),
        children_found=np.array(column(st.integers(0, 50))),
        repeat_offences=np.array(column(st.integers(0, 10))),
        months_since_visit=np.array(
            column(st.one_of(st.just(np.nan), st.floats(0, 600))), dtype=float
        ),
        informal=np.array(column(st.booleans())),
        commune=np.array(column(st.integers(0, n_communes - 1))),
        communes=communes,
    )


@given(establishment_tables())
@settings(max_examples=100, deadline=None)
def test_contributions_sum_to_the_score_within_0_100(table: EstablishmentInputs) -> None:
    for scores in (score_establishments(table),):
        total = sum(scores.contributions[f] for f in FACTORS)
        assert scores.score == pytest.approx(total)
        assert ((scores.score >= 0) & (scores.score <= 100 + 1e-9)).all()
        for factor in FACTORS:
            values = scores.normalised[factor]
            assert ((values >= 0) & (values <= 1)).all(), factor
    communes = score_communes(table, scores)
    assert communes.score == pytest.approx(sum(communes.contributions.values()))
    assert ((communes.score >= 0) & (communes.score <= 100 + 1e-9)).all()


def one_establishment() -> EstablishmentInputs:
    return EstablishmentInputs(
        ids=np.array([1]),
        sectors=np.array(["trade"]),
        children_found=np.array([1]),
        repeat_offences=np.array([0]),
        months_since_visit=np.array([12.0]),
        informal=np.array([False]),
        commune=np.array([1]),
        communes=three_communes(),
    )


@given(st.floats(0, 10_000))
def test_never_visited_is_the_maximum_time_factor(months: float) -> None:
    visited = score_establishments(
        replace(one_establishment(), months_since_visit=np.array([months]))
    )
    never = score_establishments(
        replace(one_establishment(), months_since_visit=np.array([np.nan]))
    )
    assert never.normalised["time_since_visit"][0] == 1
    assert visited.normalised["time_since_visit"][0] <= 1
    assert visited.score[0] <= never.score[0]


def test_time_factor_saturates_at_36_months() -> None:
    scores = score_establishments(
        EstablishmentInputs(
            ids=np.array([1, 2, 3]),
            sectors=np.array(["trade"] * 3),
            children_found=np.zeros(3, dtype=np.int64),
            repeat_offences=np.zeros(3, dtype=np.int64),
            months_since_visit=np.array([9.0, 36.0, 120.0]),
            informal=np.zeros(3, dtype=np.bool_),
            commune=np.zeros(3, dtype=np.int64),
            communes=three_communes(),
        )
    )
    assert scores.normalised["time_since_visit"] == pytest.approx([0.25, 1, 1])


@pytest.mark.parametrize("sector", SECTORS)
def test_informal_scores_higher_than_formal_all_else_equal(sector: str) -> None:
    formal = replace(one_establishment(), sectors=np.array([sector]))
    informal = replace(formal, informal=np.array([True]))
    formal_score, informal_score = score_establishments(formal), score_establishments(informal)
    assert informal_score.score[0] - formal_score.score[0] == pytest.approx(10)


# --- Planning ------------------------------------------------------------------------


def candidates(count: int, start: int = 1) -> list[Candidate]:
    """Establishments start.., scores 1000 - id (so the lowest id scores highest)."""
    return [Candidate(e, 1000.0 - e) for e in range(start, start + count)]


def check_plan(plan: Plan, table_size: int) -> None:
    """Capacity respected; every candidate in exactly one of visits/unplanned/not_selected."""
    capacity = {i.id: i.capacity for i in plan.inspectors}
    for inspector, load in plan.load().items():
        assert load <= capacity[inspector]
    seen = (
        [v.establishment for v in plan.visits]
        + [u.establishment for u in plan.unplanned]
        + list(plan.not_selected)
    )
    assert len(seen) == len(set(seen)) == table_size
    assert set(seen) == set(plan.candidates.establishments.tolist())


def test_plan_respects_capacity_and_balances_load() -> None:
    inspectors = [Inspector(10, 2), Inspector(20, 4), Inspector(30, 0)]
    plan = plan_month(candidates(10), inspectors, MAY_START, MAY_END)
    check_plan(plan, 10)
    assert plan.load() == {10: 2, 20: 4, 30: 0}
    # Highest scores first: establishments 1..6 planned, 7..10 left out.
    assert [v.establishment for v in plan.visits] == [1, 2, 3, 4, 5, 6]
    assert plan.not_selected == (7, 8, 9, 10)
    assert plan.unplanned == ()
    assert {v.reason for v in plan.visits} == {REASON_RISK_SCORE}
    # Least share of capacity used next: 10 (0/2), 20 (0/4), 20 (1/4), 10 (1/2) ...
    assert [v.inspector for v in plan.visits] == [10, 20, 20, 10, 20, 20]


def test_balance_with_partial_demand() -> None:
    inspectors = [Inspector(1, 10), Inspector(2, 10), Inspector(3, 20)]
    plan = plan_month(candidates(8), inspectors, MAY_START, MAY_END)
    # Shares: ties broken by fewest visits then list order; 3 gets twice as many.
    assert plan.load() == {1: 2, 2: 2, 3: 4}


def test_follow_ups_in_the_month_come_first_by_deadline() -> None:
    rows = [
        *candidates(5),
        Candidate(101, 1.0, follow_up_deadline=date(2025, 5, 20)),
        Candidate(102, 2.0, follow_up_deadline=date(2025, 5, 3)),
        Candidate(103, 3.0, follow_up_deadline=date(2025, 5, 31)),
        Candidate(104, 0.5, follow_up_deadline=date(2025, 5, 1)),
    ]
    plan = plan_month(rows, [Inspector(1, 3), Inspector(2, 3)], MAY_START, MAY_END)
    check_plan(plan, 9)
    assert [v.establishment for v in plan.visits] == [104, 102, 101, 103, 1, 2]
    assert [v.reason for v in plan.visits[:4]] == [REASON_FOLLOW_UP_DUE] * 4
    assert plan.visits[0].follow_up_deadline == date(2025, 5, 1)
    assert plan.not_selected == (3, 4, 5)


def test_a_follow_up_due_after_the_month_is_ordinary_and_an_overdue_one_comes_first() -> None:
    rows = [
        Candidate(1, 50.0),
        Candidate(2, 40.0, follow_up_deadline=date(2025, 6, 1)),  # next month
        Candidate(3, 5.0, follow_up_deadline=date(2025, 4, 30)),  # overdue, lowest score
        Candidate(4, 10.0, follow_up_deadline=date(2025, 6, 2)),  # next month, low score
    ]
    plan = plan_month(rows, [Inspector(1, 3)], MAY_START, MAY_END)
    check_plan(plan, 4)
    assert [v.establishment for v in plan.visits] == [3, 1, 2]
    assert [v.reason for v in plan.visits] == [REASON_FOLLOW_UP_DUE] + [REASON_RISK_SCORE] * 2
    assert plan.not_selected == (4,)
    assert plan.unplanned == ()


def test_follow_ups_that_do_not_fit_are_unplanned_with_a_reason() -> None:
    rows = [
        Candidate(e, 99.0, follow_up_deadline=date(2025, 5, e)) for e in range(1, 6)
    ] + candidates(3, start=10)
    plan = plan_month(rows, [Inspector(1, 2), Inspector(2, 1)], MAY_START, MAY_END)
    check_plan(plan, 8)
    assert [v.establishment for v in plan.visits] == [1, 2, 3]
    assert [(u.establishment, u.reason) for u in plan.unplanned] == [
        (4, UNPLANNED_NO_CAPACITY),
        (5, UNPLANNED_NO_CAPACITY),
    ]
    assert plan.unplanned[0].follow_up_deadline == date(2025, 5, 4)
    assert plan.not_selected == (10, 11, 12)


def test_no_inspectors_plans_nothing_and_drops_no_follow_up() -> None:
    rows = [Candidate(1, 5.0, follow_up_deadline=date(2025, 5, 9)), Candidate(2, 9.0)]
    plan = plan_month(rows, [], MAY_START, MAY_END)
    check_plan(plan, 2)
    assert plan.visits == ()
    assert [(u.establishment, u.reason) for u in plan.unplanned] == [(1, UNPLANNED_NO_CAPACITY)]
    assert plan.not_selected == (2,)


def test_pinned_candidates_go_to_their_inspector_or_are_reported() -> None:
    rows = [
        Candidate(1, 90.0, pinned_inspector=2),
        Candidate(2, 80.0, pinned_inspector=2),
        Candidate(3, 70.0, pinned_inspector=2),  # inspector 2 is full by now
        Candidate(4, 60.0, pinned_inspector=77),  # not in this office
        Candidate(5, 50.0),
        Candidate(6, 40.0),
    ]
    plan = plan_month(rows, [Inspector(1, 2), Inspector(2, 2)], MAY_START, MAY_END)
    check_plan(plan, 6)
    assert [(v.establishment, v.inspector, v.pinned) for v in plan.visits] == [
        (1, 2, True),
        (2, 2, True),
        (5, 1, False),
        (6, 1, False),
    ]
    assert [(u.establishment, u.reason) for u in plan.unplanned] == [
        (3, UNPLANNED_PINNED_INSPECTOR_FULL),
        (4, UNPLANNED_PINNED_INSPECTOR_UNKNOWN),
    ]


def test_candidates_are_checked() -> None:
    with pytest.raises(ValueError, match="twice"):
        CandidateTable.from_rows([Candidate(1, 1.0), Candidate(1, 2.0)])
    with pytest.raises(ValueError, match="finite"):
        CandidateTable.from_rows([Candidate(1, float("nan"))])
    with pytest.raises(ValueError, match="twice"):
        plan_month([], [Inspector(1, 1), Inspector(1, 2)], MAY_START, MAY_END)
    with pytest.raises(ValueError, match="capacity"):
        Inspector(1, -1)
    with pytest.raises(ValueError, match="inspector"):
        Adjustment("add", 1)


def small_plan() -> Plan:
    # Inspectors 1 and 2 with 2 visits each. 7 is a follow-up due in May: first despite
    # its score 0; then 1, 2, 3 by score, alternating inspectors; 4, 5, 6 left out.
    # Inspector 1: {7, 2}, inspector 2: {1, 3}, both full.
    rows = [*candidates(6), Candidate(7, 0.0, follow_up_deadline=date(2025, 5, 15))]
    plan = plan_month(rows, [Inspector(1, 2), Inspector(2, 2)], MAY_START, MAY_END)
    assert [(v.establishment, v.inspector) for v in plan.visits] == [
        (7, 1),
        (1, 2),
        (2, 1),
        (3, 2),
    ]
    assert plan.not_selected == (4, 5, 6)
    return plan


def test_adjustments_are_applied_in_order() -> None:
    plan = small_plan()
    adjusted = plan_month(
        plan.candidates,
        plan.inspectors,
        MAY_START,
        MAY_END,
        adjustments=[
            Adjustment.remove(3),
            Adjustment.move(2, 2),  # 1: {7}, 2: {1, 2}
            Adjustment.add(5, 1),  # 1: {7, 5}
            Adjustment.move(7, 1),  # already with inspector 1: no change
        ],
    )
    check_plan(adjusted, 7)
    assert adjusted.by_inspector() == {
        1: [adjusted.visits[0], adjusted.visits[3]],
        2: [adjusted.visits[1], adjusted.visits[2]],
    }
    visits = {v.establishment: v for v in adjusted.visits}
    assert list(visits) == [7, 1, 2, 5]
    assert (visits[2].inspector, visits[2].by_hand, visits[2].reason) == (
        2,
        True,
        REASON_RISK_SCORE,
    )
    assert (visits[5].inspector, visits[5].by_hand, visits[5].reason) == (1, True, REASON_BY_HAND)
    assert (visits[7].by_hand, visits[7].reason) == (False, REASON_FOLLOW_UP_DUE)
    assert [(u.establishment, u.reason) for u in adjusted.unplanned] == [
        (3, UNPLANNED_REMOVED_BY_HAND)
    ]
    assert adjusted.not_selected == (4, 6)
    # A removed establishment can be added back.
    again = adjust_plan(adjusted, [Adjustment.remove(5), Adjustment.add(3, 1)])
    check_plan(again, 7)
    assert [(u.establishment, u.reason) for u in again.unplanned] == [
        (5, UNPLANNED_REMOVED_BY_HAND)
    ]


@pytest.mark.parametrize(
    ("adjustments", "code", "message"),
    [
        ([Adjustment.add(5, 9)], ADJUSTMENT_UNKNOWN_INSPECTOR, "inspector 9 is not among"),
        ([Adjustment.move(1, 9)], ADJUSTMENT_UNKNOWN_INSPECTOR, "inspector 9"),
        ([Adjustment.add(999, 1)], ADJUSTMENT_UNKNOWN_ESTABLISHMENT, "999 is not a candidate"),
        ([Adjustment.remove(999)], ADJUSTMENT_UNKNOWN_ESTABLISHMENT, "999"),
        ([Adjustment.add(5, 1)], ADJUSTMENT_OVER_CAPACITY, "already has 2 of 2 visits"),
        ([Adjustment.move(1, 1)], ADJUSTMENT_OVER_CAPACITY, "inspector 1"),
        ([Adjustment.add(1, 1)], ADJUSTMENT_ALREADY_PLANNED, "already in the plan"),
        ([Adjustment.remove(5)], ADJUSTMENT_NOT_PLANNED, "5 is not in the plan"),
        ([Adjustment.move(5, 2)], ADJUSTMENT_NOT_PLANNED, "not in the plan"),
    ],
)
def test_bad_adjustments_are_refused(
    adjustments: list[Adjustment], code: str, message: str
) -> None:
    plan = small_plan()
    with pytest.raises(PlanAdjustmentError, match=message) as refused:
        adjust_plan(plan, [*adjustments, Adjustment.add(6, 2)])
    assert refused.value.code == code
    assert refused.value.position == 0
    assert str(refused.value).startswith("adjustment 1 (")


def test_a_refused_adjustment_cancels_the_whole_list() -> None:
    plan = small_plan()
    with pytest.raises(PlanAdjustmentError) as refused:
        adjust_plan(plan, [Adjustment.remove(3), Adjustment.add(5, 2), Adjustment.add(6, 2)])
    assert refused.value.code == ADJUSTMENT_OVER_CAPACITY
    assert refused.value.position == 2
    assert "adjustment 3 (add)" in str(refused.value)
    assert [v.establishment for v in plan.visits] == [7, 1, 2, 3]


@st.composite
def plan_inputs(
    draw: st.DrawFn,
) -> tuple[list[Candidate], list[Inspector], list[Adjustment]]:
    inspectors = [
        Inspector(i, c) for i, c in enumerate(draw(st.lists(st.integers(0, 6), max_size=6)))
    ]
    inspector_ids = st.integers(0, len(inspectors) + 1)
    deadline = st.one_of(
        st.none(), st.dates(MAY_START - timedelta(days=40), MAY_END + timedelta(days=40))
    )
    ids = draw(st.lists(st.integers(0, 60), unique=True, max_size=40))
    rows = [
        Candidate(
            e,
            draw(st.floats(0, 100)),
            follow_up_deadline=draw(deadline),
            pinned_inspector=draw(st.one_of(st.none(), inspector_ids)),
        )
        for e in ids
    ]
    establishment = st.integers(0, 62)
    adjustment = st.one_of(
        st.builds(Adjustment.add, establishment, inspector_ids),
        st.builds(Adjustment.remove, establishment),
        st.builds(Adjustment.move, establishment, inspector_ids),
    )
    return rows, inspectors, draw(st.lists(adjustment, max_size=8))


@given(plan_inputs())
@settings(max_examples=300, deadline=None)
def test_plans_never_exceed_capacity_nor_lose_a_candidate(
    inputs: tuple[list[Candidate], list[Inspector], list[Adjustment]],
) -> None:
    rows, inspectors, adjustments = inputs
    plan = plan_month(rows, inspectors, MAY_START, MAY_END)
    check_plan(plan, len(rows))
    # Follow-ups due in the month that are not planned are reported, never dropped.
    due = {
        r.establishment
        for r in rows
        if r.follow_up_deadline is not None and MAY_START <= r.follow_up_deadline <= MAY_END
    }
    assert due.isdisjoint(plan.not_selected)
    # Due follow-ups come before the others, in deadline order.
    reasons = [v.reason for v in plan.visits]
    assert reasons == sorted(reasons, key=lambda r: r != REASON_FOLLOW_UP_DUE)
    deadlines = [v.follow_up_deadline for v in plan.visits if v.reason == REASON_FOLLOW_UP_DUE]
    assert deadlines == sorted(d for d in deadlines if d is not None)
    # Adjusted one by one: each is applied or refused, and the plan stays sound.
    for change in adjustments:
        try:
            plan = adjust_plan(plan, [change])
        except PlanAdjustmentError:
            continue
        check_plan(plan, len(rows))
