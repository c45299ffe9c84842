"""Design-based estimates of proportions with ``svy`` (no Django, no variance formula here).

Each indicator is a 0/1 column; its estimate in a domain is the weighted mean
over the children of the analysis in that domain (``svy`` ``estimation.mean``),
with its Taylor-linearised standard error for a stratified clustered design
(PSUs taken within strata, with replacement at the first stage), the 95 %
interval ``estimate ± t(df) × se`` with svy's degrees of freedom (PSUs minus
strata holding the domain), the unweighted count and the design effect
against a simple random sample with replacement (``deff="wr"``: MICS weights
are normalised, so their sum is no population count; decision 0009).

Children outside the analysis (outside ages 5–17, rows the engine refused)
stay in the design and are left out of every domain (``where``), so that no
PSU is dropped from the variance. A stratum with a single PSU follows the
design's ``singleton`` rule (default ``center``: the PSU is centred on the
grand mean, R's ``lonely.psu = "adjust"``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl
import svy

SINGLETON_RULES = ("center", "scale", "skip")
DEFAULT_SINGLETON = "center"
#: Stand-in for a blank domain value inside svy; its rows are in no domain.
_BLANK = "\x00blank"
IN_SCOPE = "in_scope"
WEIGHT = "_weight"
ALPHA = 0.05

COLUMNS = (
    "indicator",
    "domain",
    "variable",
    "value",
    "estimate",
    "se",
    "ci_low",
    "ci_high",
    "n_unweighted",
    "deff",
    "df",
    "weighted",
)
SCHEMA: dict[str, pl.DataType] = {
    "indicator": pl.String(),
    "domain": pl.String(),
    "variable": pl.String(),
    "value": pl.String(),
    "estimate": pl.Float64(),
    "se": pl.Float64(),
    "ci_low": pl.Float64(),
    "ci_high": pl.Float64(),
    "n_unweighted": pl.Int64(),
    "deff": pl.Float64(),
    "df": pl.Int64(),
    "weighted": pl.Float64(),
}


@dataclass(frozen=True)
class Design:
    """The columns of the design, and the rule for strata with a single PSU."""

    stratum: str
    psu: str
    weight: str
    singleton: str = DEFAULT_SINGLETON

    def sample(self, data: pl.DataFrame) -> svy.Sample:
        """The svy sample; the weight column must already be numeric (``WEIGHT``)."""
        return svy.Sample(
            data,
            svy.Design(
                stratum=self.stratum,
                psu=self.psu,
                wgt=WEIGHT,
                singleton=svy.Singleton(svy.SingletonMethod(self.singleton)),
            ),
        )


def _rows(
    result: pl.DataFrame, indicator: str, variable: str | None, weighted: dict[str, float]
) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for record in result.iter_rows(named=True):
        value = None if variable is None else record[variable]
        if value == _BLANK:
            continue
        rows.append(
            {
                "indicator": indicator,
                "domain": "all" if variable is None else f"{variable}={value}",
                "variable": variable or "",
                "value": value or "",
                "estimate": record["est"],
                "se": record["se"],
                "ci_low": record["lci"],
                "ci_high": record["uci"],
                "n_unweighted": record["n"],
                "deff": record.get("deff", math.nan),
                "df": record["df"],
                "weighted": weighted.get(value or "", 0.0),
            }
        )
    return rows


def estimate(
    data: pl.DataFrame,
    design: Design,
    indicators: Sequence[str],
    domains: Sequence[str] = (),
    levels: dict[str, Sequence[str]] | None = None,
) -> pl.DataFrame:
    """Estimates of every indicator, overall (domain ``all``) then by each domain column.

    ``data`` holds the design columns (weight as ``WEIGHT``, numeric), the 0/1
    indicators, ``IN_SCOPE`` (bool) and the domain columns (text, blank = none).
    ``levels`` lists values to report even when no child of the analysis has them
    (the age groups): they come with ``n_unweighted`` 0 and no estimate.
    """
    everyone = bool(data.get_column(IN_SCOPE).all())
    where = None if everyone else svy.col(IN_SCOPE)
    prepared = data.with_columns(
        [pl.col(name).fill_null(_BLANK) for name in domains if data.get_column(name).null_count()]
    )
    sample = design.sample(prepared)
    scoped = prepared.filter(pl.col(IN_SCOPE))
    rows: list[dict[str, object]] = []
    for variable in (None, *domains):
        if variable is None:
            weighted = {"": float(scoped.get_column(WEIGHT).sum())}
        else:
            sums = scoped.group_by(variable).agg(pl.col(WEIGHT).sum())
            weighted = dict(zip(sums.get_column(variable), sums.get_column(WEIGHT), strict=True))
        results = _means(sample, list(indicators), variable, where)
        for indicator, result in zip(indicators, results, strict=True):
            found = _rows(result.to_polars(), indicator, variable, weighted)
            if variable is not None:
                present = {str(row["value"]) for row in found}
                wanted = set(prepared.get_column(variable).unique().to_list()) - {_BLANK}
                wanted |= set((levels or {}).get(variable, ()))
                found.extend(_empty(indicator, variable, value) for value in wanted - present)
                order = list((levels or {}).get(variable, ()))
                found.sort(
                    key=lambda row: (
                        order.index(str(row["value"])) if row["value"] in order else len(order),
                        str(row["value"]),
                    )
                )
            rows.extend(found)
    return pl.DataFrame(rows, schema=SCHEMA, orient="row") if rows else pl.DataFrame(schema=SCHEMA)


def _means(
    sample: svy.Sample, indicators: list[str], by: str | None, where: Any
) -> list[svy.Estimate]:
    """svy's means of the indicators. svy 0.35 refuses a design effect that is missing
    in every domain (an indicator that is 0 everywhere has none, its variance being 0);
    such an indicator is estimated again without it (``deff`` then blank)."""
    try:
        found = sample.estimation.mean(indicators, by=by, where=where, deff="wr", alpha=ALPHA)
    except svy.MethodError as error:
        if getattr(error, "code", "") != "DEFF_NOT_COMPUTABLE" or len(indicators) == 1:
            if getattr(error, "code", "") != "DEFF_NOT_COMPUTABLE":
                raise
            found = sample.estimation.mean(indicators[0], by=by, where=where, alpha=ALPHA)
        else:
            return [one for name in indicators for one in _means(sample, [name], by, where)]
    return found if isinstance(found, list) else [found]


def _empty(indicator: str, variable: str, value: str) -> dict[str, object]:
    """An empty domain: no child of the analysis, so no estimate."""
    return {
        "indicator": indicator,
        "domain": f"{variable}={value}",
        "variable": variable,
        "value": value,
        "estimate": None,
        "se": None,
        "ci_low": None,
        "ci_high": None,
        "n_unweighted": 0,
        "deff": None,
        "df": None,
        "weighted": 0.0,
    }
