"""Property: one observation at a time and the batch over columns give the same answers.

Random observations mix valid values, blanks, boundary values and bad values in
every field, so the agreement covers validation as well as the rules.
"""

from __future__ import annotations

from typing import Any

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from himaya_rules import (
    FIELDS,
    HAZARDS,
    RULESETS,
    SECTORS,
    WORST_FORMS,
    ObservationError,
    classify_frame,
    classify_one,
)

blank = st.sampled_from(["", " "])
dates = st.dates().map(lambda d: d.isoformat()) | st.sampled_from(
    [
        "2018-10-01",
        "2018-10-02",
        "2023-10-01",
        "2023-10-02",
        "2004-06-07",
        "2023-02-29",
        "2024-02-29",
        "24-05-01",
        "0000-01-01",
        "2024/05/01",
    ]
)
recent = st.dates(
    min_value=__import__("datetime").date(2000, 1, 1),
    max_value=__import__("datetime").date(2030, 12, 31),
).map(lambda d: d.isoformat())
numbers = st.one_of(
    st.integers(-5, 200).map(str),
    st.floats(-1, 170, allow_nan=False).map(lambda x: f"{x:.2f}"),
    st.sampled_from(
        [
            "0",
            "13.5",
            "14",
            "42.9",
            "43",
            "40.5",
            "168",
            "168.01",
            "-0",
            "+5",
            "5.",
            ".5",
            "1e2",
            "abc",
            "nan",
            "inf",
            "٣",
        ]
    ),
)
ages = st.one_of(
    st.integers(-2, 130).map(str), st.sampled_from(["12.0", "+13", "abc", " 14 ", "٣"])
)
booleans = st.sampled_from(["true", "false", "yes", "no", "1", "0", "TRUE", "Yes", "maybe", "2"])
times = st.one_of(
    st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 25), st.integers(0, 61)),
    st.sampled_from(
        ["7:30", "20:00", "04:59", "05:00", "21:00", "06:00", "22:00", "2000", "ab:cd", "24:00"]
    ),
)


def codes(vocabulary: tuple[str, ...]) -> st.SearchStrategy[str]:
    item = st.sampled_from(list(vocabulary) + ["bogus", "", " HEIGHTS "])
    return st.lists(item, max_size=3).map(";".join)


FIELD_VALUES: dict[str, st.SearchStrategy[str]] = {
    "observed_on": recent | dates,
    "birth_date": dates | recent,
    "age": ages,
    "sex": st.sampled_from(["F", "M", "f", "x"]),
    "economic_hours_week": numbers,
    "chores_hours_week": numbers,
    "sector": st.sampled_from(list(SECTORS) + ["AGRICULTURE", "farming"]),
    "domestic_worker": booleans,
    "usual_start": times,
    "usual_end": times,
    "night_work": booleans,
    "hazards": codes(HAZARDS),
    "worst_forms": codes(WORST_FORMS),
    "guardian_authorisation": booleans,
    "apprenticeship": booleans,
}


@st.composite
def observation(draw: Any) -> dict[str, str]:
    row = {"id": draw(st.sampled_from(["a", "b", " c ", ""]))}
    for name, values in FIELD_VALUES.items():
        if draw(st.integers(0, 9)) < 6:
            row[name] = draw(values | blank)
    return row


RULESET_CHOICES = [(name, None) for name in RULESETS] + [("ilo-c138-c182", {"minimum_age": "14"})]


def _single(row: dict[str, str], ruleset: str, options: dict[str, str] | None) -> tuple[Any, ...]:
    try:
        result = classify_one(row, ruleset, options)
    except ObservationError as error:
        return ("rejected", sorted((e.field, e.code, e.detail) for e in error.errors))
    hazardous = (
        "" if result.hazardous_conditions is None else str(result.hazardous_conditions).lower()
    )
    return (
        "accepted",
        result.id,
        result.verdict,
        ";".join(result.rules),
        " | ".join(result.citations),
        hazardous,
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(observation(), min_size=1, max_size=20), st.sampled_from(RULESET_CHOICES))
def test_single_and_batch_paths_agree(rows: list[dict[str, str]], choice: tuple[str, Any]) -> None:
    ruleset, options = choice
    frame = pl.DataFrame(
        {name: [row.get(name) for row in rows] for name in FIELDS},
        schema={name: pl.String for name in FIELDS},
    )
    batch = classify_frame(frame, ruleset, options)
    output = {
        row: record
        for row, record in zip(batch.rows.tolist(), batch.to_frame().iter_rows(), strict=True)
    }
    errors: dict[int, list[tuple[str, str, str]]] = {}
    for row, error in batch.errors:
        errors.setdefault(row, []).append((error.field, error.code, error.detail))

    for index, observation in enumerate(rows):
        expected = _single(observation, ruleset, options)
        got: tuple[Any, ...]
        if index in output:
            record = output[index]
            got = ("accepted", record[0], record[2], record[3], record[4], record[5])
        else:
            got = ("rejected", sorted(errors[index]))
        assert got == expected, (index, observation)
