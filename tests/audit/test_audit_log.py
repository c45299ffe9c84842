"""The audit log is append-only, in the model and in the database."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError, connection, transaction

from himaya.audit.events import AuditEvent
from himaya.audit.models import AppendOnlyError, AuditEntry
from himaya.audit.services import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(user: Any) -> AuditEntry:
    return audit_record(event=AuditEvent.LOGIN, actor=user, detail={"n": 1})


def _stored(pk: int) -> tuple[Any, ...]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT event, actor_username, detail FROM audit_auditentry WHERE id = %s", [pk]
        )
        row = cursor.fetchone()
    assert row is not None
    return tuple(row)


# --- Writing -------------------------------------------------------------------------------


def test_an_entry_records_who_what_and_which_record(user: Any) -> None:
    written = audit_record(
        event=AuditEvent.CASE_VIEWED, actor=user, obj=user, child_id=7, detail={"a": 1}
    )
    entry = AuditEntry.objects.get(pk=written.pk)
    assert entry.actor == user and entry.actor_username == "officer"
    assert entry.event == AuditEvent.CASE_VIEWED and entry.event_name == "case_viewed"
    assert (entry.object_type, entry.object_id) == ("user", str(user.pk))
    assert entry.child_id == 7 and entry.detail == {"a": 1}
    assert entry.ip is None  # no request, no address
    assert entry.at is not None
    assert "officer" in str(entry) and "case_viewed" in str(entry)


def test_an_anonymous_actor_is_kept_by_the_username_tried() -> None:
    written = audit_record(event=AuditEvent.LOGIN_FAILED, actor=AnonymousUser(), username="x" * 200)
    entry = AuditEntry.objects.get(pk=written.pk)
    assert entry.actor is None and entry.actor_username == "x" * 150
    assert entry.object_type == "" and entry.object_id == "" and entry.detail == {}


def test_the_username_is_kept_when_the_account_is_renamed(user: Any, entry: AuditEntry) -> None:
    user.username = "renamed"
    user.save()
    assert AuditEntry.objects.get(pk=entry.pk).actor_username == "officer"


def test_event_numbers_never_change() -> None:
    numbers = {event.name: event.value for event in AuditEvent}
    assert numbers["LOGIN"] == 100 and numbers["LOGIN_FAILED"] == 101
    assert numbers["LOGIN_THROTTLED"] == 102 and numbers["API_TOKEN_CREATED"] == 110
    assert numbers["CASE_OPENED"] == 220 and numbers["CASE_CLOSED"] == 228
    assert numbers["REFERRAL_SENT"] == 300 and numbers["REFERRAL_DELIVERED"] == 304
    assert len(set(numbers.values())) == len(numbers)


# --- The model refuses changes ----------------------------------------------------------------


def test_the_model_refuses_to_save_an_entry_again(entry: AuditEntry) -> None:
    entry.detail = {"n": 2}
    with pytest.raises(AppendOnlyError):
        entry.save()
    fetched = AuditEntry.objects.get(pk=entry.pk)
    fetched.actor_username = "someone else"
    with pytest.raises(AppendOnlyError):
        fetched.save()
    assert _stored(entry.pk)[1] == "officer"


def test_the_model_refuses_to_delete_an_entry(entry: AuditEntry) -> None:
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_querysets_refuse_bulk_updates_and_deletes(entry: AuditEntry) -> None:
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(actor_username="someone else")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert _stored(entry.pk)[1] == "officer"


# --- The database refuses changes -------------------------------------------------------------


def test_the_database_refuses_a_raw_update(entry: AuditEntry) -> None:
    with pytest.raises(DatabaseError) as refused, transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE audit_auditentry SET actor_username = %s WHERE id = %s",
                ["someone else", entry.pk],
            )
    assert "append-only" in str(refused.value)
    assert _stored(entry.pk)[1] == "officer"


def test_a_raw_delete_is_refused_where_the_database_refuses_it(entry: AuditEntry) -> None:
    """PostgreSQL (production) refuses DELETE in a trigger. SQLite lets its test
    databases be emptied with DELETE, so there only the model refuses it."""
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError) as refused, transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
        assert "append-only" in str(refused.value)
    else:
        assert connection.vendor == "sqlite"
        with pytest.raises(AppendOnlyError):
            entry.delete()
        with pytest.raises(AppendOnlyError):
            AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_database_still_accepts_new_entries_after_a_refusal(entry: AuditEntry) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditentry SET event = 0")
    audit_record(event=AuditEvent.LOGOUT, actor=None, username="officer")
    assert sorted(AuditEntry.objects.values_list("event", flat=True)) == [
        AuditEvent.LOGIN,
        AuditEvent.LOGOUT,
    ]


def test_the_trigger_exists_in_the_schema() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_auditentry'::regclass "
                "AND NOT tgisinternal"
            )
            assert [row[0] for row in cursor.fetchall()] == ["audit_no_change"]
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name = 'audit_auditentry'"
            )
            assert [row[0] for row in cursor.fetchall()] == ["audit_no_update"]
