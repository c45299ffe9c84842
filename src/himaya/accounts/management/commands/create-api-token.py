"""Create an API token for a user and print its key, once.

    himaya create-api-token USERNAME [--name NAME]

Only the key's SHA-256 digest is stored: the key cannot be shown again. Give it
to the client in ``Authorization: Bearer <key>``.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from himaya.accounts.models import User
from himaya.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Create an API token for USERNAME and print its key (shown once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="What the token is for.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user '{options['username']}'.")
        key = api_token_create(user=user, name=options["name"])
        self.stdout.write(key)
