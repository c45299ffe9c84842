"""Estimates worked out by hand, agreement with a direct svy computation, single-PSU
strata and empty domains."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import polars as pl
import pytest
import svy

from himaya.survey.classify import INDICATORS
from himaya.survey.estimate import IN_SCOPE, WEIGHT, Design, estimate
from himaya.survey.pipeline import Request, run
from himaya.survey.synthetic import generate

#: Student's t, 97.5th percentile, 2 degrees of freedom (tables; also scipy.stats.t.ppf).
T_975_DF2 = 4.302652729749464

# A tiny survey: two strata, two PSUs each, nine children. Columns: stratum, PSU,
# weight, sex, economic hours, chores hours, age.
TINY = [
    ("A", "1", 2.0, "F", 3, 0, 9),
    ("A", "1", 1.0, "M", 0, 0, 10),
    ("A", "2", 3.0, "F", 0, 5, 13),
    ("A", "2", 1.0, "M", 20, 0, 13),
    ("B", "3", 1.5, "F", 0, 25, 7),
    ("B", "3", 2.5, "M", 50, 0, 16),
    ("B", "4", 2.0, "F", 10, 0, 16),
    ("B", "4", 1.0, "M", 0, 0, 12),
    ("B", "4", 1.0, "F", 0, 30, 11),
]
# Child labour by the SDG 8.7.1 thresholds, read off by hand: 9 y.o. 3 h economic (>= 1):
# yes; 10 y.o. nothing: no; 13 y.o. 5 h chores (< 21): no; 13 y.o. 20 h economic (>= 14):
# yes; 7 y.o. 25 h chores (>= 21): yes; 16 y.o. 50 h economic (>= 43): yes; 16 y.o. 10 h:
# no; 12 y.o. nothing: no; 11 y.o. 30 h chores: yes.
TINY_CHILD_LABOUR = [1, 0, 0, 1, 1, 1, 0, 0, 1]


def _tiny_csv(folder: Path) -> Path:
    path = folder / "tiny.csv"
    pl.DataFrame(
        [
            {
                "stratum": s,
                "psu": c,
                "weight": w,
                "sex": sex,
                "economic_hours_week": e,
                "chores_hours_week": h,
                "age": a,
            }
            for s, c, w, sex, e, h, a in TINY
        ]
    ).write_csv(path)
    return path


def _taylor_by_hand(
    rows: list[tuple[str, str, float]], y: list[int], inside: list[bool]
) -> tuple[float, float, float, int]:
    """Weighted proportion of a domain, its Taylor-linearised standard error (PSUs with
    replacement within strata), the design effect against SRS with replacement, and
    the degrees of freedom (PSUs minus strata holding the domain); plain arithmetic."""
    total_weight = sum(w for (_, _, w), d in zip(rows, inside, strict=True) if d)
    p = sum(w * v for (_, _, w), v, d in zip(rows, y, inside, strict=True) if d) / total_weight
    # Linearised values z_i = d_i w_i (y_i - p) / sum(d w), summed by PSU.
    psu_totals: dict[tuple[str, str], float] = {}
    for (stratum, psu, w), v, d in zip(rows, y, inside, strict=True):
        psu_totals.setdefault((stratum, psu), 0.0)
        if d:
            psu_totals[(stratum, psu)] += w * (v - p) / total_weight
    variance = 0.0
    for stratum in sorted({s for s, _ in psu_totals}):
        totals = [z for (s, _), z in psu_totals.items() if s == stratum]
        mean = sum(totals) / len(totals)
        n_h = len(totals)
        variance += n_h / (n_h - 1) * sum((z - mean) ** 2 for z in totals)
    n = sum(inside)
    # SRS with replacement: the weighted population variance, corrected by n/(n-1), over n.
    s2 = sum(w * (v - p) ** 2 for (_, _, w), v, d in zip(rows, y, inside, strict=True) if d)
    srs = s2 / total_weight * n / (n - 1) / n
    holding = {(s, c) for (s, c, _), d in zip(rows, inside, strict=True) if d}
    df = len(holding) - len({s for s, _ in holding})
    return p, math.sqrt(variance), variance / srs, df


def test_small_survey_worked_by_hand(tmp_path: Path) -> None:
    result = run(
        Request(
            _tiny_csv(tmp_path),
            stratum="stratum",
            psu="psu",
            weight="weight",
            observed_on=__import__("datetime").date(2025, 3, 1),
        )
    )
    rows = [(s, c, w) for s, c, w, *_ in TINY]
    estimates = {(r["indicator"], r["domain"]): r for r in result.estimates.iter_rows(named=True)}

    # Overall: p = (2 + 1 + 1.5 + 2.5 + 1) / 15 = 8 / 15.
    p, se, deff, df = _taylor_by_hand(rows, TINY_CHILD_LABOUR, [True] * 9)
    assert p == pytest.approx(8 / 15, abs=1e-15)
    # Stratum A: z by PSU = (2·(1-p) + 1·(0-p)) / 15 and (3·(0-p) + 1·(1-p)) / 15, ...
    z_a = [(2 * (1 - p) - p) / 15, (-3 * p + (1 - p)) / 15]
    z_b = [(1.5 * (1 - p) + 2.5 * (1 - p)) / 15, (-2 * p - p + (1 - p)) / 15]
    by_formula = sum(2 / 1 * sum((z - sum(zs) / 2) ** 2 for z in zs) for zs in (z_a, z_b))
    assert se == pytest.approx(math.sqrt(by_formula), abs=1e-15)
    overall = estimates[("child_labour", "all")]
    assert overall["estimate"] == pytest.approx(p, abs=1e-12)
    assert overall["se"] == pytest.approx(se, abs=1e-12)
    assert overall["ci_low"] == pytest.approx(p - T_975_DF2 * se, abs=1e-12)
    assert overall["ci_high"] == pytest.approx(p + T_975_DF2 * se, abs=1e-12)
    assert overall["deff"] == pytest.approx(deff, abs=1e-12)
    assert overall["n_unweighted"] == 9
    assert df == 2

    # Domain sex=F: the same formula with the boys' values set to 0 (domain estimation).
    girls = [t[3] == "F" for t in TINY]
    p_f, se_f, deff_f, df_f = _taylor_by_hand(rows, TINY_CHILD_LABOUR, girls)
    assert p_f == pytest.approx((2 + 1.5 + 1) / (2 + 3 + 1.5 + 2 + 1), abs=1e-15)
    female = estimates[("child_labour", "sex=F")]
    assert female["estimate"] == pytest.approx(p_f, abs=1e-12)
    assert female["se"] == pytest.approx(se_f, abs=1e-12)
    assert female["deff"] == pytest.approx(deff_f, abs=1e-12)
    assert female["n_unweighted"] == 5
    assert df_f == 2

    # Economic activity only: the 9, 13 (20 h) and 16 (50 h) year-olds.
    economic = [1, 0, 0, 1, 0, 1, 0, 0, 0]
    p_e, se_e, _, _ = _taylor_by_hand(rows, economic, [True] * 9)
    row = estimates[("child_labour_economic", "all")]
    assert row["estimate"] == pytest.approx(p_e, abs=1e-12)
    assert row["se"] == pytest.approx(se_e, abs=1e-12)


def _direct(data: pl.DataFrame, by: str | None) -> pl.DataFrame:
    sample = svy.Sample(data, svy.Design(stratum="stratum", psu="HH1", wgt="w", singleton="center"))
    result = sample.estimation.mean("cl", by=by, deff="wr")
    assert not isinstance(result, list)
    return result.to_polars()


def test_pipeline_equals_a_direct_svy_computation(tmp_path: Path) -> None:
    raw = generate(4000, seed=11)
    path = tmp_path / "mics.csv"
    raw.write_csv(path)
    result = run(Request(path, mapping="mics6"))

    # Child labour restated from the MICS6 variables, independently of the engine.
    def hours(*names: str) -> pl.Expr:
        parts = [
            pl.col(n).cast(pl.Float64, strict=False).replace([98.0, 99.0], None).fill_null(0)
            for n in names
        ]
        return pl.sum_horizontal(parts)

    age = pl.col("CB3").cast(pl.Int64)
    economic = hours("CL3")
    chores = hours("CL8", "CL10", "CL13")
    threshold = pl.when(age <= 11).then(1).when(age <= 14).then(14).otherwise(43)
    chores_threshold = pl.when(age <= 14).then(21.0).otherwise(math.inf)
    data = raw.with_columns(
        w=pl.col("fsweight").cast(pl.Float64),
        cl=((economic >= threshold) | (chores >= chores_threshold)).cast(pl.Float64),
        region=pl.col("HH7"),
    )
    for by in (None, "region"):
        direct = _direct(data, by)
        domain = pl.lit("all") if by is None else pl.concat_str([pl.lit(f"{by}="), pl.col(by)])
        mine = result.estimates.filter(pl.col("indicator") == "child_labour")
        joined = direct.with_columns(domain=domain).join(mine, on="domain")
        assert joined.height == (1 if by is None else 12)
        for theirs, ours in (
            ("est", "estimate"),
            ("se", "se"),
            ("lci", "ci_low"),
            ("uci", "ci_high"),
            ("deff", "deff"),
        ):
            difference = (joined.get_column(theirs) - joined.get_column(ours)).abs().max()
            assert isinstance(difference, float)
            assert difference < 1e-9, theirs
        assert (joined.get_column("n") == joined.get_column("n_unweighted")).all()


def _design_frame(strata: list[str], psus: list[str], y: list[float]) -> pl.DataFrame:
    count = len(y)
    return pl.DataFrame(
        {
            "s": strata,
            "c": psus,
            WEIGHT: [1.0 + (i % 3) for i in range(count)],
            IN_SCOPE: [True] * count,
            **{name: y for name in INDICATORS},
            "sex": ["F", "M"] * (count // 2) + ["F"] * (count % 2),
        }
    )


def test_a_stratum_with_a_single_psu_follows_the_rule() -> None:
    # Stratum C has one PSU: svy refuses without a rule; each rule gives an estimate.
    data = _design_frame(
        ["A"] * 4 + ["B"] * 4 + ["C"] * 2,
        ["1", "1", "2", "2", "3", "3", "4", "4", "5", "5"],
        [1.0, 0.0, 0.0, 1.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.0],
    )
    ses = {}
    for rule in ("center", "scale", "skip"):
        found = estimate(data, Design("s", "c", "w", rule), INDICATORS, ["sex"])
        overall = found.filter(pl.col("domain") == "all").row(0, named=True)
        assert math.isfinite(overall["se"])
        ses[rule] = overall["se"]
        direct = (
            svy.Sample(data, svy.Design(stratum="s", psu="c", wgt=WEIGHT, singleton=rule))
            .estimation.mean("child_labour", deff="wr")
            .to_polars()  # type: ignore[union-attr]
        )
        assert overall["se"] == pytest.approx(direct["se"][0], abs=1e-12)
    assert len(set(ses.values())) == 3  # the rules differ
    with pytest.raises(svy.SvyError):
        svy.Sample(data, svy.Design(stratum="s", psu="c", wgt=WEIGHT)).estimation.mean(
            "child_labour"
        )


def test_single_psu_stratum_through_the_command_line_pipeline(tmp_path: Path) -> None:
    path = _tiny_csv(tmp_path)
    frame = pl.read_csv(path, infer_schema=False)
    extra = frame.head(1).with_columns(stratum=pl.lit("C"), psu=pl.lit("9"))
    pl.concat([frame, extra]).write_csv(path)
    result = run(Request(path, stratum="stratum", psu="psu", weight="weight"))
    overall = result.estimates.filter(pl.col("domain") == "all").row(0, named=True)
    assert math.isfinite(overall["se"])


def test_empty_domains_are_reported_without_an_estimate(tmp_path: Path) -> None:
    # No child aged 5-11, and every child of region 03 is 18: out of scope.
    frame = pl.DataFrame(
        {
            "stratum": ["A"] * 4 + ["B"] * 4,
            "psu": ["1", "1", "2", "2", "3", "3", "4", "4"],
            "weight": ["1"] * 8,
            "age": ["13", "14", "15", "16", "18", "18", "12", "17"],
            "economic_hours_week": ["20", "0", "50", "0", "60", "0", "0", "0"],
            "region": ["01", "01", "01", "01", "03", "03", "02", "02"],
        }
    )
    path = tmp_path / "empty.csv"
    frame.write_csv(path)
    result = run(Request(path, stratum="stratum", psu="psu", weight="weight", by=["region"]))
    rows = {
        r["domain"]: r
        for r in result.estimates.filter(pl.col("indicator") == "child_labour").iter_rows(
            named=True
        )
    }
    assert rows["age_group=05-11"]["n_unweighted"] == 0
    assert rows["age_group=05-11"]["estimate"] is None
    assert rows["region=03"]["n_unweighted"] == 0
    assert rows["region=03"]["estimate"] is None
    assert rows["region=01"]["n_unweighted"] == 4
    assert rows["region=01"]["estimate"] == pytest.approx(0.5)
    assert rows["all"]["n_unweighted"] == 6
    assert result.classified.out_of_scope == 2
    order = [d for d in rows if d.startswith("age_group")]
    assert order == ["age_group=05-11", "age_group=12-14", "age_group=15-17"]


def test_out_of_scope_children_stay_in_the_design(tmp_path: Path) -> None:
    # Same answer as a direct svy computation on the domain of ages 5-17 (where=),
    # not on the filtered rows.
    rng = np.random.default_rng(2)
    count = 400
    frame = pl.DataFrame(
        {
            "stratum": rng.integers(0, 4, count).astype(str),
            "psu": rng.integers(0, 6, count).astype(str),
            "weight": rng.uniform(0.5, 2, count).round(3).astype(str),
            "age": rng.integers(3, 20, count).astype(str),
            "economic_hours_week": rng.integers(0, 50, count).astype(str),
        }
    ).with_columns(psu=pl.col("stratum") + "-" + pl.col("psu"))
    path = tmp_path / "ages.csv"
    frame.write_csv(path)
    result = run(Request(path, stratum="stratum", psu="psu", weight="weight"))
    age = frame.get_column("age").cast(pl.Int64)
    hours = frame.get_column("economic_hours_week").cast(pl.Float64)
    threshold = pl.select(
        pl.when(age <= 11).then(1).when(age <= 14).then(14).otherwise(43)
    ).to_series()
    data = frame.with_columns(
        w=pl.col("weight").cast(pl.Float64),
        cl=(hours >= threshold).cast(pl.Float64),
        scope=(age >= 5) & (age <= 17),
    )
    direct = (
        svy.Sample(data, svy.Design(stratum="stratum", psu="psu", wgt="w", singleton="center"))
        .estimation.mean("cl", where=svy.col("scope"), deff="wr")
        .to_polars()  # type: ignore[union-attr]
    )
    overall = result.estimates.filter(
        (pl.col("indicator") == "child_labour") & (pl.col("domain") == "all")
    ).row(0, named=True)
    assert overall["estimate"] == pytest.approx(direct["est"][0], abs=1e-9)
    assert overall["se"] == pytest.approx(direct["se"][0], abs=1e-9)
    assert overall["n_unweighted"] == direct["n"][0]
