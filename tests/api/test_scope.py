"""Scope: a child's record outside a user's scope is "not found", everywhere.

Every endpoint that shows or changes a child is called by users of another
organisation, another territory, a provider (case endpoints), an analyst and an
administrator: each gets 404 (an empty list for lists), the same 404 as for a
record that does not exist, and nothing changes.
"""

from typing import Any

import pytest

from himaya.audit.models import AuditEntry
from himaya.cases import services
from himaya.cases.models import Case, CaseEvent, Observation, Referral

from .conftest import keys_of

pytestmark = pytest.mark.django_db

CASE_OUTSIDERS = [
    "other_org_worker",
    "other_territory_worker",
    "provider",
    "analyst",
    "administrator",
]
REFERRAL_OUTSIDERS = [
    "other_org_worker",
    "other_territory_worker",
    "other_provider",
    "analyst",
    "administrator",
]
NOT_FOUND = {"code": "not_found"}


@pytest.fixture
def referred(world: Any) -> Any:
    """A case assessed, consented and referred to the world's school."""
    case = world.identify().case
    services.case_assess(actor=world.supervisor, case=case, risk_level="low", assessment="Souk.")
    services.case_record_consent(
        actor=world.worker, case=case, child_consent=True, guardian_consent=True
    )
    services.referral_send(
        actor=world.worker, case=case, service="education", provider=world.school
    )
    return case


def case_requests(world: Any, case: Any) -> list[tuple[str, str, Any]]:
    today = services.today().isoformat()
    observation = {"observed_on": today, "economic_hours_week": 0}
    return [
        ("get", f"/api/cases/{case.pk}", None),
        ("get", f"/api/cases/{case.pk}/timeline", None),
        ("post", f"/api/cases/{case.pk}/assess", {"risk_level": "high", "assessment": "x"}),
        ("post", f"/api/cases/{case.pk}/approve-assessment", None),
        (
            "post",
            f"/api/cases/{case.pk}/consent",
            {"child_consent": False, "guardian_consent": False},
        ),
        ("post", f"/api/cases/{case.pk}/assign", {"user_id": world.worker.pk}),
        (
            "post",
            f"/api/cases/{case.pk}/referrals",
            {"service": "social_protection", "provider_id": world.social_protection.pk},
        ),
        (
            "post",
            f"/api/cases/{case.pk}/follow-ups",
            {**observation, "in_school_or_training": True},
        ),
        ("post", f"/api/cases/{case.pk}/start-monitoring", {"note": ""}),
        ("post", f"/api/cases/{case.pk}/request-closure", {"reason": "lost_to_follow_up"}),
        ("post", f"/api/cases/{case.pk}/approve-closure", None),
        ("post", f"/api/cases/{case.pk}/reject-closure", {"note": ""}),
        ("get", f"/api/providers?service=education&case_id={case.pk}", None),
        ("post", "/api/identifications", {"child_id": case.child_id, "observation": observation}),
        (
            "post",
            "/api/identifications/preview",
            {"child_id": case.child_id, "observation": observation},
        ),
    ]


def referral_requests(referral: Any) -> list[tuple[str, str, Any]]:
    return [
        ("get", f"/api/referrals/{referral.pk}", None),
        ("post", f"/api/referrals/{referral.pk}/accept", None),
        ("post", f"/api/referrals/{referral.pk}/refuse", {"reason": "Non."}),
        ("post", f"/api/referrals/{referral.pk}/deliver", {"note": ""}),
    ]


def call(caller: Any, method: str, path: str, body: Any) -> Any:
    return caller.get(path) if method == "get" else caller.post(path, body)


def snapshot() -> tuple[Any, ...]:
    return (
        list(Case.objects.values()),
        list(Referral.objects.values()),
        Observation.objects.count(),
        CaseEvent.objects.count(),
    )


@pytest.mark.parametrize("outsider", CASE_OUTSIDERS)
def test_case_endpoints_are_404_outside_the_scope(
    world: Any, caller: Any, referred: Any, outsider: str
) -> None:
    api = caller(getattr(world, outsider))
    before = snapshot()
    for method, path, body in case_requests(world, referred):
        response = call(api, method, path, body)
        assert response.status_code == 404, (path, response.json())
        assert response.json()["code"] == "not_found", path
    assert snapshot() == before
    # No view of the child was recorded for the outsider.
    assert not AuditEntry.objects.filter(actor=getattr(world, outsider), child_id=referred.child_id)

    for path in ("/api/cases/", "/api/cases/?status=referred"):
        listed = api.get(path).json()
        assert listed["count"] == 0 and listed["items"] == [], path
    searched = api.post("/api/cases/search", {"q": "Youssef"}).json()
    assert searched["count"] == 0 and searched["items"] == []


def test_the_same_requests_work_inside_the_scope(world: Any, caller: Any, referred: Any) -> None:
    """The control: the worker and the supervisor see and change the same case."""
    supervisor = caller(world.supervisor)
    for method, path, body in case_requests(world, referred):
        response = call(supervisor, method, path, body)
        assert response.status_code != 404, (path, response.json())
    assert caller(world.worker).get("/api/cases/").json()["count"] == 1


@pytest.mark.parametrize("outsider", REFERRAL_OUTSIDERS)
def test_referral_endpoints_are_404_outside_the_scope(
    world: Any, caller: Any, referred: Any, outsider: str
) -> None:
    api = caller(getattr(world, outsider))
    referral = referred.referrals.get()
    before = snapshot()
    for method, path, body in referral_requests(referral):
        response = call(api, method, path, body)
        assert response.status_code == 404, (path, response.json())
        assert response.json()["code"] == "not_found"
    assert snapshot() == before
    listed = api.get("/api/referrals/").json()
    assert listed["count"] == 0 and listed["items"] == []


def test_a_record_outside_the_scope_looks_like_one_that_does_not_exist(
    world: Any, caller: Any, referred: Any
) -> None:
    api = caller(world.other_org_worker)
    hidden, absent = api.get(f"/api/cases/{referred.pk}"), api.get("/api/cases/999999")
    assert hidden.status_code == absent.status_code == 404
    assert hidden.json() == absent.json()
    referral = referred.referrals.get()
    hidden, absent = api.get(f"/api/referrals/{referral.pk}"), api.get("/api/referrals/999999")
    assert hidden.json() == absent.json()


def test_the_provider_sees_only_what_it_needs(world: Any, caller: Any, referred: Any) -> None:
    referred.child.household.guardian_cnie = "BE123456"
    referred.child.household.rsu_number = "123456789"
    referred.child.household.save()
    referral = referred.referrals.get()
    api = caller(world.provider)
    detail = api.get(f"/api/referrals/{referral.pk}").json()
    listed = api.get("/api/referrals/").json()
    forbidden = {
        "verdict",
        "rules",
        "citations",
        "hazards",
        "worst_forms",
        "household",
        "guardian_name",
        "guardian_cnie",
        "guardian_phone",
        "rsu_number",
        "massar_code",
        "assessment",
        "risk_level",
        "birth_date",
        "case_status",
    }
    for document in (detail, listed):
        assert not forbidden & keys_of(document)
        text = str(document)
        assert "BE123456" not in text and "123456789" not in text and "child_labour" not in text
    assert detail["child"] == {
        "first_name_ar": "يوسف",
        "family_name_ar": "العمراني",
        "first_name_latin": "Youssef",
        "family_name_latin": "El Amrani",
        "sex": "M",
        "age": 13,
    }
    assert detail["commune"]["code"] == world.commune.code
    assert detail["service"] == "education" and detail["status"] == "sent"


def test_the_caseworkers_see_the_fuller_referral(world: Any, caller: Any, referred: Any) -> None:
    referral = referred.referrals.get()
    detail = caller(world.worker).get(f"/api/referrals/{referral.pk}").json()
    assert detail["audience"] == "casework" and detail["verdict"] == "child_labour"
    assert detail["case_id"] == referred.pk
    assert caller(world.worker).get("/api/referrals/").json()["items"][0]["case_id"] == referred.pk


@pytest.mark.parametrize("user", ["worker", "inspector", "provider", "administrator"])
def test_the_dashboard_is_for_supervisors_and_analysts(world: Any, caller: Any, user: str) -> None:
    world.identify()
    response = caller(getattr(world, user)).get("/api/dashboard")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_the_dashboard_counts_without_names(world: Any, caller: Any) -> None:
    world.identify()
    world.identify(actor=world.other_org_worker)
    own = caller(world.supervisor).get("/api/dashboard").json()
    everyone = caller(world.analyst).get("/api/dashboard").json()
    assert own["total"] == 1 and everyone["total"] == 2
    assert everyone["by_region"] == {world.region.code: 2}
    assert "Youssef" not in str(everyone) and "يوسف" not in str(everyone)
