"""Mapping files: from a survey's variable names and codes to the engine's fields (no Django).

A mapping is a YAML, JSON or TOML file (``mappings/NAME.yaml`` ships with
Himaya; any other file is named by its path)::

    name: mics6
    design: {stratum: stratum, psu: HH1, weight: fsweight}
    fields:
      age: CB3                                      # one column, as written
      sex: {column: HL4, values: {"1": M, "2": F}, missing: ["9"]}
      observed_on: {year: FS7Y, month: FS7M, day: FS7D}
      economic_hours_week: {sum: [CL3], missing: ["98", "99"]}
      hazards: {yes_values: ["1"], codes: {CL4: [heavy_loads], CL6D: [heights]}}
      region: HH7

Keys of ``fields`` are the engine's fields (``himaya_rules.FIELDS``) and the
descriptive fields ``area`` and ``region``. ``values`` recodes (a value not
listed is kept as written); ``missing`` codes are blanks ("don't know": the
engine counts missing hours as 0); ``sum`` adds hours columns (a missing part
counts as 0); ``codes`` turns yes/no columns into the engine's hazard (or
worst-form) codes (a column counts when its value is one of ``yes_values``,
by default ``["1"]``). Without a mapping, columns already named as the fields are
used as they are.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from himaya.survey.errors import SurveyRefused
from himaya_rules import FIELDS, HAZARDS, WORST_FORMS

MAPPINGS = Path(__file__).parent / "mappings"
SUFFIXES = (".yaml", ".yml", ".json", ".toml")
#: Fields a mapping may fill: the engine's (less the identifier) and two descriptive ones.
DESCRIPTIVE = ("area", "region")
KNOWN_FIELDS: tuple[str, ...] = (*FIELDS[1:], *DESCRIPTIVE)
LIST_FIELDS = {"hazards": HAZARDS, "worst_forms": WORST_FORMS}
DESIGN_ROLES = ("stratum", "psu", "weight")
BLANK = " \t\r\n"


@dataclass(frozen=True)
class FieldRule:
    """How one field is made from the survey's columns."""

    target: str
    column: str | None = None
    values: Mapping[str, str] = field(default_factory=dict)
    missing: tuple[str, ...] = ()
    sum: tuple[str, ...] = ()
    date: tuple[str, str, str] | None = None  # year, month, day columns
    codes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    yes: tuple[str, ...] = ("1",)

    @property
    def columns(self) -> tuple[str, ...]:
        if self.column is not None:
            return (self.column,)
        if self.sum:
            return self.sum
        if self.date is not None:
            return self.date
        return tuple(self.codes)


@dataclass(frozen=True)
class SurveyMapping:
    name: str
    fields: Mapping[str, FieldRule]
    design: Mapping[str, str] = field(default_factory=dict)
    description: str = ""

    @property
    def columns(self) -> tuple[str, ...]:
        """Every survey column the mapping reads, in order, once."""
        named = [column for rule in self.fields.values() for column in rule.columns]
        return tuple(dict.fromkeys(named))

    def columns_of(self, name: str) -> tuple[str, ...]:
        """The survey columns a field is made from (the field's own name when unmapped)."""
        rule = self.fields.get(name)
        return rule.columns if rule is not None else (name,)

    def check_columns(self, available: Iterable[str]) -> None:
        """Refuse a mapping that names a variable the file does not have."""
        present = set(available)
        for column in self.columns:
            if column not in present:
                raise SurveyRefused("unknown_variable", column=column)


def identity(columns: Sequence[str]) -> SurveyMapping:
    """No mapping: the file's columns already named as the fields."""
    fields = {name: FieldRule(name, column=name) for name in KNOWN_FIELDS if name in columns}
    return SurveyMapping(name="", fields=fields)


def shipped() -> list[str]:
    """The names of the mappings shipped with Himaya."""
    return sorted(path.stem for path in MAPPINGS.iterdir() if path.suffix in SUFFIXES)


def _text_list(value: Any, where: str, path: str) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(item, str | int) and not isinstance(item, bool) for item in items):
        raise SurveyRefused("mapping_invalid", path=path, detail=f"{where}: expected text values")
    return tuple(str(item) for item in items)


def _rule(name: str, spec: Any, path: str) -> FieldRule:
    if isinstance(spec, str):
        return FieldRule(name, column=spec)
    if not isinstance(spec, dict):
        raise SurveyRefused("mapping_invalid", path=path, detail=f"{name}: expected a column")
    allowed = {"column", "values", "missing", "sum", "year", "month", "day", "codes", "yes_values"}
    unknown = sorted(set(spec) - allowed)
    if unknown:
        raise SurveyRefused(
            "mapping_invalid", path=path, detail=f"{name}: unknown key {unknown[0]}"
        )
    missing = _text_list(spec.get("missing", []), f"{name}.missing", path)
    values = {str(k): str(v) for k, v in (spec.get("values") or {}).items()}
    if "column" in spec:
        return FieldRule(name, column=str(spec["column"]), values=values, missing=missing)
    if "sum" in spec:
        return FieldRule(name, sum=_text_list(spec["sum"], f"{name}.sum", path), missing=missing)
    if {"year", "month", "day"} <= set(spec):
        date = (str(spec["year"]), str(spec["month"]), str(spec["day"]))
        return FieldRule(name, date=date, missing=missing)
    if "codes" in spec and name in LIST_FIELDS:
        codes: dict[str, tuple[str, ...]] = {}
        for column, listed in (spec["codes"] or {}).items():
            codes[str(column)] = _text_list(listed, f"{name}.codes.{column}", path)
            for code in codes[str(column)]:
                if code not in LIST_FIELDS[name]:
                    detail = f"{name}.codes.{column}: unknown code {code}"
                    raise SurveyRefused("mapping_invalid", path=path, detail=detail)
        yes = _text_list(spec.get("yes_values", ["1"]), f"{name}.yes_values", path)
        return FieldRule(name, codes=codes, yes=yes)
    raise SurveyRefused("mapping_invalid", path=path, detail=f"{name}: expected a column")


def parse(data: Any, path: str) -> SurveyMapping:
    """A mapping from the parsed content of a mapping file."""
    if not isinstance(data, dict) or not isinstance(data.get("fields"), dict):
        raise SurveyRefused("mapping_invalid", path=path, detail="expected a table 'fields'")
    fields: dict[str, FieldRule] = {}
    for name, spec in data["fields"].items():
        if name not in KNOWN_FIELDS:
            raise SurveyRefused(
                "mapping_unknown_field", path=path, column=str(name), known=", ".join(KNOWN_FIELDS)
            )
        fields[name] = _rule(name, spec, path)
    design = data.get("design") or {}
    if not isinstance(design, dict) or set(design) - set(DESIGN_ROLES):
        detail = f"design: expected {', '.join(DESIGN_ROLES)}"
        raise SurveyRefused("mapping_invalid", path=path, detail=detail)
    return SurveyMapping(
        name=str(data.get("name") or Path(path).stem),
        fields=fields,
        design={role: str(column) for role, column in design.items()},
        description=str(data.get("description") or ""),
    )


def load(name_or_path: str) -> SurveyMapping:
    """A shipped mapping by NAME, or a mapping file by its path."""
    path = Path(name_or_path)
    if path.suffix.lower() not in SUFFIXES:
        if name_or_path not in shipped():
            raise SurveyRefused("unknown_mapping", detail=name_or_path, known=", ".join(shipped()))
        path = next(
            MAPPINGS / f"{name_or_path}{s}"
            for s in SUFFIXES
            if (MAPPINGS / f"{name_or_path}{s}").exists()
        )
    try:
        text = path.read_text(encoding="utf-8")
        suffix = path.suffix.lower()
        if suffix == ".json":
            data = json.loads(text)
        elif suffix == ".toml":
            data = tomllib.loads(text)
        else:
            data = yaml.safe_load(text)
    except OSError as error:
        raise SurveyRefused("unreadable", path=str(path), detail=str(error)) from error
    except (ValueError, yaml.YAMLError) as error:
        raise SurveyRefused("mapping_invalid", path=str(path), detail=str(error)) from error
    return parse(data, str(path))


# ------------------------------------------------------------------ applying


def _cell(column: str, missing: tuple[str, ...]) -> pl.Expr:
    """A column stripped, blank or a missing code as null."""
    value = pl.col(column).str.strip_chars(BLANK)
    blank = value.is_null() | (value == "")
    if missing:
        blank = blank | value.is_in(list(missing))
    return pl.when(blank).then(None).otherwise(value)


def _number(column: str, missing: tuple[str, ...]) -> pl.Expr:
    """A column of numbers; blank, not a number or a missing code as null."""
    value = pl.col(column).str.strip_chars(BLANK).cast(pl.Float64, strict=False)
    codes = [float(code) for code in missing if _is_number(code)]
    return pl.when(value.is_in(codes)).then(None).otherwise(value) if codes else value


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _expression(rule: FieldRule) -> pl.Expr:
    if rule.column is not None:
        value = _cell(rule.column, rule.missing)
        if rule.values:
            value = value.replace(dict(rule.values))
        return value.alias(rule.target)
    if rule.sum:
        parts = [_number(column, rule.missing) for column in rule.sum]
        total = pl.sum_horizontal(parts) if len(parts) > 1 else parts[0]
        if len(parts) > 1:
            any_given = pl.any_horizontal([part.is_not_null() for part in parts])
            total = pl.when(any_given).then(total).otherwise(None)
        return total.cast(pl.String).alias(rule.target)
    if rule.date is not None:
        year, month, day = (pl.col(column).str.strip_chars(BLANK) for column in rule.date)
        text = pl.concat_str(
            [year.str.zfill(4), month.str.zfill(2), day.str.zfill(2)], separator="-"
        )
        return text.alias(rule.target)
    yes = list(rule.yes)
    pieces = [
        pl.when(pl.col(column).str.strip_chars(BLANK).is_in(yes)).then(pl.lit(";".join(codes)))
        for column, codes in rule.codes.items()
    ]
    return pl.concat_str(pieces, separator=";", ignore_nulls=True).alias(rule.target)


def not_numbers(frame: pl.DataFrame, mapping: SurveyMapping) -> list[tuple[int, str, str]]:
    """(0-based row, column, value) of each non-numeric value of a summed hours column
    (the engine sees only the sum). Each column's distinct values are checked once."""
    found: list[tuple[int, str, str]] = []
    for rule in mapping.fields.values():
        for column in rule.sum:
            distinct = frame.get_column(column).drop_nulls().unique().str.strip_chars(BLANK)
            bad = [
                value
                for value in distinct.to_list()
                if value and value not in rule.missing and not _is_number(value)
            ]
            if not bad:
                continue
            rows = frame.with_row_index("_row").filter(
                pl.col(column).str.strip_chars(BLANK).is_in(bad)
            )
            found.extend(
                (row, column, value) for row, value in rows.select("_row", column).iter_rows()
            )
    return sorted(found)


def apply(frame: pl.DataFrame, mapping: SurveyMapping) -> pl.DataFrame:
    """The engine's fields (text) made from the survey's columns, one row per row."""
    mapping.check_columns(frame.columns)
    return frame.select([_expression(rule) for rule in mapping.fields.values()])
