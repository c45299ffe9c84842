"""Closing a case as "moved" through the API: the commune is named with the receiving
organisation, and the supervisor's approval opens the case there."""

from typing import Any

import pytest
from tests.cases.conftest import Receiving, make_receiving

from himaya.audit.events import AuditEvent
from himaya.audit.models import AuditEntry
from himaya.cases import services
from himaya.cases.models import Case, CaseStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiving(world: Any) -> Receiving:
    return make_receiving(world)


def test_the_closure_endpoint_names_the_commune_and_approval_transfers(
    world: Any, caller: Any, receiving: Receiving
) -> None:
    case = world.identify().case
    worker, supervisor = caller(world.worker, "en"), caller(world.supervisor, "en")
    path = f"/api/cases/{case.pk}/request-closure"
    moved = {"reason": "moved", "transferred_to_id": receiving.organisation.pk}

    response = worker.post(path, {**moved, "transferred_commune": world.commune.code})
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "transferred_commune": [
            "This commune is outside the territory of Association Tilila: "
            "choose a commune it serves."
        ]
    }

    response = worker.post(path, {**moved, "transferred_commune": receiving.commune.code})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "identified" and body["closure_requested_reason"] == "moved"
    assert body["transferred_commune_id"] == receiving.commune.code
    assert not Case.objects.filter(transferred_from=case).exists()

    response = supervisor.post(f"/api/cases/{case.pk}/approve-closure")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == CaseStatus.CLOSED and body["closure_reason"] == "moved"
    assert body["transferred_to_id"] == receiving.organisation.pk
    assert body["transferred_from_id"] is None

    new = Case.objects.get(transferred_from=case)
    assert (new.organisation, new.commune, new.status) == (
        receiving.organisation,
        receiving.commune,
        CaseStatus.IDENTIFIED,
    )
    timeline = supervisor.get(f"/api/cases/{case.pk}/timeline").json()
    assert timeline[-1]["kind"] == "transferred_to"
    assert "case" not in timeline[-1]["detail"]

    # The receiving organisation reads the new case, with where it came from.
    for user in (receiving.worker, receiving.supervisor):
        api = caller(user, "en")
        detail = api.get(f"/api/cases/{new.pk}")
        assert detail.status_code == 200
        shown = detail.json()
        assert shown["transferred_from_id"] == case.pk
        assert shown["transferred_from_organisation"] == {
            "id": world.association.pk,
            "name": "Association Amal",
            "name_ar": "",
        }
        assert shown["assigned_to"] is None and shown["commune"]["code"] == receiving.commune.code
        assert [o["kind"] for o in shown["observations"]] == ["identification"]
        assert shown["referrals"] == [] and shown["assessment"] == ""
        listed = api.get("/api/cases/").json()
        assert [item["id"] for item in listed["items"]] == [new.pk]
        assert api.get(f"/api/cases/{case.pk}").status_code == 404
        assert api.get(f"/api/cases/{case.pk}/timeline").status_code == 404

    # The sender: its closed case only.
    for user in (world.worker, world.supervisor):
        api = caller(user, "en")
        assert api.get(f"/api/cases/{case.pk}").status_code == 200
        assert api.get(f"/api/cases/{new.pk}").status_code == 404
        assert [item["id"] for item in api.get("/api/cases/").json()["items"]] == [case.pk]

    assert AuditEntry.objects.filter(
        event=AuditEvent.CASE_OPENED, object_id=str(new.pk), actor=world.supervisor
    ).exists()


def test_a_supervisors_own_request_transfers_at_once(
    world: Any, caller: Any, receiving: Receiving
) -> None:
    case = world.identify().case
    response = caller(world.supervisor).post(
        f"/api/cases/{case.pk}/request-closure",
        {
            "reason": "moved",
            "transferred_to_id": receiving.organisation.pk,
            "transferred_commune": receiving.commune.code,
            "note": "Parti à Tétouan.",
        },
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "closed"
    new = Case.objects.get(transferred_from=case)
    assert new.organisation == receiving.organisation and new.opened_on == services.today()
