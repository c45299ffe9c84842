"""The linkage model on Spark (local mode): the same levels, clusters and pairs as on DuckDB.

One local Spark session for the module (about 10 s to start, Java 17), one Spark run of
the model on the synthetic set (about 1.5 to 2 minutes on two shared cores: training
reads 5,000 records, the padded population of ``model.link``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import duckdb
import polars as pl
import pytest
from pyspark.sql import SparkSession

from himaya.linkage import spark as on_spark
from himaya.linkage.evaluation import pairwise_scores
from himaya.linkage.inputs import clean, prepare
from himaya.linkage.model import COMPARISONS, Linkage, link, score_new, settings
from himaya.linkage.synthetic import generate


@pytest.fixture(scope="module")
def session() -> Iterator[SparkSession]:
    spark = on_spark.spark_session("local[2]", shuffle_partitions=4)
    yield spark
    spark.stop()


@pytest.fixture(scope="module")
def labelled() -> pl.DataFrame:
    return generate(2000, seed=0).records


@pytest.fixture(scope="module")
def prepared(labelled: pl.DataFrame) -> pl.DataFrame:
    return prepare(clean(labelled.drop("cluster")).frame)


@pytest.fixture(scope="module")
def both(prepared: pl.DataFrame, session: SparkSession) -> tuple[Linkage, Linkage]:
    return link(prepared), on_spark.link(prepared, spark=session)


def _f1(labelled: pl.DataFrame, result: Linkage) -> float:
    joined = labelled.join(result.clusters, on="record_id", how="left")
    return pairwise_scores(joined["cluster"], joined["cluster_id"]).f1


def test_levels_are_the_model_s_own_translated() -> None:
    model_levels = settings().create_settings_dict("duckdb")["comparisons"]
    spark_levels = on_spark.spark_settings()["comparisons"]
    assert [c["output_column_name"] for c in spark_levels] == list(COMPARISONS)
    assert [len(c["comparison_levels"]) for c in spark_levels] == [
        len(c["comparison_levels"]) for c in model_levels
    ]
    sql = " ".join(
        level["sql_condition"] for c in spark_levels for level in c["comparison_levels"]
    ).lower()
    for duckdb_only in ("list_has_any", "jaro_winkler_similarity", "list_transform", "lambda"):
        assert duckdb_only not in sql
    assert "arrays_overlap" in sql
    assert "jaro_winkler(" in sql
    # Everything learnt is kept: fixed m probabilities, term-frequency columns.
    for spark_comparison, model_comparison in zip(spark_levels, model_levels, strict=True):
        for spark_level, model_level in zip(
            spark_comparison["comparison_levels"],
            model_comparison["comparison_levels"],
            strict=True,
        ):
            assert {k: v for k, v in spark_level.items() if k != "sql_condition"} == {
                k: v for k, v in model_level.items() if k != "sql_condition"
            }


def test_every_level_agrees_with_duckdb_on_every_pair(
    prepared: pl.DataFrame, session: SparkSession
) -> None:
    # Pairs of the first 300 records, every level of every comparison, on both engines.
    records = prepared.head(300)
    pairs = (
        records.join(records, how="cross", suffix="_r")
        .rename({c: f"{c}_l" for c in records.columns})
        .filter(pl.col("record_id_l") < pl.col("record_id_r"))
    )
    model_levels = settings().create_settings_dict("duckdb")["comparisons"]
    spark_levels = on_spark.spark_settings()["comparisons"]

    def conditions(comparisons: list[dict[str, Any]]) -> list[str]:
        return [
            level["sql_condition"]
            for comparison in comparisons
            for level in comparison["comparison_levels"]
            if level["sql_condition"] != "ELSE"
        ]

    def select(conditions: list[str]) -> str:
        tests = ", ".join(f"coalesce(({c}), false) AS c{i}" for i, c in enumerate(conditions))
        return f"SELECT record_id_l, record_id_r, {tests} FROM himaya_pairs"  # noqa: S608

    connection = duckdb.connect()
    connection.register("himaya_pairs", pairs.to_arrow())
    on_duckdb = pl.from_arrow(connection.sql(select(conditions(model_levels))).arrow())
    # The Java UDFs (jaro_winkler) are registered by Splink's SparkAPI.
    from splink import SparkAPI

    SparkAPI(spark_session=session)  # type: ignore[no-untyped-call]
    session.createDataFrame(pairs.to_arrow()).createOrReplaceTempView("himaya_pairs")
    on_spark_ = pl.from_arrow(session.sql(select(conditions(spark_levels))).toArrow())
    assert isinstance(on_duckdb, pl.DataFrame)
    assert isinstance(on_spark_, pl.DataFrame)
    keys = ["record_id_l", "record_id_r"]
    assert on_duckdb.height == on_spark_.height == pairs.height > 40_000
    both = on_duckdb.join(on_spark_, on=keys, suffix="_spark")
    assert both.height == pairs.height
    for i, condition in enumerate(conditions(model_levels)):
        differ = both.filter(pl.col(f"c{i}") != pl.col(f"c{i}_spark")).height
        if "jaro_winkler" in condition:
            # Splink's Java Jaro counts half transpositions (t = 3 / 2), DuckDB's floors
            # them (t = 1): a few pairs of names fall on either side of 0.85 or 0.9.
            assert differ <= 0.001 * pairs.height, (condition, differ)
        else:
            assert differ == 0, (condition, differ)


def test_spark_links_as_duckdb_does(labelled: pl.DataFrame, both: tuple[Linkage, Linkage]) -> None:
    on_duckdb, spark_run = both
    assert spark_run.clusters["record_id"].to_list() == on_duckdb.clusters["record_id"].to_list()
    assert abs(_f1(labelled, spark_run) - _f1(labelled, on_duckdb)) <= 0.01
    # The two clusterings are nearly the same (the u and m estimates differ a little: the
    # random samples of the two engines differ).
    joined = on_duckdb.clusters.join(spark_run.clusters, on="record_id", suffix="_spark")
    assert pairwise_scores(joined["cluster_id"], joined["cluster_id_spark"]).f1 >= 0.95


def test_pairs_are_explained_with_the_same_columns(both: tuple[Linkage, Linkage]) -> None:
    on_duckdb, spark_run = both
    assert spark_run.pairs.schema == on_duckdb.pairs.schema
    keys = ["record_id_l", "record_id_r"]
    common = on_duckdb.pairs.join(spark_run.pairs, on=keys, suffix="_spark")
    assert common.height >= 0.9 * on_duckdb.pairs.height
    same = common.select((pl.col("agreeing") == pl.col("agreeing_spark")).mean()).item()
    assert same >= 0.98
    probabilities = spark_run.pairs["match_probability"].to_list()
    assert probabilities == sorted(probabilities, reverse=True)


def test_the_trained_model_scores_new_records_on_duckdb(
    prepared: pl.DataFrame, both: tuple[Linkage, Linkage]
) -> None:
    _, spark_run = both
    assert spark_run.model is not None
    assert spark_run.model["sql_dialect"] == "duckdb"
    pairs = score_new(spark_run.model, prepared.slice(0, 20), prepared.slice(20, None))
    assert pairs.columns == spark_run.pairs.columns
    assert pairs.height > 0
