"""The ``himaya`` command: Django's management commands with Himaya's settings.

``.venv/bin/himaya migrate``, ``himaya runserver``, ``himaya db_worker``...
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "himaya.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
