"""``himaya classify``: classify a CSV of observations against a ruleset.

    himaya classify --ruleset NAME [--option KEY=VALUE]... INPUT.csv [--output OUT.csv]

Exit status: 0 when every row was classified, 1 when any row was rejected
(each reported on standard error as ``row N: FIELD: REASON``), 2 when the file
or the options are refused as a whole.
"""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from himaya_rules import LANGUAGES, RULESETS, OptionError
from himaya_rules.csvio import FileRefused, classify_csv


def _option(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise CommandError(f"--option expects KEY=VALUE, not '{text}'", returncode=2)
    return key.strip(), value.strip()


class Command(BaseCommand):
    help = "Classify a CSV of observations of children's work against a ruleset."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("input", metavar="INPUT.csv", type=Path)
        parser.add_argument("--ruleset", required=True, choices=sorted(RULESETS))
        parser.add_argument(
            "--option",
            action="append",
            default=[],
            metavar="KEY=VALUE",
            help="a ruleset option, e.g. minimum_age=14 for ilo-c138-c182",
        )
        parser.add_argument("--output", type=Path, help="output CSV (default: standard output)")
        parser.add_argument(
            "--language",
            choices=LANGUAGES,
            default="fr",
            help="language of the messages (default: fr)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        options = dict(_option(text) for text in opts["option"])
        output = opts["output"] or sys.stdout
        try:
            report = classify_csv(opts["input"], output, opts["ruleset"], options, opts["language"])
        except (FileRefused, OptionError) as error:
            raise CommandError(str(error), returncode=2) from error
        if output is sys.stdout:
            sys.stdout.flush()
        for line in report.messages:
            sys.stderr.write(line + "\n")
        if report.rejected_rows:
            sys.exit(1)
