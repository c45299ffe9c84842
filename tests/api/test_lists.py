"""Lists: filters, pages, and the audit entry of each page shown."""

from typing import Any

import pytest

from himaya.audit.events import AuditEvent
from himaya.audit.models import AuditEntry
from himaya.cases import services

pytestmark = pytest.mark.django_db


def test_filters(world: Any, caller: Any) -> None:
    first = world.identify().case
    second = world.identify(sector="agriculture").case
    services.case_assess(actor=world.supervisor, case=second, risk_level="low", assessment="Champ.")
    services.case_assign(actor=world.supervisor, case=first, assignee=world.supervisor)
    api = caller(world.supervisor)

    def ids(**params: Any) -> list[int]:
        response = api.get("/api/cases/", params)
        assert response.status_code == 200, response.json()
        return [item["id"] for item in response.json()["items"]]

    assert ids() == [second.pk, first.pk]
    assert ids(status="assessed") == [second.pk]
    assert ids(sector="agriculture") == [second.pk]
    assert ids(verdict="child_labour") == [second.pk, first.pk]
    assert ids(region=world.region.code, province=world.province.code) == [second.pk, first.pk]
    assert ids(commune=world.commune.code, status="identified") == [first.pk]
    assert ids(region=world.far_commune.region_id) == []
    assert ids(assigned_to_me="true") == [first.pk]
    found = api.post("/api/cases/search", {"q": "El Amrani", "filters": {"status": "assessed"}})
    assert [item["id"] for item in found.json()["items"]] == [second.pk]


def test_pages(world: Any, caller: Any) -> None:
    cases = [world.identify().case for _ in range(5)]
    api = caller(world.worker)
    page = api.get("/api/cases/", {"page": 2, "page_size": 2}).json()
    assert page["count"] == 5 and page["page"] == 2 and page["page_size"] == 2
    assert [item["id"] for item in page["items"]] == [cases[2].pk, cases[1].pk]
    assert api.get("/api/cases/", {"page": 9}).json()["items"] == []
    found = api.post("/api/cases/search", {"q": "youssef", "page": 3, "page_size": 2}).json()
    assert found["count"] == 5 and [item["id"] for item in found["items"]] == [cases[0].pk]


def test_each_page_shown_is_audited_without_the_words_searched(world: Any, caller: Any) -> None:
    case = world.identify().case
    api = caller(world.worker)
    api.get("/api/cases/", {"status": "identified"})
    api.post("/api/cases/search", {"q": "Youssef"})
    entries = AuditEntry.objects.filter(event=AuditEvent.CHILD_LIST_VIEWED).order_by("id")
    assert [e.detail for e in entries] == [
        {"status": "identified", "page": 1, "children": [case.child_id]},
        {"search": True, "page": 1, "children": [case.child_id]},
    ]
    assert all(e.actor == world.worker for e in entries)
    assert "Youssef" not in str(list(AuditEntry.objects.values()))


def test_referral_lists_are_audited_and_filtered(world: Any, caller: Any) -> None:
    case = world.identify().case
    services.case_assess(actor=world.supervisor, case=case, risk_level="low", assessment="Souk.")
    services.case_record_consent(
        actor=world.worker, case=case, child_consent=True, guardian_consent=True
    )
    referral = services.referral_send(
        actor=world.worker, case=case, service="education", provider=world.school
    )
    api = caller(world.provider)
    assert api.get("/api/referrals/", {"status": "sent"}).json()["count"] == 1
    assert api.get("/api/referrals/", {"status": "accepted"}).json()["count"] == 0
    entry = AuditEntry.objects.filter(event=AuditEvent.REFERRAL_LIST_VIEWED).order_by("id").first()
    assert entry is not None and entry.detail["children"] == [case.child_id]
    api.get(f"/api/referrals/{referral.pk}")
    assert AuditEntry.objects.filter(
        event=AuditEvent.REFERRAL_VIEWED, actor=world.provider, child_id=case.child_id
    ).exists()


def test_case_views_are_audited(world: Any, caller: Any) -> None:
    case = world.identify().case
    api = caller(world.worker)
    api.get(f"/api/cases/{case.pk}")
    api.get(f"/api/cases/{case.pk}/timeline")
    assert (
        AuditEntry.objects.filter(
            event=AuditEvent.CASE_VIEWED, actor=world.worker, child_id=case.child_id
        ).count()
        == 2
    )
