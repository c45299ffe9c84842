"""The client address in entries written during a request, and the audit admin."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from himaya.audit.context import current_ip
from himaya.audit.events import AuditEvent
from himaya.audit.models import AuditEntry
from himaya.audit.services import audit_record

pytestmark = pytest.mark.django_db

LOGIN = "/fr/accounts/login/"


# --- The middleware -----------------------------------------------------------------------


def test_a_failed_login_records_the_client_address(client: Client, user: Any) -> None:
    client.post(LOGIN, {"username": "officer", "password": "wrong"}, REMOTE_ADDR="203.0.113.7")
    entry = AuditEntry.objects.get(event=AuditEvent.LOGIN_FAILED)
    assert entry.ip == "203.0.113.7" and entry.actor_username == "officer"


def test_a_login_records_the_client_address(client: Client, user: Any, user_password: str) -> None:
    response = client.post(
        LOGIN, {"username": "officer", "password": user_password}, REMOTE_ADDR="2001:db8::5"
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(event=AuditEvent.LOGIN)
    assert entry.ip == "2001:db8::5" and entry.actor == user


def test_x_forwarded_for_is_not_trusted(client: Client, user: Any) -> None:
    client.post(
        LOGIN,
        {"username": "officer", "password": "wrong"},
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )
    assert AuditEntry.objects.get().ip == "203.0.113.7"


def test_the_address_does_not_outlive_the_request(client: Client, user: Any) -> None:
    client.post(LOGIN, {"username": "officer", "password": "wrong"}, REMOTE_ADDR="203.0.113.7")
    assert current_ip() is None
    assert audit_record(event=AuditEvent.LOGOUT, actor=user).ip is None


# --- The admin --------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client: Client, django_user_model: Any) -> Client:
    root = django_user_model.objects.create_superuser(username="root", password="x")
    client.force_login(root)
    return client


@pytest.fixture
def entries(user: Any) -> list[AuditEntry]:
    return [
        audit_record(event=AuditEvent.LOGIN, actor=user),
        audit_record(event=AuditEvent.CASE_VIEWED, actor=user, obj=user, child_id=4242),
        audit_record(event=AuditEvent.LOGIN_FAILED, actor=None, username="intruder"),
    ]


CHANGELIST = "/admin/audit/auditentry/"


def _listed(response: Any) -> set[int]:
    """The entries listed, leaving out the superuser's own login."""
    return {
        entry.pk for entry in response.context["cl"].result_list if entry.actor_username != "root"
    }


def _count() -> int:
    return AuditEntry.objects.exclude(actor_username="root").count()


def test_the_changelist_lists_every_entry(admin_client: Client, entries: list[AuditEntry]) -> None:
    response = admin_client.get(CHANGELIST)
    assert response.status_code == 200
    assert _listed(response) == {e.pk for e in entries}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("intruder", [2]),  # the username tried
        ("officer", [0, 1]),
        ("4242", [1]),  # the child
        ("nobody", []),
        ("abc", []),  # not a number: no child matches, and no error
    ],
)
def test_the_changelist_is_searchable(
    admin_client: Client, entries: list[AuditEntry], query: str, expected: list[int]
) -> None:
    response = admin_client.get(CHANGELIST, {"q": query})
    assert response.status_code == 200
    assert _listed(response) == {entries[i].pk for i in expected}


def test_the_changelist_filters_by_event(admin_client: Client, entries: list[AuditEntry]) -> None:
    response = admin_client.get(CHANGELIST, {"event__exact": str(int(AuditEvent.LOGIN))})
    assert _listed(response) == {entries[0].pk}


def test_nobody_adds_an_entry_in_the_admin(admin_client: Client, entries: list[AuditEntry]) -> None:
    assert admin_client.get(CHANGELIST + "add/").status_code == 403
    assert admin_client.post(CHANGELIST + "add/", {"event": "100"}).status_code == 403
    assert _count() == 3
    assert (
        'href="/admin/audit/auditentry/add/"' not in admin_client.get(CHANGELIST).content.decode()
    )


def test_nobody_changes_an_entry_in_the_admin(
    admin_client: Client, entries: list[AuditEntry]
) -> None:
    url = f"{CHANGELIST}{entries[0].pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200  # view only
    assert 'name="_save"' not in page.content.decode()
    response = admin_client.post(url, {"actor_username": "someone else", "event": "101"})
    assert response.status_code == 403
    assert AuditEntry.objects.get(pk=entries[0].pk).actor_username == "officer"


def test_nobody_deletes_an_entry_in_the_admin(
    admin_client: Client, entries: list[AuditEntry]
) -> None:
    url = f"{CHANGELIST}{entries[0].pk}/delete/"
    assert admin_client.get(url).status_code == 403
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    response = admin_client.post(
        CHANGELIST,
        {"action": "delete_selected", "_selected_action": [e.pk for e in entries], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert _count() == 3
    assert "delete_selected" not in admin_client.get(CHANGELIST).content.decode()


def test_the_audit_admin_is_for_staff_only(client: Client, user: Any, user_password: str) -> None:
    client.force_login(user)
    response = client.get(CHANGELIST)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
