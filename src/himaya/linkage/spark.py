"""The linkage model on Splink's Spark backend, for national scale (no Django).

``link(frame, threshold, spark=...)`` does what :func:`himaya.linkage.model.link` does,
on a Spark session instead of DuckDB: the same comparisons (those of
:func:`himaya.linkage.model.settings`, never a second copy), the same blocking, the same
training (:func:`himaya.linkage.model.train`), the same pairs (``model._pairs``) and
the same average-linkage clusters (``model._clusters``). Only the records, the blocking,
the training and the scoring run on Spark; the scored pairs (probability 0.01 or more)
come back to the driver, where the clusters are built, as :func:`model.link` builds
them.

The model's custom levels are written in DuckDB's SQL. :func:`spark_sql` transpiles each
one with sqlglot, then renames the two functions sqlglot writes in a form Spark does not
run: ``list_has_any`` (sqlglot writes ``a && b``) becomes ``arrays_overlap``, and
``jaro_winkler_similarity`` becomes ``jaro_winkler``, the Java UDF shipped in Splink's
jar (:func:`splink.backends.spark.similarity_jar_location`), which a session must load
(:func:`spark_session` does). The lambdas of ``list_transform`` become Spark's
``transform(a, x -> ...)`` and ``list_max`` ``array_max``. DuckDB's ``levenshtein``
counts bytes and Spark's characters: both are given ASCII only (Buckwalter, Latin keys,
Massar codes). The two Jaro-Winkler implementations differ: on nulls and empty strings
(the UDF's 0 and 1, DuckDB's null and 0; :func:`_jaro_winkler` gives DuckDB's), and in
the Jaro similarity itself, which Splink's Java class computes with half transpositions
(``t = 3 / 2``) where DuckDB floors them (``t = 1``): up to 0.03 on the Jaro
similarity, and more on Jaro-Winkler where that moves it across the 0.7 of the
Winkler boost. On the synthetic set's names, 72 of 160,000 pairs of Latin keys fall on
the other side of the model's thresholds (0.85, 0.9); the levels of 17 pairs out of
44,850 differ (``tests/linkage/test_spark.py``).

The trained model comes back in DuckDB's dialect (each level's SQL as in
:func:`model.settings`, the parameters learnt on Spark), so that
:func:`model.score_new` scores new records with it.

See ``docs/linkage-at-scale.md`` for a cluster.
"""

from __future__ import annotations

import atexit
import copy
import logging
import shutil
import tempfile
from typing import TYPE_CHECKING, Any

import duckdb
import polars as pl
import sqlglot
from splink import Linker
from sqlglot import exp

from himaya.linkage import model
from himaya.linkage.model import DEFAULT_THRESHOLD, Linkage, _pairs, link_with, train

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


def _jaro_winkler(left: exp.Expression, right: exp.Expression) -> exp.Expression:
    """DuckDB's ``jaro_winkler_similarity(left, right)`` on Spark, with Splink's UDF.

    The UDF gives 0 where DuckDB gives null (a null string) and 1 where DuckDB gives 0
    (two empty strings): both cases are DuckDB's here.
    """

    def null(side: exp.Expression) -> exp.Expression:
        return exp.Is(this=side.copy(), expression=exp.Null())

    def empty(side: exp.Expression) -> exp.Expression:
        return exp.EQ(this=side.copy(), expression=exp.Literal.string(""))

    call = exp.Anonymous(this="jaro_winkler", expressions=[left.copy(), right.copy()])
    return (
        exp.Case()
        .when(exp.or_(null(left), null(right)), exp.Null())
        .when(exp.or_(empty(left), empty(right)), exp.Literal.number(0))
        .else_(call)
    )


def spark_sql(sql: str) -> str:
    """One condition of the model (a level, a blocking rule) from DuckDB's SQL to Spark's."""

    def rename(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.ArrayOverlaps):
            return exp.Anonymous(this="arrays_overlap", expressions=[node.this, node.expression])
        if isinstance(node, exp.JarowinklerSimilarity):
            return _jaro_winkler(node.this, node.expression)
        return node

    tree = sqlglot.parse_one(sql, read="duckdb").transform(rename)
    return tree.sql(dialect="spark")


def _is_else(level: dict[str, Any]) -> bool:
    return str(level["sql_condition"]).strip().upper() == "ELSE"


def spark_settings() -> dict[str, Any]:
    """:func:`model.settings` as Splink's settings for Spark: every condition transpiled."""
    settings = model.settings().create_settings_dict("duckdb")
    for comparison in settings["comparisons"]:
        for level in comparison["comparison_levels"]:
            if not _is_else(level):
                level["sql_condition"] = spark_sql(level["sql_condition"])
            if "sql_dialect" in level:
                level["sql_dialect"] = "spark"
    for rule in settings["blocking_rules_to_generate_predictions"]:
        rule["blocking_rule"] = spark_sql(rule["blocking_rule"])
        rule["sql_dialect"] = "spark"
    return settings


def _as_duckdb_model(trained: dict[str, Any]) -> dict[str, Any]:
    """A model trained on Spark, its conditions back in DuckDB's SQL (for ``score_new``)."""
    duckdb_settings = model.settings().create_settings_dict("duckdb")
    result = copy.deepcopy(trained)
    result["sql_dialect"] = "duckdb"
    for comparison, original in zip(
        result["comparisons"], duckdb_settings["comparisons"], strict=True
    ):
        for level, source in zip(
            comparison["comparison_levels"], original["comparison_levels"], strict=True
        ):
            level["sql_condition"] = source["sql_condition"]
            if "sql_dialect" in level:
                level["sql_dialect"] = "duckdb"
    result["blocking_rules_to_generate_predictions"] = copy.deepcopy(
        duckdb_settings["blocking_rules_to_generate_predictions"]
    )
    return result


def similarity_jar() -> str:
    """Splink's jar of string-similarity UDFs (``jaro_winkler``) for this Spark version."""
    from splink.backends.spark import similarity_jar_location  # noqa: PLC0415

    return str(similarity_jar_location())


def spark_session(
    master: str | None = None,
    *,
    driver_memory: str = "2g",
    shuffle_partitions: int = 8,
) -> SparkSession:
    """A Spark session with Splink's jar: ``master`` (``local[2]``, ``spark://host:7077``,
    ``yarn``...) or, when ``None``, the one ``spark-submit`` was given, else ``local[*]``.

    The session gets a checkpoint directory if it has none (a temporary one, removed
    at exit; on a cluster, set ``spark.checkpoint.dir`` to shared storage). A session
    already running (under ``spark-submit``) is returned as it is configured: it must
    load the jar (``--jars``) itself.
    """
    from pyspark import SparkConf  # noqa: PLC0415
    from pyspark.sql import SparkSession  # noqa: PLC0415

    session = SparkSession.getActiveSession()
    if session is None or master is not None:
        conf = SparkConf()
        builder = SparkSession.builder.appName("himaya-link")
        if master is not None or not conf.contains("spark.master"):
            builder = builder.master(master or "local[*]")
        jars = [j for j in conf.get("spark.jars", "").split(",") if j]
        session = (
            builder.config("spark.jars", ",".join([*jars, similarity_jar()]))
            .config("spark.driver.memory", driver_memory)
            .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
            .config("spark.ui.showConsoleProgress", "false")
            .getOrCreate()
        )
    session.sparkContext.setLogLevel("ERROR")
    if session.sparkContext.getCheckpointDir() is None:
        directory = tempfile.mkdtemp(prefix="himaya-spark-")
        atexit.register(shutil.rmtree, directory, ignore_errors=True)
        session.sparkContext.setCheckpointDir(directory)
    return session


def link(
    frame: pl.DataFrame,
    threshold: float = DEFAULT_THRESHOLD,
    *,
    seed: int = 1,
    spark: SparkSession | None = None,
    break_lineage_method: str = "parquet",
) -> Linkage:
    """Link prepared records on Spark, as :func:`himaya.linkage.model.link` does on DuckDB.

    ``spark``: the session (default :func:`spark_session`); ``break_lineage_method``:
    how Splink materialises its intermediate tables: ``parquet`` (the default) writes
    them to the session's checkpoint directory and reads them back. (``persist`` is
    not enough with Splink 5 on Spark 4: each EM iteration recomputed the blocked pairs
    and their comparisons, 8 s an iteration instead of 0.5 s on 5,000 records.)
    """
    from splink import SparkAPI  # noqa: PLC0415 (pyspark is needed here only)

    def on_spark(data: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, Any]]:
        session = spark if spark is not None else spark_session()
        db_api = SparkAPI(  # type: ignore[no-untyped-call]
            spark_session=session, break_lineage_method=break_lineage_method
        )
        records = db_api.register(session.createDataFrame(data.to_arrow()))
        linker = Linker(records, spark_settings(), log_level=logging.ERROR)
        train(linker, data.height, seed)
        predictions = linker.inference.predict(threshold_match_probability=0.01)
        pairs = _collect_pairs(predictions.as_spark_dataframe())
        trained = _as_duckdb_model(linker.misc.save_model_to_json())
        linker.table_management.delete_tables_created_by_splink_from_db()  # type: ignore[no-untyped-call]
        return pairs, trained

    return link_with(on_spark, frame, threshold, seed)


def _collect_pairs(predictions: Any) -> pl.DataFrame:
    """Spark's scored pairs as :func:`model.link` gives them (``model._pairs``, on DuckDB)."""
    connection = duckdb.connect()
    try:
        connection.register("himaya_predictions", predictions.toArrow())
        return _pairs(connection, "himaya_predictions")
    finally:
        connection.close()
