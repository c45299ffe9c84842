"""Benchmark of the record-linkage model (``himaya.linkage.model``, issue 5).

Links the synthetic test set (``himaya.linkage.synthetic``) end to end, as ``himaya
link`` does (checks, name keys, Splink training, prediction, clustering), in a fresh
process per run, and prints pairwise and B-cubed precision, recall and F1, the time
and the peak resident memory. ``--historical`` also links Splink's public test set of
historical figures (``../shared/data/linkage``) with a configuration close to
Splink's own example, as a yardstick of the engine (about 0.82 pairwise F1 there).

    .venv/bin/python bench/bench_linkage.py [--records 35000 ...] [--seed 0] [--historical]
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import resource
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: Beside the repository (``../shared/data/linkage``), as in the developers' workspace.
HISTORICAL = (
    Path(__file__).resolve().parents[2]
    / "shared/data/linkage/historical_figures_with_errors_50k.parquet"
)


def _print(name: str, result: object, seconds: float) -> None:
    from himaya.linkage.evaluation import Evaluation

    assert isinstance(result, Evaluation)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    p, b = result.pairwise, result.bcubed
    print(f"{name}_pairwise: P {p.precision:.3f} R {p.recall:.3f} F1 {p.f1:.3f}")
    print(f"{name}_bcubed: P {b.precision:.3f} R {b.recall:.3f} F1 {b.f1:.3f}")
    print(f"{name}_time: {seconds:.1f} s")
    print(f"{name}_peak_memory: {peak:.0f} MiB")


def _synthetic(records: int, seed: int, threshold: float) -> None:
    import polars as pl

    from himaya.linkage.evaluation import evaluate
    from himaya.linkage.inputs import clean, prepare
    from himaya.linkage.model import link
    from himaya.linkage.synthetic import generate

    data = generate(records, seed=seed).records
    start = time.perf_counter()
    checked = clean(data.drop("cluster"))
    result = link(prepare(checked.frame), threshold)
    seconds = time.perf_counter() - start
    joined = data.join(result.clusters, on="record_id", how="left").with_columns(
        pl.coalesce("cluster_id", "record_id")
    )
    truth = joined["cluster"].to_numpy()
    _print(f"link_{records}", evaluate(truth, joined["cluster_id"].to_numpy()), seconds)
    print(f"link_{records}_rejected_rows: {checked.rejected_rows} rows")


def _historical(threshold: float) -> None:
    import duckdb
    import polars as pl
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    from himaya.linkage.evaluation import evaluate

    frame = pl.read_parquet(HISTORICAL)
    start = time.perf_counter()
    connection = duckdb.connect()
    connection.register("historical", frame.to_arrow())
    db_api = DuckDBAPI(connection)
    settings = SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[
            block_on("first_name", "surname"),
            block_on("surname", "dob"),
        ],
        comparisons=[
            cl.ForenameSurnameComparison("first_name", "surname"),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.LevenshteinAtThresholds("postcode_fake", 2),
            cl.JaroWinklerAtThresholds("birth_place", 0.9).configure(
                term_frequency_adjustments=True
            ),
            cl.ExactMatch("occupation").configure(term_frequency_adjustments=True),
        ],
    )
    linker = Linker(db_api.register("historical"), settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "surname", "dob")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first_name", "surname")
    )
    predictions = linker.inference.predict(threshold_match_probability=0.01)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, threshold)
    found = pl.from_arrow(
        connection.sql(f"SELECT unique_id, cluster_id FROM {clusters.physical_name}").arrow()  # noqa: S608
    )
    assert isinstance(found, pl.DataFrame)
    seconds = time.perf_counter() - start
    joined = frame.join(found, on="unique_id", how="left").with_columns(
        pl.coalesce(pl.col("cluster_id").cast(pl.String), pl.col("unique_id").cast(pl.String))
    )
    truth = joined["cluster"].to_numpy()
    _print("historical_50k", evaluate(truth, joined["cluster_id"].to_numpy()), seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, nargs="+", default=[35_000])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--historical", action="store_true")
    args = parser.parse_args()
    from himaya.linkage.model import DEFAULT_THRESHOLD

    threshold = args.threshold or DEFAULT_THRESHOLD
    context = multiprocessing.get_context("spawn")
    jobs: list[tuple[Callable[..., None], tuple[Any, ...]]] = [
        (_synthetic, (n, args.seed, threshold)) for n in args.records
    ]
    if args.historical and HISTORICAL.exists():
        jobs.append((_historical, (threshold,)))
    for target, job_args in jobs:
        process = context.Process(target=target, args=job_args)
        process.start()
        process.join()
        if process.exitcode != 0:
            raise SystemExit(f"{target.__name__} failed")


if __name__ == "__main__":
    main()
