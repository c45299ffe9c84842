"""Benchmark of the survey estimates (issue: national statistics, SDG 8.7.1 and MICS tables).

1,000,000 synthetic children in MICS6 variable names (a stratified two-stage
design: 24 strata, about 50,000 clusters of 17-23 households), written to a
CSV file by a separate process. Prints: the whole pipeline of
``himaya survey estimate`` (read, map, classify by the engine, estimate the
four indicators overall and by sex, age group, area and region), and ``svy``
alone for the same estimation in the same run; the peak memory of the process
(which never held the generator's data); the largest difference between the
pipeline's figures and the direct svy computation. Targets: pipeline ≤ 2 × svy
alone, ≤ 2 GB, difference ≤ 1e-9. One core (Polars and svy's Rust threads).

    .venv/bin/python bench/bench_survey.py [--rows N]
"""

from __future__ import annotations

import os

os.environ.setdefault("POLARS_MAX_THREADS", "1")  # one core, before Polars is imported
os.environ.setdefault("RAYON_NUM_THREADS", "1")

import argparse
import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path

import polars as pl
import svy

from himaya.survey.classify import INDICATORS
from himaya.survey.estimate import IN_SCOPE, WEIGHT
from himaya.survey.pipeline import PSU, STRATUM, Request, run


def _write(rows: int, path: str) -> None:
    from himaya.survey.synthetic import generate

    generate(rows, seed=0).write_csv(path)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fs.csv"
        child = multiprocessing.get_context("spawn").Process(
            target=_write, args=(args.rows, str(path))
        )
        child.start()
        child.join()
        if child.exitcode != 0:
            sys.exit("could not write the synthetic survey")
        size_mb = path.stat().st_size / 1e6
        warm = Path(folder) / "warm.csv"
        _write(2_000, str(warm))
        run(Request(warm, mapping="mics6"))  # load the rules and svy once
        before = _peak_mb()

        start = time.perf_counter()
        result = run(Request(path, mapping="mics6"))
        pipeline = time.perf_counter() - start
        peak = _peak_mb()

    data = result.data
    assert data is not None
    domains = result.domains
    start = time.perf_counter()
    sample = svy.Sample(data, svy.Design(stratum=STRATUM, psu=PSU, wgt=WEIGHT, singleton="center"))
    where = None if bool(data.get_column(IN_SCOPE).all()) else svy.col(IN_SCOPE)
    direct = []
    for by in (None, *domains):
        found = sample.estimation.mean(list(INDICATORS), by=by, where=where, deff="wr")
        direct.append((by, found if isinstance(found, list) else [found]))
    alone = time.perf_counter() - start

    largest = 0.0
    for by, results in direct:
        for indicator, estimate in zip(INDICATORS, results, strict=True):
            frame = estimate.to_polars()
            domain = pl.lit("all") if by is None else pl.concat_str([pl.lit(f"{by}="), pl.col(by)])
            ours = result.estimates.filter(pl.col("indicator") == indicator)
            joined = frame.with_columns(domain=domain).join(ours, on="domain")
            for theirs, mine in (("est", "estimate"), ("se", "se"), ("deff", "deff")):
                gap = (joined.get_column(theirs) - joined.get_column(mine)).abs().max()
                largest = max(largest, float(gap) if isinstance(gap, float) else 0.0)

    timings = result.timings
    analysed = int(result.classified.in_scope.sum())
    print(
        f"survey estimates — {result.rows:,} synthetic children (MICS6 names, CSV "
        f"{size_mb:.0f} MB), {analysed:,} aged 5-17; domains: {', '.join(domains)}; one core"
    )
    print(f"  read and check the design: {timings['read']:.2f} s")
    print(f"  map and classify (engine, sdg-8.7.1): {timings['classify']:.2f} s")
    print(
        f"  estimate (svy, 4 indicators x {1 + len(domains)} breakdowns): "
        f"{timings['estimate']:.2f} s"
    )
    print(f"  pipeline in all: {pipeline:.2f} s")
    print(f"  svy alone, the same estimation: {alone:.2f} s")
    print(f"  ratio pipeline / svy alone: {pipeline / alone:.2f} (target ≤ 2)")
    print(
        f"  peak memory of the process: {peak:.0f} MB "
        f"(before the pipeline {before:.0f} MB; target < 2048 MB)"
    )
    print(f"  largest difference from svy (estimate, se, deff): {largest:.1e} (target ≤ 1e-9)")
    overall = result.estimates.filter(pl.col("domain") == "all")
    for row in overall.iter_rows(named=True):
        print(
            f"  {row['indicator']}: {row['estimate'] * 100:.2f} % "
            f"(se {row['se'] * 100:.2f}, deff {row['deff']:.2f})"
        )
    if pipeline > 2 * alone or peak > 2048 or largest > 1e-9:
        print("  a target was missed")


if __name__ == "__main__":
    main()
