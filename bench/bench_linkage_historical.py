"""Benchmark of Splink itself on a public set: Splink's own example, as a yardstick.

Runs, unchanged, the configuration of Splink's example notebook "Linking a dataset of
real historical persons" (``docs/demos/examples/duckdb/deduplicate_50k_synthetic`` in
the Splink repository, Splink 4/5): its ten blocking rules, its five comparisons (a
forename–surname comparison with term frequencies on the concatenated name, date of
birth, postcode, exact birthplace and occupation with term frequencies), its training
(the prior from three deterministic rules at a recall of 0.6, u by random sampling of
10 million pairs, m by expectation maximisation blocked on first name and surname, then
on date of birth, both without term frequencies), prediction with no threshold and
clustering (connected components) at a match probability of 0.95. The example itself
prints no F1: this script scores its clusters against the ``cluster`` column with
``himaya.linkage.evaluation`` (clustered pairwise and B-cubed precision, recall, F1),
and prints the time (data loaded to clusters) and the peak resident memory.

The data is Splink's ``historical_50k`` (``splink_datasets``), kept beside the
repository (``../shared/data/linkage``, or ``$HIMAYA_LINKAGE_DATA``) because Splink's
loader downloads it. Without the file the script says so and measures nothing.

    .venv/bin/python bench/bench_linkage_historical.py [--seed N] [--threshold 0.95]
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

#: Beside the repository (``../shared/data/linkage``), as in the developers' workspace.
DATA = Path(
    os.environ.get(
        "HIMAYA_LINKAGE_DATA", Path(__file__).resolve().parents[2] / "shared/data/linkage"
    )
)
HISTORICAL = DATA / "historical_figures_with_errors_50k.parquet"

#: The example's clustering threshold (``cluster_pairwise_predictions_at_threshold``).
EXAMPLE_THRESHOLD = 0.95


def run(threshold: float, seed: int | None) -> None:
    import polars as pl
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on
    from splink.internals.blocking_rule_creator import BlockingRuleCreator

    from himaya.linkage.evaluation import evaluate

    start = time.perf_counter()
    db_api = DuckDBAPI()
    connection = db_api.duckdb_con
    # The example reads splink_datasets.historical_50k (a pandas frame); the same rows.
    frame = pl.read_parquet(HISTORICAL)

    blocking_rules: list[BlockingRuleCreator | dict[str, Any]] = [
        block_on("substr(first_name,1,3)", "substr(surname,1,4)"),
        block_on("surname", "dob"),
        block_on("first_name", "dob"),
        block_on("postcode_fake", "first_name"),
        block_on("postcode_fake", "surname"),
        block_on("dob", "birth_place"),
        block_on("substr(postcode_fake,1,3)", "dob"),
        block_on("substr(postcode_fake,1,3)", "first_name"),
        block_on("substr(postcode_fake,1,3)", "surname"),
        block_on("substr(first_name,1,2)", "substr(surname,1,2)", "substr(dob,1,4)"),
    ]
    settings = SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=blocking_rules,
        comparisons=[
            cl.ForenameSurnameComparison(
                "first_name",
                "surname",
                forename_surname_concat_col_name="first_name_surname_concat",
            ),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.PostcodeComparison("postcode_fake"),
            cl.ExactMatch("birth_place").configure(term_frequency_adjustments=True),
            cl.ExactMatch("occupation").configure(term_frequency_adjustments=True),
        ],
        retain_intermediate_calculation_columns=True,
    )
    # Needed to apply term frequencies to first+surname comparison (as the example).
    records = connection.from_arrow(frame.to_arrow()).project(
        "*, first_name || ' ' || surname as first_name_surname_concat"
    )
    linker = Linker(db_api.register(records), settings, log_level=logging.ERROR)

    linker.training.estimate_probability_two_random_records_match(
        [
            block_on("first_name", "surname", "dob"),
            block_on("substr(first_name,1,2)", "surname", "substr(postcode_fake,1,2)"),
            block_on("dob", "postcode_fake"),
        ],
        recall=0.6,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=seed)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first_name", "surname"), estimate_without_term_frequencies=True
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("dob"), estimate_without_term_frequencies=True
    )
    predictions = linker.inference.predict()
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=threshold
    )
    found = pl.from_arrow(
        connection.sql(
            f"SELECT unique_id, cluster_id FROM {clusters.physical_name}"  # noqa: S608
        ).arrow()
    )
    assert isinstance(found, pl.DataFrame)
    seconds = time.perf_counter() - start
    pairs = connection.sql(f"SELECT count(*) FROM {predictions.physical_name}").fetchall()  # noqa: S608
    joined = frame.join(found, on="unique_id", how="left").with_columns(
        pl.coalesce(pl.col("cluster_id").cast(pl.String), pl.col("unique_id"))
    )
    result = evaluate(joined["cluster"].to_numpy(), joined["cluster_id"].to_numpy())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    p, b = result.pairwise, result.bcubed
    name = "historical_50k_splink_example"
    print(f"{name}_records: {result.records} records, {result.true_clusters} people")
    print(f"{name}_scored_pairs: {pairs[0][0]} pairs")
    print(f"{name}_pairwise: P {p.precision:.3f} R {p.recall:.3f} F1 {p.f1:.3f}")
    print(f"{name}_bcubed: P {b.precision:.3f} R {b.recall:.3f} F1 {b.f1:.3f}")
    print(f"{name}_clusters: {result.predicted_clusters} clusters at {threshold}")
    print(f"{name}_time: {seconds:.1f} s")
    print(f"{name}_peak_memory: {peak:.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--threshold", type=float, default=EXAMPLE_THRESHOLD)
    parser.add_argument(
        "--seed", type=int, default=None, help="u sampling seed (the example sets none)"
    )
    args = parser.parse_args()
    if not HISTORICAL.exists():
        print(f"historical_50k_splink_example: not measured, no file {HISTORICAL}")
        sys.exit(0)
    run(args.threshold, args.seed)


if __name__ == "__main__":
    main()
