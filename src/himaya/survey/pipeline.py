"""From a survey file to its estimates: read, map, check the design, classify, estimate.

No Django: the management command ``himaya survey estimate`` and, later, the
web pages call :func:`run` and then ``outputs``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import polars as pl

from himaya.survey import mapping as mappings
from himaya.survey import reader
from himaya.survey.classify import INDICATORS, Classified, classify
from himaya.survey.errors import RowProblem, SurveyRefused
from himaya.survey.estimate import DEFAULT_SINGLETON, IN_SCOPE, WEIGHT, Design, estimate

#: The domains always reported when the file has them (``age_group`` always).
DEFAULT_DOMAINS = ("sex", "age_group", "area", "region")
STRATUM, PSU = "_stratum", "_psu"


@dataclass(frozen=True)
class Request:
    input: Path
    mapping: str | None = None
    stratum: str | None = None
    psu: str | None = None
    weight: str | None = None
    by: Sequence[str] = ()
    ruleset: str = "sdg-8.7.1"
    singleton: str = DEFAULT_SINGLETON
    #: The reference date when the file has no date of observation.
    observed_on: date | None = None


@dataclass
class Result:
    estimates: pl.DataFrame
    classified: Classified
    design: Design
    domains: list[str]
    mapping: mappings.SurveyMapping
    rows: int
    year: int
    problems: list[RowProblem] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    #: What svy was given: design columns, indicators, ``in_scope`` and the domains.
    data: pl.DataFrame | None = None


@dataclass
class Prepared:
    """The file read and checked, before classification."""

    raw: pl.DataFrame
    mapping: mappings.SurveyMapping
    roles: dict[str, str]
    domains: list[str]
    request: Request


def _roles(request: Request, mapping: mappings.SurveyMapping, header: list[str]) -> dict[str, str]:
    roles: dict[str, str] = {}
    for role in mappings.DESIGN_ROLES:
        column = getattr(request, role) or mapping.design.get(role)
        if not column:
            raise SurveyRefused("design_missing", role=role)
        if column not in header:
            raise SurveyRefused("missing_column", column=column, role=role)
        roles[role] = column
    return roles


def prepare(request: Request) -> Prepared:
    """Read the file and refuse it as a whole when its mapping or design is wrong."""
    header = reader.columns_of(request.input)
    mapping = mappings.load(request.mapping) if request.mapping else mappings.identity(header)
    roles = _roles(request, mapping, header)
    mapping.check_columns(header)
    if "age" not in mapping.fields and "birth_date" not in mapping.fields:
        raise SurveyRefused("no_age")
    domains = [name for name in DEFAULT_DOMAINS if name == "age_group" or name in mapping.fields]
    extra: list[str] = []
    for name in request.by:
        if name in domains or name in extra:
            continue
        if name not in mapping.fields and name not in header:
            raise SurveyRefused("unknown_by", column=name)
        extra.append(name)
    domains += extra
    raw_by = [name for name in extra if name not in mapping.fields]
    raw = reader.read_survey(request.input, [*mapping.columns, *roles.values(), *raw_by])
    return Prepared(raw, mapping, roles, domains, request)


def weights(raw: pl.DataFrame, column: str) -> pl.Series:
    """The weight column as numbers; refused when blank, not a number or negative."""
    text = raw.get_column(column).str.strip_chars()
    values = text.cast(pl.Float64, strict=False)
    blank = text.is_null() | (text == "")
    if blank.any():
        row = int(blank.arg_true()[0]) + 1
        raise SurveyRefused("weight_blank", column=column, detail=str(row))
    bad = values.is_null() | values.is_nan()
    if bad.any():
        raise SurveyRefused("weight_not_number", column=column, detail=str(text.filter(bad)[0]))
    negative = values < 0
    if negative.any():
        raise SurveyRefused("weight_negative", column=column, detail=str(text.filter(negative)[0]))
    return values.rename(WEIGHT)


def _design_column(raw: pl.DataFrame, column: str, role: str) -> pl.Series:
    text = raw.get_column(column).str.strip_chars()
    blank = text.is_null() | (text == "")
    if blank.any():
        row = int(blank.arg_true()[0]) + 1
        raise SurveyRefused("design_blank", column=column, role=role, detail=str(row))
    return text


def run(request: Request) -> Result:
    """Read, classify and estimate every indicator, overall and by each domain."""
    timings: dict[str, float] = {}
    start = time.perf_counter()
    prepared = prepare(request)
    raw, mapping, roles = prepared.raw, prepared.mapping, prepared.roles
    weight = weights(raw, roles["weight"])
    stratum = _design_column(raw, roles["stratum"], "stratum").rename(STRATUM)
    psu = _design_column(raw, roles["psu"], "psu").rename(PSU)
    timings["read"] = time.perf_counter() - start

    start = time.perf_counter()
    fields = mappings.apply(raw, mapping)
    if "observed_on" not in fields.columns:
        on = request.observed_on or datetime.now(UTC).date()
        fields = fields.with_columns(pl.lit(on.isoformat()).alias("observed_on"))
    classified = classify(fields, mapping, request.ruleset)
    problems = list(classified.problems)
    not_numbers = mappings.not_numbers(raw, mapping)
    if not_numbers:
        refused = np.array(sorted({row for row, _, _ in not_numbers}))
        classified.in_scope[refused] = False
        for indicator in classified.indicators.values():
            indicator[refused] = 0.0
        classified.age_group = classified.age_group.set(
            pl.Series(np.isin(np.arange(raw.height), refused)), None
        )
        problems += [
            RowProblem(row + 1, column, "bad_number", value) for row, column, value in not_numbers
        ]
        problems.sort(key=lambda problem: problem.row)
    timings["classify"] = time.perf_counter() - start

    start = time.perf_counter()
    columns: list[pl.Series] = [stratum, psu, weight, pl.Series(IN_SCOPE, classified.in_scope)]
    columns += [pl.Series(name, classified.indicators[name]) for name in INDICATORS]
    for name in prepared.domains:
        if name == "age_group":
            columns.append(classified.age_group)
        elif name in fields.columns:
            columns.append(fields.get_column(name))
        else:
            columns.append(raw.get_column(name).str.strip_chars())
    data = pl.DataFrame(columns)
    design = Design(STRATUM, PSU, roles["weight"], request.singleton)
    estimates = estimate(
        data,
        design,
        INDICATORS,
        prepared.domains,
        levels={"age_group": classified.groups.labels},
    )
    timings["estimate"] = time.perf_counter() - start
    observed = fields.get_column("observed_on").unique().str.to_date(strict=False).max()
    year = observed.year if isinstance(observed, date) else datetime.now(UTC).year
    return Result(
        estimates=estimates,
        classified=classified,
        design=design,
        domains=prepared.domains,
        mapping=mapping,
        rows=raw.height,
        year=year,
        problems=problems,
        timings=timings,
        data=data,
    )
