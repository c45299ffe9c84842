"""``himaya scheduler``: start the work that runs on a schedule (``make run`` starts it).

Today that is the linkage run over every child, every
``HIMAYA_LINKAGE_EVERY_HOURS`` hours: the run itself is a task for the worker
(``himaya db_worker``); this only queues it when it is due. ``--once`` checks once
and stops (for cron, or a test).
"""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from himaya.linkage.services import linkage_run_if_due

#: Seconds between two checks.
CHECK_EVERY = 60


class Command(BaseCommand):
    help = "Queue the scheduled work when it is due (the linkage run)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--once", action="store_true", help="check once, then stop")

    def handle(self, *args: Any, **opts: Any) -> None:
        while True:
            run = linkage_run_if_due()
            if run is not None:
                self.stdout.write(f"Linkage run #{run.pk} queued.")
            if opts["once"]:
                return
            time.sleep(CHECK_EVERY)
