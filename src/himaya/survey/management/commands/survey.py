"""``himaya survey estimate``: SDG 8.7.1 and the MICS child-labour tables from survey microdata.

    himaya survey estimate INPUT [--mapping NAME|FILE] --stratum COL --psu COL --weight COL
                           [--by COL,...] --output DIR [--ruleset sdg-8.7.1|sdg-8.7.1-mics5]
                           [--singleton center|scale|skip] [--observed-on DATE]
                           [--ref-area CODE] [--region-prefix TEXT] [--year YEAR]
                           [--language fr|ar|en]

INPUT is CSV, SPSS ``.sav`` or Stata ``.dta``, one row per child. The design
columns may come from the mapping (``--mapping mics6`` names ``stratum``, ``HH1``
and ``fsweight``); the options take precedence. Writes ``DIR/estimates.csv``,
``DIR/tables.xlsx``, ``DIR/PR.3.x.png`` and ``.svg``, ``DIR/sdmx.csv``; the report,
the tables and the charts in ``--language`` (French by default).

Exit status: 0 when every row was used; 1 when rows were rejected (each
reported on standard error as ``row N: COLUMN: REASON`` and left out of the
estimates, the outputs are still written); 2 when the file, its mapping or its
design is refused as a whole.
"""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import get_language, gettext

from himaya.survey import messages, outputs
from himaya.survey.classify import RULESETS
from himaya.survey.errors import SurveyRefused
from himaya.survey.estimate import DEFAULT_SINGLETON, SINGLETON_RULES
from himaya.survey.pipeline import Request, run


def _columns(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


def _date(text: str) -> date:
    return date.fromisoformat(text)


class Command(BaseCommand):
    help = "National child-labour statistics from survey microdata (SDG 8.7.1, MICS tables)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, parser_class=CommandParser)
        estimate = actions.add_parser(
            "estimate", help="estimates with design-based standard errors, tables, charts, SDMX"
        )
        estimate.add_argument("input", metavar="INPUT", type=Path)
        estimate.add_argument("--mapping", help="a shipped mapping (mics6) or a mapping file")
        estimate.add_argument("--stratum", help="stratum column")
        estimate.add_argument("--psu", help="primary sampling unit (cluster) column")
        estimate.add_argument("--weight", help="weight column")
        estimate.add_argument(
            "--by",
            action="append",
            default=[],
            metavar="COL,...",
            help="more domains, besides sex, age_group, area and region",
        )
        estimate.add_argument("--output", type=Path, required=True, metavar="DIR")
        estimate.add_argument("--ruleset", choices=RULESETS, default=RULESETS[0])
        estimate.add_argument(
            "--singleton",
            choices=SINGLETON_RULES,
            default=DEFAULT_SINGLETON,
            help="rule for strata with one PSU (default: center, R's lonely.psu='adjust')",
        )
        estimate.add_argument(
            "--observed-on",
            type=_date,
            help="reference date when the file has no date of interview (YYYY-MM-DD)",
        )
        estimate.add_argument("--ref-area", default="504", help="SDMX REF_AREA (M49; 504)")
        estimate.add_argument(
            "--region-prefix",
            default="MA-",
            help="SDMX REF_AREA of a region: this prefix and the region code (MA-)",
        )
        estimate.add_argument("--year", type=int, help="SDMX TIME_PERIOD (default: survey year)")
        estimate.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help="language of the report, the tables and the charts (default: fr)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        with translation.override(opts["language"] or translation.get_language()):
            self._estimate(**opts)

    def _estimate(self, **opts: Any) -> None:
        request = Request(
            input=opts["input"],
            mapping=opts["mapping"],
            stratum=opts["stratum"],
            psu=opts["psu"],
            weight=opts["weight"],
            by=[name for text in opts["by"] for name in _columns(text)],
            ruleset=opts["ruleset"],
            singleton=opts["singleton"],
            observed_on=opts["observed_on"],
        )
        try:
            result = run(request)
        except SurveyRefused as error:
            raise CommandError(messages.refusal(error), returncode=2) from error
        written = outputs.write_all(
            result,
            request,
            opts["output"],
            year=opts["year"],
            ref_area=opts["ref_area"],
            region_prefix=opts["region_prefix"],
            labels=messages.output_labels(),
        )
        estimates = result.estimates

        language = (get_language() or "fr")[:2]
        language = language if language in ("fr", "ar", "en") else "en"
        for problem in result.problems:
            sys.stderr.write(problem.text(language) + "\n")
        classified = result.classified
        analysed = int(classified.in_scope.sum())
        rejected = len({problem.row for problem in result.problems})
        self.stdout.write(
            gettext(str(messages.SUMMARY))
            % {
                "rows": result.rows,
                "analysed": analysed,
                "out_of_scope": classified.out_of_scope,
                "unknown_age": classified.unknown_age,
                "rejected": rejected,
            }
        )
        for record in estimates.filter(estimates["domain"] == "all").iter_rows(named=True):
            if record["estimate"] is None:
                continue
            self.stdout.write(
                gettext(str(messages.HEADLINE))
                % {
                    "indicator": record["indicator"],
                    "estimate": f"{record['estimate'] * 100:.1f}",
                    "low": f"{record['ci_low'] * 100:.1f}",
                    "high": f"{record['ci_high'] * 100:.1f}",
                    "n": record["n_unweighted"],
                }
            )
        for path in written:
            self.stdout.write(gettext(str(messages.WRITTEN)) % {"path": path})
        if rejected:
            sys.stderr.write(gettext(str(messages.ROWS_REJECTED)) % {"count": rejected} + "\n")
            sys.exit(1)
