"""Login through the real page: throttling, its audit entries, password hashing, cookies."""

from __future__ import annotations

import datetime
import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.conf import LazySettings
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.utils import timezone

import himaya.config.settings as project_settings
from himaya.accounts import services
from himaya.accounts.models import LoginFailure
from himaya.audit.events import AuditEvent
from himaya.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

LOGIN = "/en/accounts/login/"
HERE = "203.0.113.10"
THERE = "203.0.113.99"


@pytest.fixture
def officer(django_user_model: Any, user_password: str) -> Any:
    return django_user_model.objects.create_user(username="officer", password=user_password)


def attempt(client: Client, username: str, password: str, ip: str = HERE) -> Any:
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def error_codes(response: Any) -> list[str]:
    if response.status_code != 200:
        return []
    return [e.code or "" for e in response.context["form"].non_field_errors().as_data()]


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def events() -> list[int]:
    return list(AuditEntry.objects.order_by("id").values_list("event", flat=True))


# --- Ordinary logins --------------------------------------------------------------------------


def test_the_right_password_logs_in_and_is_audited(
    client: Client, officer: Any, user_password: str
) -> None:
    response = attempt(client, "officer", user_password)
    assert response.status_code == 302 and logged_in(client)
    (entry,) = AuditEntry.objects.all()
    assert entry.event == AuditEvent.LOGIN and entry.actor == officer and entry.ip == HERE


def test_a_wrong_password_is_refused_and_audited(client: Client, officer: Any) -> None:
    response = attempt(client, "officer", "wrong")
    assert error_codes(response) == ["invalid_login"] and not logged_in(client)
    (entry,) = AuditEntry.objects.all()
    assert entry.event == AuditEvent.LOGIN_FAILED
    assert entry.actor is None and entry.actor_username == "officer" and entry.ip == HERE
    (failure,) = LoginFailure.objects.all()
    assert failure.username == "officer" and failure.ip == HERE


def test_an_unknown_username_is_refused_the_same_way(client: Client, officer: Any) -> None:
    response = attempt(client, "ghost", "wrong")
    assert error_codes(response) == ["invalid_login"]
    assert AuditEntry.objects.get().actor_username == "ghost"


def test_an_inactive_user_cannot_log_in(client: Client, officer: Any, user_password: str) -> None:
    officer.is_active = False
    officer.save()
    attempt(client, "officer", user_password)
    assert not logged_in(client)
    assert AuditEvent.LOGIN not in events()


# --- Throttling -------------------------------------------------------------------------------


def test_after_too_many_failures_the_right_password_is_refused(
    client: Client, officer: Any, user_password: str, settings: LazySettings
) -> None:
    for _ in range(settings.HIMAYA_LOGIN_MAX_FAILURES):
        assert error_codes(attempt(client, "officer", "wrong")) == ["invalid_login"]
    response = attempt(client, "officer", user_password)

    assert response.status_code == 200 and not logged_in(client)
    assert error_codes(response) == ["throttled"]
    minutes = settings.HIMAYA_LOGIN_WINDOW_MINUTES
    assert (
        f"Too many failed attempts. Wait {minutes} minutes before trying again."
        in response.content.decode()
    )
    assert events() == [AuditEvent.LOGIN_FAILED] * 5 + [AuditEvent.LOGIN_THROTTLED]
    throttled = AuditEntry.objects.get(event=AuditEvent.LOGIN_THROTTLED)
    assert throttled.actor_username == "officer" and throttled.ip == HERE


def test_the_limit_and_window_are_settings(
    client: Client, officer: Any, user_password: str, settings: LazySettings
) -> None:
    settings.HIMAYA_LOGIN_MAX_FAILURES = 2
    settings.HIMAYA_LOGIN_WINDOW_MINUTES = 7
    attempt(client, "officer", "wrong")
    attempt(client, "officer", "wrong")
    response = attempt(client, "officer", user_password)
    assert error_codes(response) == ["throttled"]
    assert "Wait 7 minutes" in response.content.decode()


def test_one_failure_fewer_than_the_limit_still_lets_the_user_in(
    client: Client, officer: Any, user_password: str, settings: LazySettings
) -> None:
    for _ in range(settings.HIMAYA_LOGIN_MAX_FAILURES - 1):
        attempt(client, "officer", "wrong")
    assert attempt(client, "officer", user_password).status_code == 302
    assert logged_in(client)


def test_the_username_is_throttled_from_any_address(
    client: Client, officer: Any, user_password: str, settings: LazySettings
) -> None:
    for i in range(settings.HIMAYA_LOGIN_MAX_FAILURES):
        attempt(client, "officer", "wrong", ip=f"198.51.100.{i + 1}")
    assert error_codes(attempt(client, "officer", user_password, ip=THERE)) == ["throttled"]


def test_the_username_is_throttled_whatever_its_case(
    client: Client, officer: Any, user_password: str, settings: LazySettings
) -> None:
    for i in range(settings.HIMAYA_LOGIN_MAX_FAILURES):
        attempt(client, "OFFICER", "wrong", ip=f"198.51.100.{i + 1}")
    assert error_codes(attempt(client, "officer", user_password, ip=THERE)) == ["throttled"]


def test_failures_from_one_address_for_different_usernames_throttle_that_address(
    client: Client, officer: Any, user_password: str, settings: LazySettings
) -> None:
    for i in range(settings.HIMAYA_LOGIN_MAX_FAILURES):
        attempt(client, f"guess{i}", "wrong", ip=HERE)
    # From the guessing address, even the right password of another user is refused...
    assert error_codes(attempt(client, "officer", user_password, ip=HERE)) == ["throttled"]
    assert not logged_in(client)
    # ...while the same user logs in from elsewhere.
    assert attempt(client, "officer", user_password, ip=THERE).status_code == 302
    assert logged_in(client)


def test_a_successful_login_clears_the_failures(
    client: Client, officer: Any, user_password: str, settings: LazySettings
) -> None:
    limit = settings.HIMAYA_LOGIN_MAX_FAILURES
    for _ in range(limit - 1):
        attempt(client, "officer", "wrong")
    assert attempt(client, "officer", user_password).status_code == 302
    assert not LoginFailure.objects.filter(username="officer").exists()
    client.logout()
    # As many failures again, and the right password still works.
    for _ in range(limit - 1):
        attempt(client, "officer", "wrong")
    assert attempt(client, "officer", user_password).status_code == 302


def test_failures_older_than_the_window_do_not_count(
    client: Client, officer: Any, user_password: str, settings: LazySettings
) -> None:
    for _ in range(settings.HIMAYA_LOGIN_MAX_FAILURES):
        attempt(client, "officer", "wrong")
    long_ago = timezone.now() - datetime.timedelta(minutes=settings.HIMAYA_LOGIN_WINDOW_MINUTES + 1)
    LoginFailure.objects.update(at=long_ago)
    assert attempt(client, "officer", user_password).status_code == 302


def test_throttled_attempts_are_counted_too(
    client: Client, officer: Any, user_password: str, settings: LazySettings
) -> None:
    limit = settings.HIMAYA_LOGIN_MAX_FAILURES
    for _ in range(limit):
        attempt(client, "officer", "wrong")
    attempt(client, "officer", user_password)
    attempt(client, "officer", "wrong")
    assert LoginFailure.objects.count() == limit + 2
    assert events().count(AuditEvent.LOGIN_THROTTLED) == 2
    assert events().count(AuditEvent.LOGIN_FAILED) == limit  # a throttled try is not "failed"


def test_the_backend_refuses_a_throttled_username_too(
    officer: Any, user_password: str, settings: LazySettings
) -> None:
    """Code that calls authenticate() directly (not through the form) is throttled as well."""
    for _ in range(settings.HIMAYA_LOGIN_MAX_FAILURES):
        services.login_failure_record(username="officer")
    assert authenticate(None, username="officer", password=user_password) is None
    assert events()[-1] == AuditEvent.LOGIN_THROTTLED
    assert events().count(AuditEvent.LOGIN_THROTTLED) == 1


def test_the_throttle_works_on_the_french_page_too(
    client: Client, officer: Any, settings: LazySettings
) -> None:
    settings.HIMAYA_LOGIN_MAX_FAILURES = 1
    client.post(
        "/fr/accounts/login/", {"username": "officer", "password": "wrong"}, REMOTE_ADDR=HERE
    )
    response = client.post(
        "/fr/accounts/login/", {"username": "officer", "password": "x"}, REMOTE_ADDR=HERE
    )
    assert error_codes(response) == ["throttled"]


# --- Passwords --------------------------------------------------------------------------------


def test_passwords_are_hashed_with_argon2(django_user_model: Any, user_password: str) -> None:
    created = django_user_model.objects.create_user(username="hashed", password=user_password)
    assert created.password.startswith("argon2$")
    assert user_password not in created.password
    assert created.check_password(user_password)


def test_an_older_hash_is_upgraded_to_argon2_at_login(
    client: Client, django_user_model: Any, user_password: str
) -> None:
    legacy = django_user_model.objects.create(
        username="legacy", password=make_password(user_password, hasher="pbkdf2_sha256")
    )
    assert legacy.password.startswith("pbkdf2_sha256$")
    assert attempt(client, "legacy", user_password).status_code == 302
    legacy.refresh_from_db()
    assert legacy.password.startswith("argon2$")


# --- Cookies ----------------------------------------------------------------------------------


def _settings_with(monkeypatch: pytest.MonkeyPatch, **env: str | None) -> ModuleType:
    """The settings module as it reads the given environment (a fresh copy)."""
    for name, value in env.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    path = Path(project_settings.__file__)
    spec = importlib.util.spec_from_file_location("himaya_settings_probe", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("secure", "debug", "expected"),
    [
        ("1", None, True),
        ("true", "1", True),
        ("0", None, False),
        (None, None, True),  # default: secure unless debugging
        (None, "1", False),
    ],
)
def test_cookies_are_secure_when_himaya_secure_cookies(
    monkeypatch: pytest.MonkeyPatch, secure: str | None, debug: str | None, expected: bool
) -> None:
    probe = _settings_with(monkeypatch, HIMAYA_SECURE_COOKIES=secure, HIMAYA_DEBUG=debug)
    assert probe.SESSION_COOKIE_SECURE is expected
    assert probe.CSRF_COOKIE_SECURE is expected
    assert probe.LANGUAGE_COOKIE_SECURE is expected
    assert probe.SESSION_COOKIE_HTTPONLY and probe.CSRF_COOKIE_HTTPONLY


def test_the_login_page_sets_secure_http_only_cookies(
    client: Client, officer: Any, user_password: str, settings: LazySettings
) -> None:
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    page = client.get(LOGIN)
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"
    response = attempt(client, "officer", user_password)
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
