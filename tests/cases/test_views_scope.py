"""Scope: a case or a child outside the user's organisation, territory or role is not
found (404) on every page and every action, and nothing is changed or audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from himaya.audit.events import AuditEvent
from himaya.audit.models import AuditEntry
from himaya.cases import services
from himaya.cases.models import Case, CaseEvent, Observation, Referral

OUTSIDERS = [
    "other_org_worker",
    "other_territory_worker",
    "provider",
    "analyst",
    "administrator",
]


@pytest.fixture
def case(world: Any) -> Any:
    """A referred case with a pending closure request: every action has something to act on."""
    case = world.identify().case
    services.case_assess(actor=world.worker, case=case, risk_level="high", assessment="Souk.")
    services.case_approve_assessment(actor=world.supervisor, case=case)
    services.case_record_consent(
        actor=world.worker, case=case, child_consent=True, guardian_consent=True
    )
    services.referral_send(
        actor=world.worker, case=case, service="education", provider=world.school
    )
    services.case_request_closure(
        actor=world.worker,
        case=case,
        reason="moved",
        transferred_to=world.other_association,
        transferred_commune=world.commune.code,
    )
    return case


def _actions(case: Any, world: Any) -> list[tuple[str, dict[str, Any]]]:
    today = services.today().isoformat()
    return [
        ("assess/", {"assess-risk_level": "low", "assess-assessment": "x"}),
        ("assessment/approve/", {}),
        ("consent/", {"consent-child_consent": "on"}),
        ("refer/", {"refer-service": "education", "refer-provider": world.school.pk}),
        (
            "follow-up/",
            {
                "follow_up-observed_on": today,
                "follow_up-economic_hours_week": "0",
                "follow_up-in_school_or_training": "yes",
            },
        ),
        ("monitoring/start/", {}),
        ("closure/request/", {"closure-reason": "lost_to_follow_up"}),
        ("closure/approve/", {}),
        ("closure/reject/", {"reject_closure-note": "x"}),
        ("assign/", {"assign-assignee": world.worker.pk}),
    ]


def _snapshot() -> tuple[int, int, int, list[Any]]:
    return (
        CaseEvent.objects.count(),
        Observation.objects.count(),
        Referral.objects.count(),
        list(Case.objects.values_list("status", "closure_requested_reason", "assigned_to_id")),
    )


@pytest.mark.parametrize("who", OUTSIDERS)
def test_the_case_page_is_not_found(client: Client, world: Any, case: Any, who: str) -> None:
    client.force_login(getattr(world, who))

    assert client.get(f"/fr/cases/{case.pk}/").status_code == 404
    assert client.get(f"/fr/cases/{case.pk}/providers/?refer-service=education").status_code == 404
    communes = f"/fr/cases/{case.pk}/closure/communes/?closure-transferred_to="
    assert client.get(f"{communes}{world.other_association.pk}").status_code == 404
    for panel in ("assess", "refer", "follow_up", "request_closure", "assign"):
        assert client.get(f"/fr/cases/{case.pk}/panels/{panel}/").status_code == 404
    assert not AuditEntry.objects.filter(event=AuditEvent.CASE_VIEWED).exists()


@pytest.mark.parametrize("who", OUTSIDERS)
def test_every_action_is_not_found_and_changes_nothing(
    client: Client, world: Any, case: Any, who: str
) -> None:
    client.force_login(getattr(world, who))
    before = _snapshot()

    for action, data in _actions(case, world):
        response = client.post(f"/fr/cases/{case.pk}/{action}", data)
        assert response.status_code == 404, action

    assert _snapshot() == before


@pytest.mark.parametrize("who", OUTSIDERS)
def test_identifying_the_child_again_is_not_found(
    client: Client, world: Any, case: Any, who: str
) -> None:
    client.force_login(getattr(world, who))
    observation = case.observations.get()
    data = {"observed_on": services.today().isoformat(), "economic_hours_week": "10"}

    assert client.get(f"/fr/cases/children/{case.child_id}/identify/").status_code == 404
    assert client.post(f"/fr/cases/children/{case.child_id}/identify/", data).status_code == 404
    preview = f"/fr/cases/children/{case.child_id}/identify/preview/"
    assert client.post(preview, data).status_code == 404
    assert client.get(f"/fr/cases/identifications/{observation.pk}/").status_code == 404
    assert Observation.objects.count() == 1
    assert not AuditEntry.objects.filter(event=AuditEvent.CHILD_VIEWED).exists()


def test_a_record_that_does_not_exist_is_not_found_either(client: Client, world: Any) -> None:
    client.force_login(world.worker)

    assert client.get("/fr/cases/999999/").status_code == 404
    assert client.post("/fr/cases/999999/consent/", {}).status_code == 404
    assert client.get("/fr/cases/children/999999/identify/").status_code == 404


def test_the_owner_and_the_supervisor_do_reach_them(client: Client, world: Any, case: Any) -> None:
    for user in (world.worker, world.supervisor):
        client.force_login(user)
        assert client.get(f"/fr/cases/{case.pk}/").status_code == 200
        assert client.get(f"/fr/cases/children/{case.child_id}/identify/").status_code == 200
