"""The engine's contract beyond the worked cases: parameters, options, explanations."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from himaya_rules import (
    LANGUAGES,
    RULESETS,
    ObservationError,
    OptionError,
    classify_batch,
    classify_one,
)
from himaya_rules.rulesets import effective_dates
from himaya_rules.system import baseline, with_option_files

CHILD_13_IN_TRADE = {"id": "k1", "observed_on": "2024-05-01", "age": "13", "sector": "trade"}


def test_the_end_of_law_19_12_transition_is_one_parameter_with_two_dated_values() -> None:
    parameter = baseline().parameters.ma.domestic_work.minimum_age
    values = sorted((value.instant_str, value.value) for value in parameter.values_list)
    assert values == [("2018-10-02", 16), ("2023-10-02", 18)]
    for value in parameter.values_list:
        assert "19-12" in value.metadata["reference"]


def test_every_parameter_value_carries_a_reference() -> None:
    def leaves(node: Any) -> Iterator[Any]:
        if hasattr(node, "values_list"):
            yield node
        else:
            for child in node.children.values():
                yield from leaves(child)

    for parameter in leaves(baseline().parameters):
        for value in parameter.values_list:
            assert value.metadata.get("reference"), f"{parameter.name} {value.instant_str}"


def test_every_rule_variable_has_a_label_and_a_citation() -> None:
    for ruleset in RULESETS.values():
        for rule, citation in zip(ruleset.rules, ruleset.citations, strict=True):
            variable = baseline().variables[rule.variable]
            assert variable.label and variable.reference, rule.id
            assert citation, rule.id


def test_minimum_age_14_is_a_parameter_set_that_changes_no_rule() -> None:
    declared = with_option_files(("ilo-minimum_age-14.yaml",))
    assert declared.parameters("2020-01-01").ilo.minimum_age.general == 14
    assert baseline().parameters("2020-01-01").ilo.minimum_age.general == 15
    for name, variable in baseline().variables.items():
        assert list(declared.variables[name].formulas.values()) == list(variable.formulas.values())


@pytest.mark.parametrize(
    ("options", "verdict"), [(None, "child_labour"), ({"minimum_age": "14"}, "permitted_work")]
)
def test_minimum_age_option_moves_light_work(options: dict[str, str] | None, verdict: str) -> None:
    child = {"id": "k", "observed_on": "2024-05-01", "age": "12", "economic_hours_week": "10"}
    assert classify_one(child, "ilo-c138-c182", options).verdict == verdict


def test_batch_parameters_follow_each_observation_date() -> None:
    dates = ["2018-10-01", "2018-10-02", "2023-10-01", "2023-10-02"]
    result = classify_batch(
        {
            "id": dates,
            "observed_on": dates,
            "age": ["16"] * 4,
            "domestic_worker": ["true"] * 4,
            "guardian_authorisation": ["true"] * 4,
        }
    )
    assert result.verdict_names().to_list() == [
        "permitted_work",
        "permitted_work",
        "permitted_work",
        "child_labour",
    ]
    assert effective_dates(baseline(), "ma") == ("2004-06-08", "2018-10-02", "2023-10-02")


@pytest.mark.parametrize(
    ("ruleset", "options", "message"),
    [
        ("uk-labour-code", None, "unknown ruleset"),
        ("ilo-c138-c182", {"minimum_age": "13"}, "minimum_age=13 is not allowed"),
        ("ilo-c138-c182", {"light_work": "12"}, "has no option 'light_work'"),
        ("ma-labour-code", {"minimum_age": "14"}, "has no option 'minimum_age'"),
    ],
)
def test_bad_options_are_refused(
    ruleset: str, options: dict[str, str] | None, message: str
) -> None:
    with pytest.raises(OptionError, match=message):
        classify_one(CHILD_13_IN_TRADE, ruleset, options)


def test_the_example_explanation_in_three_languages() -> None:
    result = classify_one(CHILD_13_IN_TRADE)
    assert result.explanation("fr") == [
        "Cet enfant a 13 ans ; l'âge minimum d'admission à l'emploi est 15 ans (Code du travail, art. 143)."
    ]
    assert result.explanation("en") == [
        "This child is 13; the minimum age for admission to employment is 15 (Labour Code, art. 143)."
    ]
    assert "مدونة الشغل" in result.explanation("ar")[0]
    assert result.citations == ("Code du travail art. 143",)
    assert result.verdict_label("ar") == "تشغيل الأطفال"


EXPLAINED = [
    ("ma-labour-code", None, {"age": "12", "worst_forms": "trafficking", "hazards": "heights"}),
    (
        "ma-labour-code",
        None,
        {
            "age": "15",
            "domestic_worker": "true",
            "economic_hours_week": "45",
            "observed_on": "2020-01-01",
        },
    ),
    (
        "ma-labour-code",
        None,
        {"age": "14", "sector": "agriculture", "usual_start": "19:00", "usual_end": "20:30"},
    ),
    ("ma-labour-code", None, {"age": "15", "night_work": "true", "sector": "trade"}),
    ("ma-labour-code", None, {"age": "16", "economic_hours_week": "10"}),
    ("ma-labour-code", None, {"age": "30", "economic_hours_week": "0"}),
    ("ma-labour-code", None, {"age": "12", "economic_hours_week": "0"}),
    ("ma-labour-code", None, {"economic_hours_week": "5"}),
    ("ma-labour-code", None, {"age": "12"}),
    ("ilo-c138-c182", None, {"age": "13", "sector": "trade"}),
    ("ilo-c138-c182", None, {"age": "14", "economic_hours_week": "20"}),
    ("ilo-c138-c182", None, {"age": "11", "economic_hours_week": "2"}),
    (
        "ilo-c138-c182",
        None,
        {"age": "16", "economic_hours_week": "50", "usual_start": "21:00", "usual_end": "23:00"},
    ),
    ("ilo-c138-c182", None, {"age": "15", "apprenticeship": "true", "sector": "manufacturing"}),
    ("ilo-c138-c182", None, {"age": "19", "sector": "trade"}),
    ("sdg-8.7.1", None, {"age": "10", "economic_hours_week": "2", "chores_hours_week": "25"}),
    ("sdg-8.7.1", None, {"age": "16", "economic_hours_week": "2"}),
    ("sdg-8.7.1", None, {"age": "3"}),
    ("sdg-8.7.1-mics5", None, {"age": "13", "hazards": "dust_fumes"}),
]


@pytest.mark.parametrize(("ruleset", "options", "fields"), EXPLAINED)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_verdict_is_explained_in_every_language(
    ruleset: str, options: dict[str, str] | None, fields: dict[str, str], language: str
) -> None:
    result = classify_one({"id": "k", "observed_on": "2024-05-01", **fields}, ruleset, options)
    sentences = result.explanation(language)
    assert len(sentences) == max(1, len(result.rules))
    for sentence in sentences:
        assert "{" not in sentence and "}" not in sentence, sentence
        if result.age is not None:
            assert str(result.age) in sentence


def test_all_rule_ids_have_an_explanation() -> None:
    from himaya_rules.explain import TEMPLATES

    for ruleset in RULESETS.values():
        for rule_id in ruleset.rule_ids:
            assert set(TEMPLATES[rule_id]) == set(LANGUAGES)


def test_observation_before_the_rules_is_refused() -> None:
    with pytest.raises(ObservationError) as raised:
        classify_one({"id": "k", "observed_on": "2003-01-01", "age": "12"})
    [error] = raised.value.errors
    assert (error.field, error.code, error.detail) == (
        "observed_on",
        "before_ruleset",
        "2004-06-08",
    )


def test_python_values_are_accepted_on_the_single_path() -> None:
    from datetime import date

    result = classify_one(
        {
            "id": 7,
            "observed_on": date(2024, 5, 1),
            "age": 16,
            "hazards": ["heights", "dust_fumes"],
            "night_work": False,
        }
    )
    assert (result.id, result.verdict, result.rules) == ("7", "hazardous", ("ma.hazardous",))


def test_each_explanation_quotes_its_own_law() -> None:
    hazardous = classify_one(
        {"id": "k", "observed_on": "2024-05-01", "age": "16", "hazards": "heights"}
    )
    assert "179" in hazardous.explanation("fr")[0] and "C182" not in hazardous.explanation("fr")[0]
    assert "179" in hazardous.explanation("en")[0] and "179" in hazardous.explanation("ar")[0]
    worst = classify_one(
        {"id": "k", "observed_on": "2024-05-01", "age": "16", "worst_forms": "trafficking"}
    )
    assert "C182" in worst.explanation("fr")[0] and "traite" in worst.explanation("fr")[0]
