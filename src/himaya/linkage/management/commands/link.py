"""``himaya link``: one child, one record, for a CSV of records from several sources.

    himaya link INPUT.csv [--output CLUSTERS.csv] [--pairs PAIRS.csv] [--threshold P]

Writes ``record_id,cluster_id`` for every good record (a record alone is its own
cluster); ``--pairs`` writes the scored pairs with their match probability, the
comparisons that agreed and the weight of each. Exit status: 0 when every row was
linked, 1 when any row was rejected (each reported on standard error as
``row N: FIELD: REASON`` and skipped), 2 when the file is refused as a whole.
"""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from himaya.linkage.inputs import FileRefused, prepare, read_records
from himaya.linkage.model import DEFAULT_THRESHOLD, link


def _probability(text: str) -> float:
    value = float(text)
    if not 0.0 < value < 1.0:
        raise ValueError(text)
    return value


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

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            records = read_records(opts["input"])
        except FileRefused as error:
            raise CommandError(str(error), returncode=2) from error
        result = link(prepare(records.frame), opts["threshold"])
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
