"""Reading observations: validation and conversion to the engine's arrays.

Every field has one parser, :func:`parse_field`, used by both ways in:
:func:`parse_one` reads a mapping (a form, an API call); :func:`parse_columns`
reads a Polars frame of text columns (a file, a survey) by parsing each
column's distinct values once and mapping the results back, which is fast on
real data where most columns repeat a few values. The checks that span two
fields (a required value, a birth date after the observation) are written for
both, and a property-based test proves the two ways agree.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import polars as pl

from .codes import HAZARD_BIT, SECTOR_CODE, WORST_FORM_BIT

#: The fields of an observation, in the specification's order.
FIELDS: tuple[str, ...] = (
    "id",
    "observed_on",
    "birth_date",
    "age",
    "sex",
    "economic_hours_week",
    "chores_hours_week",
    "sector",
    "domestic_worker",
    "usual_start",
    "usual_end",
    "night_work",
    "hazards",
    "worst_forms",
    "guardian_authorisation",
    "apprenticeship",
)
REQUIRED = ("id", "observed_on")
BOOLEAN_FIELDS = ("domestic_worker", "night_work", "guardian_authorisation", "apprenticeship")
HOURS_FIELDS = ("economic_hours_week", "chores_hours_week")
TIME_FIELDS = ("usual_start", "usual_end")
LIST_BITS: dict[str, dict[str, int]] = {"hazards": HAZARD_BIT, "worst_forms": WORST_FORM_BIT}

TRUE_WORDS, FALSE_WORDS = ("true", "yes", "1"), ("false", "no", "0")
MAX_AGE, MAX_HOURS = 120, 168
SEXES = ("F", "M")
#: Blanks stripped around a value.
BLANKS = " \t\n\r\x0b\x0c"
UNKNOWN_BIRTH_DATE = date(1970, 1, 1)

_date = re.compile(r"[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}")
_integer = re.compile(r"[+-]?[0-9]+")
_number = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")
_time = re.compile(r"([0-9]{1,2}):([0-9]{2})")


@dataclass(frozen=True)
class FieldError:
    field: str
    code: str  # a key of messages.REASONS
    detail: str = ""


#: Each field's value when it is blank, as set on the OpenFisca input variable.
DEFAULTS: dict[str, Any] = {
    "observed_on": None,
    "birth_date": UNKNOWN_BIRTH_DATE,
    "age": -1,
    "sex": "",
    **{name: float("nan") for name in HOURS_FIELDS},
    "sector": 0,
    **{name: False for name in BOOLEAN_FIELDS},
    **{name: -1 for name in TIME_FIELDS},
    **{name: 0 for name in LIST_BITS},
}
#: The engine's input variables: each field's name there, and its array type.
INPUTS: dict[str, tuple[str, Any]] = {
    "observed_on": ("observed_on", "datetime64[D]"),
    "birth_date": ("birth_date", "datetime64[D]"),
    "age": ("age_reported", np.int64),
    **{name: (name, np.float64) for name in HOURS_FIELDS},
    "sector": ("sector", np.int64),
    **{name: (name, np.bool_) for name in BOOLEAN_FIELDS},
    **{name: (name, np.int64) for name in TIME_FIELDS},
    **{name: (name, np.int64) for name in LIST_BITS},
}
_POLARS_TYPES: dict[Any, Any] = {
    "datetime64[D]": pl.Date,
    np.int64: pl.Int64,
    np.float64: pl.Float64,
    np.bool_: pl.Boolean,
}


def parse_field(name: str, text: str) -> tuple[Any, FieldError | None]:
    """Parse one stripped, non-blank cell of field ``name``: (value, error)."""

    def bad(code: str, detail: str = "") -> tuple[Any, FieldError]:
        return DEFAULTS[name], FieldError(name, code, detail)

    if name in ("observed_on", "birth_date"):
        if not _date.fullmatch(text):
            return bad("bad_date")
        try:
            return date.fromisoformat(text), None
        except ValueError:
            return bad("bad_date")
    if name == "age":
        if not _integer.fullmatch(text):
            return bad("bad_integer")
        value = int(text)
        return (value, None) if 0 <= value <= MAX_AGE else bad("age_out_of_range")
    if name == "sex":
        return (text.upper(), None) if text.upper() in SEXES else bad("bad_sex")
    if name in HOURS_FIELDS:
        if not _number.fullmatch(text):
            return bad("bad_number")
        hours = float(text)
        if hours < 0:
            return bad("hours_negative")
        return (hours, None) if hours <= MAX_HOURS else bad("hours_over_week")
    if name == "sector":
        sector = SECTOR_CODE.get(text.lower())
        return (sector, None) if sector else bad("unknown_code", text)
    if name in BOOLEAN_FIELDS:
        word = text.lower()
        if word in TRUE_WORDS or word in FALSE_WORDS:
            return word in TRUE_WORDS, None
        return bad("bad_boolean")
    if name in TIME_FIELDS:
        match = _time.fullmatch(text)
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            return bad("bad_time")
        return int(match[1]) * 60 + int(match[2]), None
    if name in LIST_BITS:
        bits = LIST_BITS[name]
        mask = 0
        for item in text.split(";"):
            code = item.strip(BLANKS).lower()
            if code and code not in bits:
                return bad("unknown_code", code)
            mask |= bits.get(code, 0)
        return mask, None
    raise KeyError(name)


# ------------------------------------------------------------- one at a time


def _text(value: Any) -> str | None:
    """A value as stripped text; None when blank. Python values are accepted too."""
    if value is None:
        return None
    if isinstance(value, bool):
        value = "true" if value else "false"
    elif isinstance(value, date):
        value = value.isoformat()
    elif isinstance(value, list | tuple):
        value = ";".join(str(item) for item in value)
    text = str(value).strip(BLANKS)
    return text or None


def parse_one(observation: Mapping[str, Any]) -> tuple[dict[str, Any], str, list[FieldError]]:
    """Validate one observation: the engine's inputs, the id, and every error.

    Values may be text as in a CSV cell, or Python values (dates, numbers,
    booleans, lists of codes). Fields other than ``FIELDS`` are ignored.
    """
    identifier = _text(observation.get("id"))
    errors = [] if identifier else [FieldError("id", "required")]
    values: dict[str, Any] = {}
    birth_known = False
    for name in FIELDS[1:]:
        text = _text(observation.get(name))
        if text is None:
            values[name] = DEFAULTS[name]
            if name in REQUIRED:
                errors.append(FieldError(name, "required"))
            continue
        values[name], error = parse_field(name, text)
        if error:
            errors.append(error)
        elif name == "birth_date":
            birth_known = True
    observed, birth = values["observed_on"], values["birth_date"]
    if birth_known and observed is not None and birth > observed:
        errors.append(FieldError("birth_date", "birth_after_observation"))
        errors.sort(key=lambda error: FIELDS.index(error.field))
    inputs = {INPUTS[name][0]: values[name] for name in INPUTS}
    inputs["birth_date_known"] = birth_known
    return inputs, identifier or "", errors


# ------------------------------------------------------------------ columns


@dataclass
class ParsedColumns:
    """A validated batch: inputs of the accepted rows, and the rejected ones."""

    ids: pl.Series  # id of every accepted row, in input order
    rows: np.ndarray  # 0-based input row number of every accepted row
    inputs: dict[str, np.ndarray]
    errors: list[tuple[int, FieldError]]  # (0-based row, error), by row then field
    rejected_rows: np.ndarray  # 0-based input row number of every rejected row
    rejected_observed_on: np.ndarray  # their valid observation dates (NaT where invalid)


def _column(frame: pl.DataFrame, name: str) -> pl.Series:
    if name in frame.columns:
        return frame.get_column(name).cast(pl.String)
    return pl.Series(name, [None] * frame.height, dtype=pl.String)


def _parse_distinct(name: str, raw: pl.Series) -> tuple[pl.Series, pl.Series, pl.Series]:
    """Parse each distinct value of a column once: (values, error codes, details)."""
    distinct = raw.drop_nulls().unique()
    parsed_values, codes, details = [], [], []
    for cell in distinct.to_list():
        text = cell.strip(BLANKS)
        value, error = parse_field(name, text) if text else (DEFAULTS[name], None)
        parsed_values.append(value)
        codes.append("required" if not text and name in REQUIRED else error.code if error else None)
        details.append(error.detail if error else None)
    dtype = _POLARS_TYPES[INPUTS[name][1]] if name in INPUTS else pl.String
    table = pl.DataFrame(
        {
            "key": distinct,
            "value": pl.Series(parsed_values, dtype=dtype),
            "code": pl.Series(codes, dtype=pl.String),
            "detail": pl.Series(details, dtype=pl.String),
        }
    )
    joined = raw.rename("key").to_frame().join(table, on="key", how="left", maintain_order="left")
    value, code = joined.get_column("value"), joined.get_column("code")
    if DEFAULTS[name] is not None:
        value = value.fill_null(DEFAULTS[name])
    if name in REQUIRED:
        code = code.set(raw.is_null(), "required")
    return value, code, joined.get_column("detail")


def parse_columns(frame: pl.DataFrame) -> ParsedColumns:
    """Validate a frame whose columns are named as the fields (text, any order,
    missing columns unknown, other columns ignored)."""
    identifiers = _column(frame, "id").str.strip_chars(BLANKS)
    identifiers = identifiers.set(identifiers == "", None)
    values: dict[str, pl.Series] = {}
    codes: dict[str, pl.Series] = {
        "id": pl.Series([None] * frame.height, dtype=pl.String).set(
            identifiers.is_null(), "required"
        )
    }
    details: dict[str, pl.Series] = {}
    for name in FIELDS[1:]:
        if name == "sex":  # checked, not used by any rule
            _, codes[name], details[name] = _parse_distinct(name, _column(frame, name))
            continue
        values[name], codes[name], details[name] = _parse_distinct(name, _column(frame, name))
    birth_given = _column(frame, "birth_date").str.strip_chars(BLANKS).ne("").fill_null(False)
    birth_known = birth_given & codes["birth_date"].is_null()
    after = (
        birth_known
        & values["observed_on"].is_not_null()
        & (values["birth_date"] > values["observed_on"]).fill_null(False)
    )
    codes["birth_date"] = codes["birth_date"].set(after, "birth_after_observation")

    table = pl.DataFrame({f"err_{name}": codes[name] for name in FIELDS}).with_row_index("row")
    rejected = table.select(pl.any_horizontal(pl.exclude("row").is_not_null())).to_series()
    errors: list[tuple[int, FieldError]] = []
    if rejected.any():
        detail_frame = pl.DataFrame({f"det_{name}": details[name] for name in details})
        bad = pl.concat([table, detail_frame], how="horizontal").filter(rejected)
        for record in bad.iter_rows(named=True):
            for name in FIELDS:
                if (code := record[f"err_{name}"]) is not None:
                    errors.append(
                        (record["row"], FieldError(name, code, record.get(f"det_{name}") or ""))
                    )
    accepted = ~rejected
    inputs = {
        INPUTS[name][0]: values[name]
        .filter(accepted)
        .to_numpy()
        .astype(INPUTS[name][1], copy=False)
        for name in INPUTS
    }
    inputs["birth_date_known"] = birth_known.filter(accepted).to_numpy()
    rows = np.arange(frame.height)
    return ParsedColumns(
        ids=identifiers.filter(accepted),
        rows=rows[accepted.to_numpy()],
        inputs=inputs,
        errors=errors,
        rejected_rows=rows[rejected.to_numpy()],
        rejected_observed_on=values["observed_on"]
        .filter(rejected)
        .to_numpy()
        .astype("datetime64[D]"),
    )
