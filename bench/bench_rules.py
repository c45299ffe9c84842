"""Benchmark of the classification engine (issue: legal classification engine).

Prints: 1,000,000 synthetic observations through the batch path (one core),
through the command line from CSV to CSV, and one observation at a time through
the single path. Targets: ≤ 5 s, ≤ 15 s and ≤ 1 ms.

    .venv/bin/python bench/bench_rules.py [--rows N]
"""

from __future__ import annotations

import os

os.environ.setdefault("POLARS_MAX_THREADS", "1")  # one core, before Polars is imported

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

from himaya_rules import HAZARDS, SECTORS, WORST_FORMS, classify_frame, classify_one


def synthetic(rows: int, seed: int = 7) -> pl.DataFrame:
    """Observations shaped like field data: ages 5–19, mostly boys aged 15–17,
    agriculture first, some hazards, some unknown values."""
    rng = np.random.default_rng(seed)
    observed = np.datetime64("2016-01-01") + rng.integers(0, 3650, rows).astype("timedelta64[D]")
    age = rng.choice(
        np.arange(5, 20), rows, p=np.r_[[0.01] * 7, [0.05] * 3, [0.22, 0.25, 0.25], [0.03] * 2]
    )
    birth = observed - (age * 365.25 + rng.integers(0, 365, rows)).astype("timedelta64[D]")
    with_birth = rng.random(rows) < 0.6

    def text(values: np.ndarray, present: np.ndarray) -> pl.Series:
        return pl.Series(values.astype(str)).set(pl.Series(~present), None)

    def maybe(p: float) -> np.ndarray:
        return rng.random(rows) < p

    hazard_names = np.array(["", *HAZARDS, "heights;heavy_loads"])
    return pl.DataFrame(
        {
            "id": pl.Series(np.arange(rows).astype(str)),
            "observed_on": pl.Series(observed.astype(str)),
            "birth_date": text(birth.astype(str), with_birth),
            "age": text(age, ~with_birth & maybe(0.95)),
            "sex": pl.Series(np.where(maybe(0.86), "M", "F")),
            "economic_hours_week": text(np.round(rng.gamma(2.0, 12.0, rows), 1), maybe(0.9)),
            "chores_hours_week": text(np.round(rng.gamma(1.5, 6.0, rows), 1), maybe(0.7)),
            "sector": text(rng.choice(np.array(SECTORS), rows), maybe(0.8)),
            "domestic_worker": text(np.where(maybe(0.05), "true", "false"), maybe(0.5)),
            "usual_start": text(
                np.char.add(rng.integers(4, 23, rows).astype(str).astype("U2"), ":00"), maybe(0.4)
            ),
            "usual_end": text(
                np.char.add(rng.integers(0, 23, rows).astype(str).astype("U2"), ":30"), maybe(0.4)
            ),
            "night_work": text(np.where(maybe(0.05), "yes", "no"), maybe(0.3)),
            "hazards": text(rng.choice(hazard_names, rows), maybe(0.3)),
            "worst_forms": text(rng.choice(np.array(WORST_FORMS), rows), maybe(0.002)),
            "guardian_authorisation": text(np.where(maybe(0.5), "1", "0"), maybe(0.1)),
            "apprenticeship": text(np.where(maybe(0.1), "true", "false"), maybe(0.2)),
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--single", type=int, default=5_000)
    args = parser.parse_args()

    frame = synthetic(args.rows)
    classify_frame(frame.head(1000), "ma-labour-code")  # load the rules once

    print(f"classification engine — {args.rows:,} synthetic observations, POLARS_MAX_THREADS=1")
    for ruleset in ("ma-labour-code", "ilo-c138-c182", "sdg-8.7.1"):
        start = time.perf_counter()
        result = classify_frame(frame, ruleset)
        elapsed = time.perf_counter() - start
        counts = result.verdict_names().value_counts(sort=True)
        summary = ", ".join(f"{v} {n:,}" for v, n in counts.iter_rows())
        print(
            f"  batch path, {ruleset}: {elapsed:.2f} s (target ≤ 5 s); "
            f"{len(result.errors):,} errors; {summary}"
        )

    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "in.csv", Path(folder) / "out.csv"
        frame.write_csv(source)
        himaya = Path(sys.executable).with_name("himaya")
        command = [
            str(himaya),
            "classify",
            "--ruleset",
            "ma-labour-code",
            str(source),
            "--output",
            str(target),
        ]
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        elapsed = time.perf_counter() - start
        lines = sum(1 for _ in target.open()) - 1 if target.exists() else 0
        print(
            f"  command line, CSV to CSV: {elapsed:.2f} s (target ≤ 15 s); "
            f"exit {done.returncode}, {lines:,} rows written"
        )

    rows = frame.head(args.single).to_dicts()
    classify_one(rows[0])
    timings = []
    for row in rows:
        start = time.perf_counter()
        classify_one(row)
        timings.append(time.perf_counter() - start)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95)]
    print(
        f"  single path, {len(rows):,} observations: mean {statistics.mean(timings) * 1e3:.3f} ms, "
        f"p95 {p95 * 1e3:.3f} ms (target ≤ 1 ms)"
    )


if __name__ == "__main__":
    main()
