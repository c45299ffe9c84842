"""API tokens: only a digest is stored; the key finds its active user."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

import pytest
from django.utils import timezone

from himaya.accounts.models import ApiToken
from himaya.accounts.services import api_token_create, api_token_user
from himaya.audit.events import AuditEvent
from himaya.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_a_token_is_stored_as_its_digest_only(user: Any) -> None:
    key = api_token_create(user=user, name="laptop")

    assert len(key) >= 40
    token = ApiToken.objects.get()
    assert token.user == user and token.name == "laptop"
    assert token.digest == hashlib.sha256(key.encode()).hexdigest()
    stored = [str(value) for value in ApiToken.objects.values_list().get()]
    assert all(key not in value for value in stored)
    entry = AuditEntry.objects.get(event=AuditEvent.API_TOKEN_CREATED)
    assert entry.actor == user and entry.detail == {"name": "laptop"}
    assert key not in str(entry.detail)


def test_every_token_is_new(user: Any) -> None:
    keys = {api_token_create(user=user) for _ in range(5)}
    assert len(keys) == 5 and ApiToken.objects.count() == 5


def test_the_key_finds_its_user(user: Any, django_user_model: Any) -> None:
    other = django_user_model.objects.create_user(username="other", password="x")
    key = api_token_create(user=user)
    api_token_create(user=other)
    assert api_token_user(key) == user


@pytest.mark.parametrize("key", ["", "nope", "x" * 43])
def test_an_unknown_key_finds_nobody(user: Any, key: str) -> None:
    api_token_create(user=user)
    assert api_token_user(key) is None


def test_the_digest_itself_is_not_a_key(user: Any) -> None:
    api_token_create(user=user)
    assert api_token_user(ApiToken.objects.get().digest) is None


def test_an_inactive_users_token_is_refused(user: Any) -> None:
    key = api_token_create(user=user)
    user.is_active = False
    user.save()
    assert api_token_user(key) is None


def test_a_revoked_token_is_refused(user: Any) -> None:
    key = api_token_create(user=user)
    ApiToken.objects.all().delete()
    assert api_token_user(key) is None


def test_last_use_is_recorded_at_most_every_five_minutes(user: Any) -> None:
    key = api_token_create(user=user)
    assert ApiToken.objects.get().last_used_at is None
    api_token_user(key)
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    api_token_user(key)
    assert ApiToken.objects.get().last_used_at == first
    stale = timezone.now() - datetime.timedelta(minutes=6)
    ApiToken.objects.update(last_used_at=stale)
    api_token_user(key)
    refreshed = ApiToken.objects.get().last_used_at
    assert refreshed is not None and refreshed > stale


def test_a_long_name_is_cut(user: Any) -> None:
    api_token_create(user=user, name="n" * 300)
    assert ApiToken.objects.get().name == "n" * 100
