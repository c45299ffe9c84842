"""Benchmark of the linkage test set (issue 5, "One child, one record").

Generates the labelled synthetic set (``himaya.linkage.synthetic``) at 35,000 and
350,000 records, each size in a fresh process so that its peak memory is its own,
and prints the time and the peak resident memory of the generation. Then scores
two trivial linkers on each set with ``himaya.linkage.evaluation`` (pairwise and
B-cubed, from cluster-size counts, so the metrics run at full scale too):

- each record alone (recall 0: the floor any linker must beat);
- exact match on ``massar_code`` (records sharing a Massar code are one child,
  every other record alone): what the one child identifier alone gives;

and, to show the trap the issue names, exact match on the household's ``rsu_id``
(siblings and twins share it: precision falls). Pure numpy and Polars; no Django.

    .venv/bin/python bench/bench_linkage_data.py [--sizes 35000 350000] [--seed 0]
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import time
from typing import Any

import polars as pl

SIZES = (35_000, 350_000)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _alone(records: pl.DataFrame, column: str) -> pl.Series:
    """One cluster per value of ``column``; a record without one is alone."""
    return records.select(
        pl.when(pl.col(column).is_not_null())
        .then(pl.lit("v:") + pl.col(column))
        .otherwise(pl.lit("r:") + pl.col("record_id"))
    ).to_series()


def measure(size: int, seed: int) -> dict[str, Any]:
    """In a fresh process: generate one set, then score the trivial linkers on it."""
    from himaya.linkage.evaluation import evaluate
    from himaya.linkage.synthetic import generate

    generate(100, seed)  # the communes and name tables loaded once, outside the timing
    before = _peak_mb()
    start = time.perf_counter()
    data = generate(size, seed)
    elapsed = time.perf_counter() - start
    peak = _peak_mb()
    records, children = data.records, data.children
    households = children["household"].n_unique()
    twins = int(children["twin"].sum())

    scores = {}
    timings = {}
    truth = records["cluster"]
    for name, predicted in (
        ("each record alone", records["record_id"]),
        ("exact massar_code", _alone(records, "massar_code")),
        ("exact rsu_id (household trap)", _alone(records, "rsu_id")),
    ):
        start = time.perf_counter()
        scores[name] = evaluate(truth, predicted).line()
        timings[name] = time.perf_counter() - start
    sources = dict(records["source"].value_counts().iter_rows())
    return {
        "size": size,
        "seconds": elapsed,
        "peak_mb": peak,
        "imports_mb": before,
        "frame_mb": records.estimated_size() / 2**20,
        "children": children.height,
        "households": households,
        "twins": twins,
        "sources": sources,
        "scores": scores,
        "timings": timings,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    print(f"linkage test set (himaya.linkage.synthetic), seed {args.seed}")
    context = multiprocessing.get_context("spawn")
    for size in args.sizes:
        with context.Pool(1) as pool:
            result = pool.apply(measure, (size, args.seed))
        label = f"{size // 1000}k"
        sources = ", ".join(f"{k} {v:,}" for k, v in sorted(result["sources"].items()))
        print(
            f"generate_{label}: {result['seconds']:.2f} s for {size:,} records "
            f"({result['children']:,} children, {result['households']:,} households, "
            f"{result['twins']:,} twins; {sources})"
        )
        print(
            f"generate_{label}_peak_memory: {result['peak_mb']:.0f} MB resident "
            f"({result['peak_mb'] - result['imports_mb']:.0f} MB above the interpreter "
            f"with numpy, Polars and the tables loaded; the records frame "
            f"{result['frame_mb']:.0f} MB)"
        )
        for name, line in result["scores"].items():
            print(f"baseline_{label}, {name}: {line}")
            print(f"metrics_{label}, {name}: {result['timings'][name]:.2f} s")


if __name__ == "__main__":
    main()
