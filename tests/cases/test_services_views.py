"""Views of a child's record are audited, and fetched only within the user's scope."""

from __future__ import annotations

from typing import Any

import pytest

from himaya.audit.events import AuditEvent
from himaya.audit.models import AuditEntry
from himaya.cases import services
from himaya.cases.models import Case, Referral
from himaya.core.errors import NotFound


@pytest.fixture
def case(world: Any) -> Case:
    found: Case = world.identify().case
    return found


@pytest.fixture
def referral(world: Any, case: Case) -> Referral:
    services.case_assess(actor=world.supervisor, case=case, risk_level="low", assessment="x")
    services.case_record_consent(
        actor=world.worker, case=case, child_consent=True, guardian_consent=True
    )
    return services.referral_send(
        actor=world.worker, case=case, service="education", provider=world.school
    )


def viewed(event: AuditEvent) -> list[tuple[Any, ...]]:
    return list(
        AuditEntry.objects.filter(event=event)
        .order_by("id")
        .values_list("actor__username", "object_type", "object_id", "child_id")
    )


def test_viewing_a_case_is_audited(world: Any, case: Case) -> None:
    assert services.case_view(user=world.worker, case_id=case.pk) == case
    assert viewed(AuditEvent.CASE_VIEWED) == [("worker", "case", str(case.pk), case.child_id)]


@pytest.mark.parametrize(
    "who", ["other_org_worker", "other_territory_worker", "provider", "analyst"]
)
def test_a_case_outside_the_scope_is_not_found_and_not_logged_as_viewed(
    world: Any, case: Case, who: str
) -> None:
    with pytest.raises(NotFound):
        services.case_view(user=getattr(world, who), case_id=case.pk)
    assert viewed(AuditEvent.CASE_VIEWED) == []


def test_viewing_a_child_is_audited(world: Any, case: Case) -> None:
    assert services.child_view(user=world.supervisor, child_id=case.child_id) == case.child
    assert viewed(AuditEvent.CHILD_VIEWED) == [
        ("supervisor", "child", str(case.child_id), case.child_id)
    ]
    with pytest.raises(NotFound):
        services.child_view(user=world.other_org_worker, child_id=case.child_id)
    assert len(viewed(AuditEvent.CHILD_VIEWED)) == 1


def test_viewing_a_referral_is_audited_for_the_provider_too(world: Any, referral: Referral) -> None:
    services.referral_view(user=world.provider, referral_id=referral.pk)
    services.referral_view(user=world.worker, referral_id=referral.pk)
    assert viewed(AuditEvent.REFERRAL_VIEWED) == [
        ("school", "referral", str(referral.pk), referral.case.child_id),
        ("worker", "referral", str(referral.pk), referral.case.child_id),
    ]
    with pytest.raises(NotFound):
        services.referral_view(user=world.other_provider, referral_id=referral.pk)
    assert len(viewed(AuditEvent.REFERRAL_VIEWED)) == 2


def test_a_page_of_a_list_is_one_entry_naming_the_children(world: Any, case: Case) -> None:
    services.list_view_record(
        user=world.worker,
        event=AuditEvent.CHILD_LIST_VIEWED,
        child_ids=[case.child_id],
        detail={"list": "cases", "page": 1},
    )
    entry = AuditEntry.objects.get(event=AuditEvent.CHILD_LIST_VIEWED)
    assert entry.actor == world.worker and entry.child_id is None
    assert entry.detail == {"list": "cases", "page": 1, "children": [case.child_id]}
