"""``himaya link``: one child, one record, for a CSV of records from several sources.

    himaya link INPUT.csv [--output CLUSTERS.csv] [--pairs PAIRS.csv] [--threshold P]
                [--engine {duckdb,spark}] [--spark-master URL]

Writes ``record_id,cluster_id`` for every good record (a record alone is its own
cluster); ``--pairs`` writes the scored pairs with their match probability, the
comparisons that agreed and the weight of each. Exit status: 0 when every row was
linked, 1 when any row was rejected (each reported on standard error as
``row N: FIELD: REASON`` and skipped), 2 when the file is refused as a whole.

``--engine spark`` runs the same model on Splink's Spark backend
(:mod:`himaya.linkage.spark`; needs pyspark and Java 17): on ``--spark-master`` (for
example ``spark://host:7077``), else the master ``spark-submit`` was given, else a local
Spark. See ``docs/linkage-at-scale.md``.
"""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

import polars as pl
from django.core.management.base import BaseCommand, CommandError

from himaya.linkage.inputs import FileRefused, prepare, read_records
from himaya.linkage.model import DEFAULT_THRESHOLD, Linkage, link


def _probability(text: str) -> float:
    value = float(text)
    if not 0.0 < value < 1.0:
        raise ValueError(text)
    return value


ENGINES = ("duckdb", "spark")


def _link(frame: pl.DataFrame, threshold: float, engine: str, master: str | None) -> Linkage:
    if engine == "duckdb":
        return link(prepare(frame), threshold)
    try:
        from himaya.linkage import spark  # noqa: PLC0415

        session = spark.spark_session(master)
    except ImportError as error:
        raise CommandError(f"--engine spark needs pyspark and Java 17: {error}") from error
    return spark.link(prepare(frame), threshold, spark=session)


class Command(BaseCommand):
    help = "Link the records of one child across sources (Splink on DuckDB)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("input", metavar="INPUT.csv", type=Path)
        parser.add_argument("--output", type=Path, help="clusters CSV (default: standard output)")
        parser.add_argument("--pairs", type=Path, help="scored pairs CSV, with their explanation")
        parser.add_argument(
            "--threshold",
            type=_probability,
            default=DEFAULT_THRESHOLD,
            help=f"match probability to join two records (default: {DEFAULT_THRESHOLD})",
        )
        parser.add_argument(
            "--engine",
            choices=ENGINES,
            default="duckdb",
            help="where Splink runs: DuckDB in this process (default) or Spark",
        )
        parser.add_argument(
            "--spark-master",
            metavar="URL",
            help="with --engine spark: the Spark master (default: spark-submit's, else local)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            records = read_records(opts["input"])
        except FileRefused as error:
            raise CommandError(str(error), returncode=2) from error
        result = _link(records.frame, opts["threshold"], opts["engine"], opts["spark_master"])
        if opts["output"] is None:
            sys.stdout.write(result.clusters.write_csv())
            sys.stdout.flush()
        else:
            result.clusters.write_csv(opts["output"])
        if opts["pairs"] is not None:
            result.pairs.write_csv(opts["pairs"])
        for row_error in records.errors:
            sys.stderr.write(f"{row_error}\n")
        if records.errors:
            sys.exit(1)
