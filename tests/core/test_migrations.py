"""Every change of a model has its migration (a label changed too: Django keeps choices)."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_lacks_its_migration() -> None:
    # Exits (SystemExit 1) when a migration is missing.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
