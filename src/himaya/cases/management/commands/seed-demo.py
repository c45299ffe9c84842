"""``himaya seed-demo [--children N] [--seed S] [--if-empty] [--password P]``: demo data.

Creates the demo organisations and accounts of every region, then N synthetic
children with their identifications (classified by the rules engine), cases,
referrals, follow-ups, timelines and audit entries (see ``himaya.cases.demo``),
then each labour inspection office's register, visits, children found and
enforcement (see ``himaya.inspection.demo``; the children found in visits are
part of the N), then about 2 % of the children recorded a second time in their
organisation under other spellings, the probable duplicates of the supervisors'
review queue (see ``himaya.linkage.demo``; also part of the N). Loads the
geography first when none is loaded. All in one transaction.

The accounts get the public demo password (``himaya-demo``), so the command
refuses to run when DEBUG is off unless ``--password`` is given. It fills an
empty database only: when children exist it stops with an error, or, with
``--if-empty`` (as ``make run`` calls it), does nothing.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from himaya.cases.demo import DEMO_PASSWORD, seed_demo
from himaya.cases.models import Child
from himaya.geography.models import Commune
from himaya.geography.services import geography_load
from himaya.inspection.demo import children_to_find, seed_inspection
from himaya.linkage.demo import DEFAULT_SHARE, seed_duplicates
from himaya.linkage.services import linkage_run_if_due


class Command(BaseCommand):
    help = (
        "Fill an empty database with synthetic demo data for Morocco: organisations, one "
        f"account per role and region (password '{DEMO_PASSWORD}', DEBUG only), children, "
        "cases, referrals and follow-ups, and the labour inspectorate's registers, visits "
        "and enforcement."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--children", type=int, default=5_000, help="How many children (default 5000)."
        )
        parser.add_argument(
            "--seed", type=int, default=0, help="Random seed, for the same data again."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (and succeed) when the database already has children.",
        )
        parser.add_argument(
            "--password",
            help="Password of the new accounts (needed when DEBUG is off; "
            f"default '{DEMO_PASSWORD}' with DEBUG).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password: str | None = options["password"]
        if password is None:
            if not settings.DEBUG:
                raise CommandError(
                    "Refusing to create demo accounts with the public demo password when DEBUG "
                    "is off: set HIMAYA_DEBUG=1, or give --password."
                )
            password = DEMO_PASSWORD
        if options["children"] < 0:
            raise CommandError("--children must be 0 or more.")
        existing = Child.objects.count()
        if existing:
            if options["if_empty"]:
                self.stdout.write(
                    f"Demo data not seeded: the database already has {existing} children."
                )
                return
            raise CommandError(
                f"The database already has {existing} children; seed-demo fills an empty "
                "database only (use --if-empty to skip quietly)."
            )
        if not Commune.objects.exists():
            self.stdout.write("Loading the geography first…")
            geography_load()
        progress = self.stdout.write if options["verbosity"] > 1 else None
        with transaction.atomic():
            found = children_to_find(options["children"])
            twice = min(round(options["children"] * DEFAULT_SHARE), options["children"] - found)
            report = seed_demo(
                children=options["children"] - found - twice,
                seed=options["seed"],
                password_hash=make_password(password),
                progress=progress,
            )
            inspection = seed_inspection(seed=options["seed"], children=found, progress=progress)
            recorded_twice = seed_duplicates(seed=options["seed"], count=twice)
        self.stdout.write(self.style.SUCCESS(f"Demo data seeded: {report.summary()}."))
        self.stdout.write(self.style.SUCCESS(f"Labour inspection: {inspection.summary()}."))
        self.stdout.write(self.style.SUCCESS(f"Children recorded twice: {recorded_twice}."))
        # The worker links the demo children at start: the supervisors' queue of probable
        # duplicates fills, and identifications are compared with the children known.
        run = linkage_run_if_due()
        if run is not None:
            self.stdout.write(f"Linkage run #{run.pk} queued for the task worker.")
