"""API tokens: the token endpoint, bearer authentication, the command."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from himaya.accounts.models import ApiToken
from himaya.accounts.services import api_token_create, api_token_user
from himaya.audit.events import AuditEvent
from himaya.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def post(client: Client, path: str, body: dict[str, Any], **headers: str) -> Any:
    return client.post(path, body, content_type="application/json", headers=headers)


def test_health_needs_no_token(client: Client) -> None:
    response = client.get("/api/health")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_a_token_for_a_username_and_password(world: Any, user_password: str) -> None:
    # Sessions and CSRF play no part: a client enforcing CSRF checks gets its token.
    client = Client(enforce_csrf_checks=True)
    response = post(
        client,
        "/api/auth/token",
        {"username": "worker", "password": user_password, "name": "tablette"},
    )
    assert response.status_code == 201, response.json()
    key = response.json()["token"]
    assert api_token_user(key) == world.worker
    assert ApiToken.objects.get(user=world.worker).name == "tablette"
    assert AuditEntry.objects.filter(event=AuditEvent.API_TOKEN_CREATED).count() == 1

    cases = client.get("/api/cases/", headers={"Authorization": f"Bearer {key}"})
    assert cases.status_code == 200 and cases.json()["count"] == 0


def test_a_bad_password_is_401(world: Any) -> None:
    response = post(Client(), "/api/auth/token", {"username": "worker", "password": "wrong"})
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials" and response.json()["detail"]
    assert not ApiToken.objects.exists()


def test_an_inactive_user_gets_no_token(world: Any, user_password: str) -> None:
    world.worker.is_active = False
    world.worker.save()
    response = post(Client(), "/api/auth/token", {"username": "worker", "password": user_password})
    assert response.status_code == 401


def test_throttled_after_too_many_failures(world: Any, settings: Any, user_password: str) -> None:
    settings.HIMAYA_LOGIN_MAX_FAILURES = 3
    client = Client()
    for _ in range(3):
        response = post(client, "/api/auth/token", {"username": "worker", "password": "wrong"})
        assert response.status_code == 401
    # Even the right password is refused now, with a clear message, in the user's language.
    response = post(
        client,
        "/api/auth/token",
        {"username": "worker", "password": user_password},
        **{"Accept-Language": "en"},
    )
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert "Too many failed attempts" in response.json()["detail"]
    assert not ApiToken.objects.exists()
    assert AuditEntry.objects.filter(event=AuditEvent.LOGIN_THROTTLED).exists()


def test_a_success_clears_earlier_failures(world: Any, settings: Any, user_password: str) -> None:
    settings.HIMAYA_LOGIN_MAX_FAILURES = 3
    client = Client()
    for _ in range(2):
        post(client, "/api/auth/token", {"username": "worker", "password": "wrong"})
    good = {"username": "worker", "password": user_password}
    assert post(client, "/api/auth/token", good).status_code == 201
    for _ in range(2):
        post(client, "/api/auth/token", {"username": "worker", "password": "wrong"})
    assert post(client, "/api/auth/token", good).status_code == 201


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer", "Bearer not-a-token", "Token abc", "Basic d29ya2VyOnh4eA=="],
)
def test_no_token_or_a_bad_token_is_401(world: Any, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    for path in ("/api/cases/", "/api/referrals/", "/api/dashboard", "/api/cases/1"):
        response = Client().get(path, headers=headers)
        assert response.status_code == 401, path
        assert response.json()["code"] == "unauthorized"
        assert response["WWW-Authenticate"] == "Bearer"
    response = post(Client(), "/api/identifications", {}, **headers)
    assert response.status_code == 401


def test_a_session_is_not_accepted_and_no_csrf_token_is_needed(world: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.worker)
    assert client.get("/api/cases/").status_code == 401
    assert post(client, "/api/cases/search", {}).status_code == 401
    key = api_token_create(user=world.worker)
    response = post(client, "/api/cases/search", {}, Authorization=f"Bearer {key}")
    assert response.status_code == 200 and response.json()["count"] == 0


def test_the_token_of_an_inactive_user_stops_working(world: Any, caller: Any) -> None:
    worker = caller(world.worker)
    assert worker.get("/api/cases/").status_code == 200
    world.worker.is_active = False
    world.worker.save()
    assert worker.get("/api/cases/").status_code == 401


def test_create_api_token_command_prints_the_key_once(world: Any) -> None:
    out = StringIO()
    call_command("create-api-token", "supervisor", "--name", "tableau", stdout=out)
    key = out.getvalue().strip()
    assert api_token_user(key) == world.supervisor
    token = ApiToken.objects.get()
    assert token.name == "tableau" and token.digest != key and key not in token.digest
    with pytest.raises(CommandError):
        call_command("create-api-token", "nobody", stdout=StringIO())
