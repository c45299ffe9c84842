"""Starting monitoring: a caseworker moves a case in remediation to monitoring without
waiting for a provider to record a service delivered."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.conf import LazySettings

from himaya.audit.events import AuditEvent
from himaya.audit.models import AuditEntry
from himaya.cases import services
from himaya.cases.models import Case, CaseStatus
from himaya.core.errors import ApplicationError

from .test_services_referrals import counts, ready, send


@pytest.fixture
def case(world: Any) -> Case:
    """Assessed, consented, referred to the school, which accepted: in remediation."""
    case = ready(world, world.identify().case)
    services.referral_accept(actor=world.provider, referral=send(world, case))
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_REMEDIATION
    return case


def refused(actor: Any, case: Case, code: str) -> ApplicationError:
    before = counts(), Case.objects.get(pk=case.pk).status
    with pytest.raises(ApplicationError) as error:
        services.case_start_monitoring(actor=actor, case=case)
    assert error.value.code == code
    assert (counts(), Case.objects.get(pk=case.pk).status) == before
    return error.value


@pytest.mark.parametrize("who", ["worker", "supervisor"])
def test_a_caseworker_starts_monitoring(
    world: Any, case: Case, who: str, settings: LazySettings
) -> None:
    settings.HIMAYA_FOLLOW_UP_EVERY_DAYS = 45
    actor = getattr(world, who)

    services.case_start_monitoring(actor=actor, case=case, note="  Inscrit, assidu. ")

    case.refresh_from_db()
    assert case.status == CaseStatus.MONITORING
    assert case.next_follow_up_on == services.today() + datetime.timedelta(days=45)
    changed = AuditEntry.objects.filter(event=AuditEvent.CASE_STATUS_CHANGED).latest("id")
    assert (changed.actor, changed.child_id, changed.object_id) == (
        actor,
        case.child_id,
        str(case.pk),
    )
    assert changed.detail == {"from": "in_remediation", "to": "monitoring"}
    events = [(e.kind, e.actor, e.detail) for e in case.events.order_by("id")][-2:]
    assert events == [
        ("status", actor, {"from": "in_remediation", "to": "monitoring"}),
        ("monitoring_started", actor, {"note": "Inscrit, assidu."}),
    ]


def test_a_follow_up_already_planned_is_kept(world: Any, case: Case) -> None:
    planned = services.today() + datetime.timedelta(days=3)
    Case.objects.filter(pk=case.pk).update(next_follow_up_on=planned)
    case.refresh_from_db()

    services.case_start_monitoring(actor=world.worker, case=case)

    case.refresh_from_db()
    assert case.status == CaseStatus.MONITORING and case.next_follow_up_on == planned
    last = case.events.order_by("id").last()
    assert last is not None and (last.kind, last.detail) == ("monitoring_started", {})


@pytest.mark.parametrize(
    "status",
    [CaseStatus.IDENTIFIED, CaseStatus.ASSESSED, CaseStatus.REFERRED, CaseStatus.MONITORING],
)
def test_refused_from_any_other_status(world: Any, case: Case, status: str) -> None:
    Case.objects.filter(pk=case.pk).update(status=status)
    case.refresh_from_db()
    error = refused(world.worker, case, "transition_not_allowed")
    assert error.message == services.TRANSITION_NOT_ALLOWED


@pytest.mark.parametrize("who", ["provider", "other_provider", "analyst", "administrator"])
def test_only_caseworkers_start_monitoring(world: Any, case: Case, who: str) -> None:
    error = refused(getattr(world, who), case, "forbidden")
    assert error.status == 403 and error.message == services.NOT_A_CASEWORKER


def test_a_closed_case_is_refused(world: Any, case: Case) -> None:
    services.case_request_closure(actor=world.supervisor, case=case, reason="lost_to_follow_up")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    error = refused(world.worker, case, "case_closed")
    assert error.message == services.CASE_CLOSED
