"""Worked cases, derived by hand from child-labour-rules.md and decision 0002.

Each case runs through both ways in: one observation at a time, and the batch
over columns. The cases live in ``cases/*.yaml``; their names say what they check.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest
import yaml

from himaya_rules import FIELDS, ObservationError, classify_frame, classify_one

CASES = Path(__file__).parent / "cases"


def _load(kind: str) -> list[Any]:
    cases = []
    for path in sorted(CASES.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            if ("rejected_fields" in case) == (kind == "bad"):
                cases.append(pytest.param(case, id=f"{path.stem}: {case['name']}"))
    return cases


def _observation(case: dict[str, Any]) -> dict[str, str]:
    return {"id": "case", **case["input"]}


def _frame(observation: dict[str, str]) -> pl.DataFrame:
    return pl.DataFrame(
        {name: [value] for name, value in observation.items()},
        schema={n: pl.String for n in observation},
    )


@pytest.mark.parametrize("case", _load("good"))
def test_worked_case(case: dict[str, Any]) -> None:
    observation = _observation(case)
    options = case.get("options")
    result = classify_one(observation, case["ruleset"], options)
    assert (result.verdict, set(result.rules)) == (case["verdict"], set(case["rules"]))
    if "hazardous_conditions" in case:
        assert result.hazardous_conditions == (case["hazardous_conditions"] == "true")

    row = (
        classify_frame(_frame(observation), case["ruleset"], options).to_frame().row(0, named=True)
    )
    assert row["verdict"] == case["verdict"]
    assert set(filter(None, row["rules"].split(";"))) == set(case["rules"])
    assert row["hazardous_conditions"] == case.get("hazardous_conditions", "")


@pytest.mark.parametrize("case", _load("bad"))
def test_bad_input_case(case: dict[str, Any]) -> None:
    observation = _observation(case)
    with pytest.raises(ObservationError) as raised:
        classify_one(observation, case["ruleset"], case.get("options"))
    assert {error.field for error in raised.value.errors} == set(case["rejected_fields"])

    batch = classify_frame(_frame(observation), case["ruleset"], case.get("options"))
    assert len(batch.ids) == 0
    assert {error.field for _, error in batch.errors} == set(case["rejected_fields"])


def test_every_field_is_exercised_by_some_case() -> None:
    used = {name for param in _load("good") + _load("bad") for name in param.values[0]["input"]}
    assert used >= set(FIELDS) - {"id"}
