"""Fixtures shared by the whole test suite."""

from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

# No per-example deadline: the CI machine has 2 cores and runs two suites in a row.
hypothesis_settings.register_profile("himaya", deadline=None)
hypothesis_settings.load_profile("himaya")

USER_PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def user_password() -> str:
    return USER_PASSWORD


@pytest.fixture
def user(db: None, django_user_model: Any) -> Any:
    """An ordinary account (no staff rights)."""
    return django_user_model.objects.create_user(username="officer", password=USER_PASSWORD)


def pytest_report_header() -> str:
    from django.db import connection

    return f"database: {connection.vendor}"
