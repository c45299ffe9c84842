"""Create the local demo superuser ``admin`` when it does not exist.

Demo only: the password is public (README). Refuses to run unless DEBUG is on,
so that a production instance never gets this account by mistake.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

DEMO_ADMIN_USERNAME = "admin"
DEMO_ADMIN_PASSWORD = "himaya-admin"  # noqa: S105 - documented local demo login


class Command(BaseCommand):
    help = "Create the demo superuser 'admin' (password 'himaya-admin') if absent. DEBUG only."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Refusing to create a demo administrator when DEBUG is off.")
        user_model = get_user_model()
        if user_model.objects.filter(username=DEMO_ADMIN_USERNAME).exists():
            self.stdout.write(f"Demo administrator '{DEMO_ADMIN_USERNAME}' already exists.")
            return
        user_model.objects.create_superuser(
            username=DEMO_ADMIN_USERNAME, email="", password=DEMO_ADMIN_PASSWORD
        )
        message = f"Created demo administrator '{DEMO_ADMIN_USERNAME}'."
        self.stdout.write(self.style.SUCCESS(message))
