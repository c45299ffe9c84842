"""The case's state machine, the "out of child labour" rule and ages (no database)."""

from __future__ import annotations

import datetime
from itertools import permutations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from himaya.cases import workflow
from himaya.cases.workflow import (
    ASSESSED,
    CLOSED,
    IDENTIFIED,
    IN_REMEDIATION,
    MONITORING,
    OPEN_STATES,
    REFERRED,
    STATES,
    TransitionRefused,
    Visit,
    age_on,
    allowed_targets,
    check_transition,
    out_of_child_labour_reached,
)

ALL_ROLES = ("inspector", "social_worker", "supervisor", "provider", "analyst", "administrator", "")
CASEWORKERS = {"inspector", "social_worker", "supervisor"}

#: Written out from ADR 0004, independently of workflow.TRANSITIONS.
EXPECTED: dict[tuple[str, str], set[str]] = {
    (IDENTIFIED, ASSESSED): {"supervisor"},
    (ASSESSED, REFERRED): CASEWORKERS,
    (REFERRED, IN_REMEDIATION): {"provider"},
    (REFERRED, MONITORING): {"provider"},
    (IN_REMEDIATION, MONITORING): {"provider"} | CASEWORKERS,
    (IDENTIFIED, CLOSED): {"supervisor"},
    (ASSESSED, CLOSED): {"supervisor"},
    (REFERRED, CLOSED): {"supervisor"},
    (IN_REMEDIATION, CLOSED): {"supervisor"},
    (MONITORING, CLOSED): {"supervisor"},
}

GOOD_VERDICTS = ("not_working", "permitted_work", "not_child_labour", "out_of_scope")
BAD_VERDICTS = ("child_labour", "hazardous", "worst_form", "insufficient_information")
ALL_VERDICTS = GOOD_VERDICTS + BAD_VERDICTS


# --- Transitions ---------------------------------------------------------------------


def test_the_transition_table_is_the_one_of_the_decision() -> None:
    assert {key: set(roles) for key, roles in workflow.TRANSITIONS.items()} == EXPECTED


def test_states_in_order_and_closed_is_the_only_final_state() -> None:
    assert STATES == (IDENTIFIED, ASSESSED, REFERRED, IN_REMEDIATION, MONITORING, CLOSED)
    assert CLOSED not in OPEN_STATES and set(OPEN_STATES) | {CLOSED} == set(STATES)


@pytest.mark.parametrize(("source", "target"), sorted(EXPECTED))
@pytest.mark.parametrize("role", ALL_ROLES)
def test_each_transition_allows_its_roles_and_refuses_the_others(
    source: str, target: str, role: str
) -> None:
    if role in EXPECTED[(source, target)]:
        check_transition(source, target, role)  # no exception
    else:
        with pytest.raises(TransitionRefused) as refused:
            check_transition(source, target, role)
        assert refused.value.code == "role_not_allowed"


@pytest.mark.parametrize(
    ("source", "target"),
    [(s, t) for s in STATES for t in STATES if (s, t) not in EXPECTED],
)
def test_every_other_step_is_refused_for_every_role(source: str, target: str) -> None:
    for role in ALL_ROLES:
        with pytest.raises(TransitionRefused) as refused:
            check_transition(source, target, role)
        assert refused.value.code == "transition_not_allowed"


def test_unknown_states_are_refused() -> None:
    with pytest.raises(TransitionRefused):
        check_transition("draft", ASSESSED, "supervisor")
    with pytest.raises(TransitionRefused):
        check_transition(IDENTIFIED, "archived", "supervisor")


@pytest.mark.parametrize("source", STATES)
@pytest.mark.parametrize("role", ALL_ROLES)
def test_allowed_targets_lists_exactly_the_permitted_steps(source: str, role: str) -> None:
    expected = {t for (s, t), roles in EXPECTED.items() if s == source and role in roles}
    targets = allowed_targets(source, role)
    assert set(targets) == expected
    assert len(targets) == len(set(targets))


def test_allowed_targets_examples() -> None:
    assert allowed_targets(IDENTIFIED, "supervisor") == [ASSESSED, CLOSED]
    assert allowed_targets(IDENTIFIED, "social_worker") == []
    assert allowed_targets(REFERRED, "provider") == [IN_REMEDIATION, MONITORING]
    assert allowed_targets(IN_REMEDIATION, "inspector") == [MONITORING]
    assert allowed_targets(CLOSED, "supervisor") == []
    assert allowed_targets(MONITORING, "analyst") == []


# --- Visits and the closure rule -------------------------------------------------------

START = datetime.date(2020, 1, 1)


def good(on: datetime.date, verdict: str = "not_working") -> Visit:
    return Visit(on=on, verdict=verdict, in_school_or_training=True)


@pytest.mark.parametrize("verdict", GOOD_VERDICTS)
def test_a_visit_out_of_child_labour_and_in_school_is_good(verdict: str) -> None:
    assert Visit(START, verdict, True).good
    assert not Visit(START, verdict, False).good


@pytest.mark.parametrize("verdict", BAD_VERDICTS)
def test_child_labour_or_insufficient_information_is_bad_even_in_school(verdict: str) -> None:
    assert not Visit(START, verdict, True).good
    assert not Visit(START, verdict, False).good


def test_no_visit_or_one_visit_is_not_enough() -> None:
    assert not out_of_child_labour_reached([])
    assert not out_of_child_labour_reached([good(START)])


def test_two_good_visits_exactly_min_days_apart_are_enough() -> None:
    visits = [good(START), good(START + datetime.timedelta(days=30))]
    assert out_of_child_labour_reached(visits)
    assert not out_of_child_labour_reached([good(START), good(START + datetime.timedelta(days=29))])


def test_visits_are_taken_in_date_order_whatever_the_order_given() -> None:
    bad = Visit(START + datetime.timedelta(days=100), "child_labour", True)
    visits = [good(START), good(START + datetime.timedelta(days=40)), bad]
    for order in permutations(visits):
        assert not out_of_child_labour_reached(list(order))
    visits = [
        bad,
        good(START + datetime.timedelta(days=140)),
        good(START + datetime.timedelta(200)),
    ]
    for order in permutations(visits):
        assert out_of_child_labour_reached(list(order))


dates = st.dates(min_value=datetime.date(2015, 1, 1), max_value=datetime.date(2035, 12, 31))
visits_strategy = st.lists(
    st.builds(
        Visit, on=dates, verdict=st.sampled_from(ALL_VERDICTS), in_school_or_training=st.booleans()
    ),
    max_size=8,
)


def _after(visits: list[Visit], days: int) -> datetime.date:
    last = max((v.on for v in visits), default=START)
    return last + datetime.timedelta(days=days)


@given(
    visits=visits_strategy,
    gap=st.integers(min_value=1, max_value=400),
    verdict=st.sampled_from(ALL_VERDICTS),
    in_school=st.booleans(),
    required=st.integers(min_value=1, max_value=4),
    min_days=st.integers(min_value=0, max_value=90),
)
def test_a_bad_visit_at_the_end_always_breaks_the_run(
    visits: list[Visit], gap: int, verdict: str, in_school: bool, required: int, min_days: int
) -> None:
    bad = Visit(_after(visits, gap), verdict, in_school)
    assume(not bad.good)
    assert not out_of_child_labour_reached([*visits, bad], required=required, min_days=min_days)


@given(
    visits=visits_strategy,
    first_gap=st.integers(min_value=1, max_value=400),
    extra=st.integers(min_value=0, max_value=400),
    min_days=st.integers(min_value=1, max_value=90),
    verdicts=st.tuples(st.sampled_from(GOOD_VERDICTS), st.sampled_from(GOOD_VERDICTS)),
)
def test_two_good_visits_at_least_min_days_apart_at_the_end_are_enough(
    visits: list[Visit],
    first_gap: int,
    extra: int,
    min_days: int,
    verdicts: tuple[str, str],
) -> None:
    first = good(_after(visits, first_gap), verdicts[0])
    second = good(first.on + datetime.timedelta(days=min_days + extra), verdicts[1])
    assert out_of_child_labour_reached([*visits, first, second], required=2, min_days=min_days)


@given(
    visits=visits_strategy,
    first_gap=st.integers(min_value=1, max_value=400),
    min_days=st.integers(min_value=1, max_value=90),
    short_by=st.integers(min_value=1, max_value=90),
)
def test_two_good_visits_closer_than_min_days_at_the_end_are_not_enough(
    visits: list[Visit], first_gap: int, min_days: int, short_by: int
) -> None:
    assume(short_by <= min_days)
    first = good(_after(visits, first_gap))
    second = good(first.on + datetime.timedelta(days=min_days - short_by))
    assert not out_of_child_labour_reached([*visits, first, second], required=2, min_days=min_days)


@given(
    visits=visits_strategy,
    required=st.integers(min_value=1, max_value=5),
    min_days=st.integers(min_value=0, max_value=60),
    gap=st.integers(min_value=1, max_value=30),
)
def test_the_number_of_visits_required_is_configurable(
    visits: list[Visit], required: int, min_days: int, gap: int
) -> None:
    run: list[Visit] = []
    on = _after(visits, gap)
    for _ in range(required):
        run.append(good(on))
        on += datetime.timedelta(days=min_days)
    assert out_of_child_labour_reached([*visits, *run], required=required, min_days=min_days)
    # One more required than there are visits at all: never enough.
    assert not out_of_child_labour_reached(run, required=required + 1, min_days=min_days)
    # Any one of those visits bad (in its place): not enough.
    for i in range(required):
        broken = [*run[:i], Visit(run[i].on, "hazardous", True), *run[i + 1 :]]
        assert not out_of_child_labour_reached(
            [*visits, *broken], required=required, min_days=min_days
        )


@given(visits=visits_strategy, prefix=visits_strategy, required=st.integers(1, 4))
def test_only_the_last_visits_count(
    visits: list[Visit], prefix: list[Visit], required: int
) -> None:
    assume(len(visits) >= required)
    assume(prefix and visits)
    # Move the prefix strictly before every visit.
    earliest = min(v.on for v in visits)
    shift = max(v.on for v in prefix) - earliest + datetime.timedelta(days=1)
    moved = [Visit(v.on - shift, v.verdict, v.in_school_or_training) for v in prefix]
    assert out_of_child_labour_reached(
        [*moved, *visits], required=required, min_days=10
    ) == out_of_child_labour_reached(visits, required=required, min_days=10)


@given(gap=st.integers(min_value=0, max_value=200), min_days=st.integers(0, 200))
def test_min_days_is_inclusive(gap: int, min_days: int) -> None:
    visits = [good(START), good(START + datetime.timedelta(days=gap))]
    assert out_of_child_labour_reached(visits, required=2, min_days=min_days) == (gap >= min_days)


def test_three_required_visits_need_each_gap() -> None:
    on = [START + datetime.timedelta(days=d) for d in (0, 30, 59)]
    assert not out_of_child_labour_reached([good(d) for d in on], required=3, min_days=30)
    on[2] = START + datetime.timedelta(days=60)
    assert out_of_child_labour_reached([good(d) for d in on], required=3, min_days=30)


# --- Ages ------------------------------------------------------------------------------------


def _years_later(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year: the birthday counts on 1 March
        return datetime.date(day.year + years, 3, 1)


@given(
    birth=st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2030, 12, 31)),
    years=st.integers(min_value=1, max_value=25),
)
def test_age_goes_up_on_the_birthday_and_not_the_day_before(
    birth: datetime.date, years: int
) -> None:
    birthday = _years_later(birth, years)
    assert age_on(birth, birthday) == years
    assert age_on(birth, birthday - datetime.timedelta(days=1)) == years - 1
    assert age_on(birth, birth) == 0


@given(
    birth=st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2030, 12, 31)),
    a=st.integers(min_value=0, max_value=9000),
    b=st.integers(min_value=0, max_value=9000),
)
def test_age_never_goes_down(birth: datetime.date, a: int, b: int) -> None:
    early, late = sorted((a, b))
    assert age_on(birth, birth + datetime.timedelta(days=early)) <= age_on(
        birth, birth + datetime.timedelta(days=late)
    )


def test_age_of_a_child_born_on_29_february() -> None:
    born = datetime.date(2012, 2, 29)
    assert age_on(born, datetime.date(2013, 2, 28)) == 0
    assert age_on(born, datetime.date(2013, 3, 1)) == 1
    assert age_on(born, datetime.date(2016, 2, 28)) == 3
    assert age_on(born, datetime.date(2016, 2, 29)) == 4
    assert age_on(born, datetime.date(2029, 2, 28)) == 16
    assert age_on(born, datetime.date(2029, 3, 1)) == 17
    assert age_on(born, datetime.date(2030, 3, 1)) == 18


def test_age_around_an_ordinary_birthday() -> None:
    born = datetime.date(2008, 6, 15)
    assert age_on(born, datetime.date(2026, 6, 14)) == 17
    assert age_on(born, datetime.date(2026, 6, 15)) == 18
    assert age_on(born, datetime.date(2026, 12, 31)) == 18
    assert age_on(born, datetime.date(2008, 6, 14)) == -1  # before birth: negative
