"""Sanctions, worked by hand from child-labour-rules.md ("Sanctions") and the texts it cites.

Fines in dirhams: art. 151 of the Code du travail (25,000–30,000, fixed),
arts. 177 and 183 (300–500 per child, at most 20,000 in all), Law 19-12
(25,000–30,000, doubled on a repeat offence). A repeat offence is the same
breach within two years (the product's default), the boundary included.
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from himaya_rules import (
    BREACH_OF_RULE,
    BREACHES,
    RULESETS,
    Breach,
    breaches_of,
    fine_for,
    is_repeat,
    repeat_period,
    skips_advice,
)
from himaya_rules.system import baseline

VISIT = date(2024, 5, 1)


def test_one_child_under_15_is_a_fixed_fine_of_article_151() -> None:
    fine = fine_for("below_minimum_age", children=1, on=VISIT, repeat=False)
    assert (fine.minimum, fine.maximum) == (25_000, 30_000)
    assert fine.fined and not fine.per_child and not fine.capped and fine.cap is None
    assert fine.reference == "Code du travail (loi 65-99), art. 151"
    assert "25,000–30,000 MAD" in fine.explanation[0]
    assert "art. 151" in fine.explanation[0]


def test_a_fixed_fine_does_not_multiply_by_the_number_of_children() -> None:
    fine = fine_for("below_minimum_age", children=4, on=VISIT, repeat=False)
    assert (fine.minimum, fine.maximum, fine.children) == (25_000, 30_000, 4)


def test_three_children_at_night_are_fined_per_child() -> None:
    fine = fine_for("night_work", children=3, on=VISIT, repeat=False)
    assert (fine.minimum, fine.maximum) == (900, 1_500)
    assert fine.per_child and fine.cap == 20_000 and not fine.capped
    assert fine.reference == "Code du travail (loi 65-99), art. 177"
    assert fine.explanation[0] == (
        "300–500 MAD per child × 3 children = 900–1,500 MAD"
        " (Code du travail (loi 65-99), art. 177)."
    )
    assert "At most 20,000 MAD in all" in fine.explanation[1]


def test_fifty_children_in_hazardous_work_reach_the_cap_at_the_top() -> None:
    # 300 × 50 = 15,000 and 500 × 50 = 25,000, capped at 20,000.
    fine = fine_for("hazardous_work", children=50, on=VISIT, repeat=False)
    assert (fine.minimum, fine.maximum) == (15_000, 20_000)
    assert fine.capped and fine.cap == 20_000
    assert fine.reference == "Code du travail (loi 65-99), art. 183"
    assert "15,000–25,000 MAD" in fine.explanation[0]
    assert "15,000–25,000 MAD becomes 15,000–20,000 MAD" in fine.explanation[1]
    assert "art. 183" in fine.explanation[1]


def test_seventy_children_in_hazardous_work_are_capped_at_both_ends() -> None:
    # 300 × 70 = 21,000 and 500 × 70 = 35,000: both above 20,000.
    fine = fine_for("hazardous_work", children=70, on=VISIT, repeat=False)
    assert (fine.minimum, fine.maximum) == (20_000, 20_000)
    assert fine.capped
    assert "21,000–35,000 MAD" in fine.explanation[0]


def test_a_domestic_worker_under_age_on_a_repeat_offence_doubles_the_fine() -> None:
    fine = fine_for("domestic_below_age", children=1, on=VISIT, repeat=True)
    assert (fine.minimum, fine.maximum) == (50_000, 60_000)
    assert fine.repeat and fine.multiplier == 2
    assert fine.prison_months == (1, 3)
    assert "19-12" in fine.reference
    text = "\n".join(fine.explanation)
    assert "50,000–60,000 MAD" in text
    assert "1–3 months of prison" in text
    assert "product's default" in text


def test_a_domestic_worker_without_authorisation_is_fined_like_one_under_age() -> None:
    fine = fine_for("domestic_no_authorisation", children=1, on=VISIT, repeat=False)
    assert (fine.minimum, fine.maximum, fine.multiplier) == (25_000, 30_000, 1)
    assert fine.prison_months is None


def test_a_repeat_offence_without_a_multiplier_is_marked_but_unchanged() -> None:
    fine = fine_for("night_work", children=3, on=VISIT, repeat=True)
    assert (fine.minimum, fine.maximum) == (900, 1_500)
    assert fine.repeat and fine.multiplier == 1
    assert any("amount is unchanged" in line for line in fine.explanation)


def test_worst_forms_have_no_fine_from_the_table_and_say_so() -> None:
    fine = fine_for("worst_form", children=2, on=VISIT, repeat=False)
    assert not fine.fined and (fine.minimum, fine.maximum) == (0, 0)
    assert "No fine from the sanctions table" in fine.explanation[0]
    assert "Code pénal" in fine.reference
    assert any("removed and referred at once" in line for line in fine.explanation)


def test_domestic_hours_are_a_breach_of_their_own_without_a_fine_figure() -> None:
    fine = fine_for("domestic_hours", children=1, on=VISIT, repeat=False)
    assert not fine.fined and (fine.minimum, fine.maximum) == (0, 0)
    assert "19-12" in fine.reference
    assert BREACH_OF_RULE["ma.domestic_hours"] == "domestic_hours"


def test_every_fine_cites_an_article_in_every_line() -> None:
    for breach in BREACHES:
        fine = fine_for(breach, children=3, on=VISIT, repeat=True)
        for line in fine.explanation:
            assert "(" in line and ")" in line, (breach, line)


def test_the_fine_is_frozen() -> None:
    fine = fine_for("night_work", children=1, on=VISIT, repeat=False)
    with pytest.raises(FrozenInstanceError):
        fine.minimum = 0  # type: ignore[misc]


@pytest.mark.parametrize(
    ("breach", "on"),
    [
        ("below_minimum_age", date(2004, 6, 7)),
        ("night_work", date(1999, 1, 1)),
        ("domestic_below_age", date(2018, 10, 1)),
        ("domestic_no_authorisation", date(2016, 8, 22)),
    ],
)
def test_a_date_before_the_text_is_refused(breach: str, on: date) -> None:
    with pytest.raises(ValueError, match="applies from"):
        fine_for(breach, children=1, on=on, repeat=False)


def test_the_first_day_of_a_text_is_accepted() -> None:
    assert fine_for("below_minimum_age", 1, date(2004, 6, 8), False).minimum == 25_000
    assert fine_for("domestic_below_age", 1, date(2018, 10, 2), False).minimum == 25_000


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown breach"):
        fine_for("ma.night_work", 1, VISIT, False)
    with pytest.raises(ValueError, match="at least one child"):
        fine_for("night_work", 0, VISIT, False)


def test_repeat_within_two_years_boundary_included() -> None:
    on = date(2024, 5, 1)
    assert is_repeat("night_work", on, [("night_work", date(2022, 5, 1))])
    assert not is_repeat("night_work", on, [("night_work", date(2022, 4, 30))])
    assert is_repeat("night_work", on, [("night_work", date(2024, 4, 30))])


def test_repeat_needs_the_same_breach_before_the_visit() -> None:
    on = date(2024, 5, 1)
    assert not is_repeat("night_work", on, [("hazardous_work", date(2023, 5, 1))])
    assert not is_repeat("night_work", on, [("night_work", on)])
    assert not is_repeat("night_work", on, [("night_work", date(2024, 6, 1))])
    assert not is_repeat("night_work", on, [])


def test_two_years_after_29_february_end_on_1_march() -> None:
    previous = [("below_minimum_age", date(2020, 2, 29))]
    assert is_repeat("below_minimum_age", date(2022, 2, 28), previous)
    assert is_repeat("below_minimum_age", date(2022, 3, 1), previous)
    assert not is_repeat("below_minimum_age", date(2022, 3, 2), previous)


def test_the_repeat_period_is_the_products_default_and_says_so() -> None:
    for breach in BREACHES:
        period = repeat_period(breach, VISIT)
        assert period.years == 2 and not period.from_text
        assert "Défaut du produit" in period.reference


def test_worst_forms_and_hazardous_work_skip_the_advice_step() -> None:
    assert skips_advice("worst_form")
    assert skips_advice("hazardous_work")
    assert skips_advice(Breach.HAZARDOUS_WORK, on=VISIT)
    for breach in (
        "night_work",
        "below_minimum_age",
        "domestic_below_age",
        "domestic_no_authorisation",
        "domestic_hours",
    ):
        assert not skips_advice(breach), breach


def test_every_breach_rule_of_the_moroccan_ruleset_maps_to_a_breach() -> None:
    rule_ids = set(RULESETS["ma-labour-code"].rule_ids)
    assert set(BREACH_OF_RULE) == rule_ids - {"ma.permitted", "ma.adult"}
    assert set(BREACH_OF_RULE.values()) == set(BREACHES)


def test_breaches_of_the_rules_fired_most_serious_first_each_once() -> None:
    fired = ["ma.night_work", "ma.hazardous", "ma.below_minimum_age", "ma.hazardous"]
    assert breaches_of(fired) == ["hazardous_work", "below_minimum_age", "night_work"]
    assert breaches_of(["ma.permitted"]) == []
    assert breaches_of(["ma.adult"]) == []
    assert breaches_of(["ma.domestic_no_authorisation", "ma.domestic_hours"]) == [
        "domestic_no_authorisation",
        "domestic_hours",
    ]


def test_breaches_of_refuses_a_rule_of_another_ruleset() -> None:
    with pytest.raises(ValueError, match="ma-labour-code"):
        breaches_of(["ilo.hazardous"])


def test_the_sanctions_are_dated_parameters_of_the_moroccan_tree() -> None:
    node = baseline().parameters.ma.sanctions
    cap = node.hazardous_work.cap
    assert [(v.instant_str, v.value) for v in cap.values_list] == [("2004-06-08", 20_000)]
    assert cap.values_list[0].metadata["unit"] == "currency-MAD"
    for value in node.domestic_below_age.fine_minimum.values_list:
        assert value.instant_str == "2018-10-02"
        assert "19-12" in value.metadata["reference"]


@given(
    breach=st.sampled_from(["night_work", "hazardous_work"]),
    children=st.integers(min_value=1, max_value=500),
    repeat=st.booleans(),
)
def test_per_child_fines_are_monotone_and_never_exceed_the_cap(
    breach: str, children: int, repeat: bool
) -> None:
    fine = fine_for(breach, children, VISIT, repeat)
    more = fine_for(breach, children + 1, VISIT, repeat)
    assert fine.cap is not None
    assert 0 < fine.minimum <= fine.maximum <= fine.cap
    assert more.minimum >= fine.minimum and more.maximum >= fine.maximum
    assert fine.capped == (500 * children > fine.cap)
    assert fine.maximum == min(500 * children, fine.cap)
    assert fine.minimum == min(300 * children, fine.cap)
