"""``himaya import-establishments FILE --user USERNAME``: import a CSV of establishments.

Imports the file into the register of USERNAME's inspection office, as that user
(see ``himaya.inspection.imports`` for the file's format), then prints a summary
and one line per error of a rejected row: ``line N, FIELD: MESSAGE``.

Exit status: 0 when every row was imported, 1 when any row was rejected (the
others are imported), 2 when the file, the user or the options are refused as a
whole (nothing is imported; the reason on standard error).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from himaya.accounts.models import User
from himaya.core.errors import ApplicationError, InvalidInput
from himaya.inspection.imports import establishments_import


class Command(BaseCommand):
    help = (
        "Import establishments into the register of an inspection office from a CSV file "
        "(UTF-8, comma or semicolon separated, columns: name, ice, sector, commune_code, "
        "address, workers, contact_name, contact_phone)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", type=Path, help="the CSV file to import")
        parser.add_argument(
            "--user",
            required=True,
            metavar="USERNAME",
            help="the inspector or supervisor importing the file, into their office's register",
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help=f"language of the messages (default: {settings.LANGUAGE_CODE})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            self.run(options["file"], options["user"], verbose=options["verbosity"] > 1)

    def run(self, path: Path, username: str, *, verbose: bool) -> None:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user '{username}'.", returncode=2)

        def progress(done: int, total: int) -> None:
            self.stdout.write(f"{done}/{total} rows")

        try:
            with path.open("rb") as source:
                report = establishments_import(
                    actor=user, source=source, progress=progress if verbose else None
                )
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror or error}", returncode=2) from error
        except InvalidInput as error:
            reasons = " ".join(
                message for messages in error.errors.values() for message in messages
            )
            raise CommandError(f"{path}: {reasons}", returncode=2) from error
        except ApplicationError as error:
            raise CommandError(str(error.message), returncode=2) from error
        summary = (
            f"{path}: {report.rows} rows read, {report.created} establishments created, "
            f"{report.rejected_rows} rows rejected."
        )
        if report.rejected_rows:
            self.stdout.write(self.style.WARNING(summary))
        else:
            self.stdout.write(self.style.SUCCESS(summary))
        for rejected in report.rejected:
            where = (
                f"line {rejected.row}, {rejected.field}"
                if rejected.field
                else f"line {rejected.row}"
            )
            self.stdout.write(f"{where}: {rejected.message}")
        if report.rejected_rows:
            sys.exit(1)
