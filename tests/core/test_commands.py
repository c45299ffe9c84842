"""The ensure-demo-admin management command."""

from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)
def test_ensure_demo_admin_creates_the_superuser_once(django_user_model: Any) -> None:
    call_command("ensure-demo-admin")
    call_command("ensure-demo-admin")

    admin = django_user_model.objects.get(username="admin")
    assert admin.is_superuser
    assert authenticate(username="admin", password="himaya-admin") == admin
    assert django_user_model.objects.count() == 1


@override_settings(DEBUG=True)
def test_ensure_demo_admin_leaves_an_existing_admin_alone(django_user_model: Any) -> None:
    django_user_model.objects.create_user(username="admin", password="another-password")

    call_command("ensure-demo-admin")

    assert authenticate(username="admin", password="another-password") is not None


@override_settings(DEBUG=False)
def test_ensure_demo_admin_refuses_without_debug(django_user_model: Any) -> None:
    with pytest.raises(CommandError):
        call_command("ensure-demo-admin")

    assert not django_user_model.objects.filter(username="admin").exists()
