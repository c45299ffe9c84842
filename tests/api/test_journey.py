"""The whole journey through the API: identify, assess, approve, consent, refer,
the provider accepts and delivers, two follow-ups a month apart, closure."""

import datetime
from typing import Any

from himaya.cases import services
from himaya.cases.models import Case, CaseStatus

from .conftest import keys_of


def identification_body(world: Any, **observation: Any) -> dict[str, Any]:
    born = services.today() - datetime.timedelta(days=13 * 366)
    return {
        "household": {"commune": world.commune.code, "guardian_name": "Fatima Amrani"},
        "child": {
            "first_name_ar": "يوسف",
            "family_name_ar": "العمراني",
            "first_name_latin": "Youssef",
            "family_name_latin": "El Amrani",
            "sex": "M",
            "birth_date": born.isoformat(),
        },
        "observation": {
            "observed_on": services.today().isoformat(),
            "economic_hours_week": 20,
            "sector": "trade",
            **observation,
        },
    }


def follow_up_body(on: datetime.date) -> dict[str, Any]:
    return {"observed_on": on.isoformat(), "economic_hours_week": 0, "in_school_or_training": True}


def test_the_whole_journey(world: Any, caller: Any) -> None:
    worker, supervisor, provider = (
        caller(world.worker),
        caller(world.supervisor),
        caller(world.provider),
    )

    # Identify: the child is registered, classified, and a case opened.
    response = worker.post("/api/identifications", identification_body(world))
    assert response.status_code == 201, response.json()
    found = response.json()
    assert found["verdict"] == "child_labour"
    assert found["rules"] == ["ma.below_minimum_age"] and found["citations"]
    assert found["explanation"] and found["verdict_label"]
    case_id = found["case_id"]
    assert case_id is not None

    listed = worker.get("/api/cases/").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == case_id
    assert listed["items"][0]["child"]["first_name_latin"] == "Youssef"

    detail = worker.get(f"/api/cases/{case_id}").json()
    assert detail["status"] == "identified" and detail["verdict"] == "child_labour"
    assert detail["citations"] == found["citations"]
    assert detail["child"]["first_name_ar"] == "يوسف" and detail["child"]["age"] == 13
    assert len(detail["observations"]) == 1 and detail["assigned_to"]["username"] == "worker"

    # Assessment, recorded by the worker, approved by the supervisor.
    response = worker.post(
        f"/api/cases/{case_id}/assess", {"risk_level": "medium", "assessment": "Travaille au souk."}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["assessment_submitted"] and response.json()["status"] == "identified"
    response = supervisor.post(f"/api/cases/{case_id}/approve-assessment")
    assert response.json()["status"] == "assessed"

    # Assignment and consent.
    response = supervisor.post(f"/api/cases/{case_id}/assign", {"user_id": world.worker.pk})
    assert response.status_code == 200 and response.json()["assigned_to"]["id"] == world.worker.pk
    response = worker.post(
        f"/api/cases/{case_id}/consent", {"child_consent": True, "guardian_consent": True}
    )
    assert response.json()["child_consent"] and response.json()["guardian_consent"]

    # Referral to a school found in the directory.
    providers = worker.get("/api/providers", {"service": "education", "case_id": case_id}).json()
    assert world.school.pk in [p["id"] for p in providers]
    assert world.far_school.pk not in [p["id"] for p in providers]
    response = worker.post(
        f"/api/cases/{case_id}/referrals",
        {"service": "education", "provider_id": world.school.pk, "note": "Niveau CE6."},
    )
    assert response.status_code == 201, response.json()
    referral_id = response.json()["id"]
    assert response.json()["case_status"] == "referred"

    # The provider sees it, without the verdict or the household, and answers.
    inbox = provider.get("/api/referrals/").json()
    assert inbox["count"] == 1 and inbox["items"][0]["id"] == referral_id
    assert inbox["items"][0]["case_id"] is None
    seen = provider.get(f"/api/referrals/{referral_id}").json()
    assert seen["audience"] == "provider" and seen["child"]["first_name_latin"] == "Youssef"
    assert seen["referring_organisation"]["name"] == "Association Amal"
    assert not {"verdict", "hazards", "household", "assessment", "case_id"} & keys_of(seen)
    response = provider.post(f"/api/referrals/{referral_id}/accept")
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    assert worker.get(f"/api/cases/{case_id}").json()["status"] == "in_remediation"
    response = provider.post(f"/api/referrals/{referral_id}/deliver", {"note": "Inscrit."})
    assert response.json()["status"] == "delivered"
    detail = worker.get(f"/api/cases/{case_id}").json()
    assert detail["status"] == "monitoring" and detail["next_follow_up_on"] is not None
    assert detail["referrals"][0]["status"] == "delivered"

    # Two good follow-ups at least 30 days apart; then closure.
    today = services.today()
    response = worker.post(
        f"/api/cases/{case_id}/follow-ups", follow_up_body(today - datetime.timedelta(days=31))
    )
    assert response.status_code == 201, response.json()
    assert response.json()["verdict"] == "not_working"
    response = worker.post(
        f"/api/cases/{case_id}/request-closure", {"reason": "out_of_child_labour"}
    )
    assert response.status_code == 422 and "reason" in response.json()["errors"]
    assert worker.post(f"/api/cases/{case_id}/follow-ups", follow_up_body(today)).status_code == 201

    response = worker.post(
        f"/api/cases/{case_id}/request-closure", {"reason": "out_of_child_labour", "note": "OK"}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["closure_requested_reason"] == "out_of_child_labour"
    assert response.json()["status"] == "monitoring"
    response = supervisor.post(f"/api/cases/{case_id}/approve-closure")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "closed"
    assert response.json()["closure_reason"] == "out_of_child_labour"
    assert Case.objects.get(pk=case_id).status == CaseStatus.CLOSED

    timeline = worker.get(f"/api/cases/{case_id}/timeline").json()
    kinds = [event["kind"] for event in timeline]
    assert kinds[0] == "opened" and kinds[-1] == "closed"
    assert {"assessed", "consent", "referral_sent", "referral_delivered", "follow_up"} <= set(kinds)

    counts = supervisor.get("/api/dashboard").json()
    assert counts["total"] == 1 and counts["by_status"] == {"closed": 1}


def test_a_rejected_closure_and_a_refused_referral(world: Any, caller: Any) -> None:
    worker, supervisor = caller(world.worker), caller(world.supervisor)
    case = world.identify().case
    services.case_assess(actor=world.supervisor, case=case, risk_level="low", assessment="Souk.")
    services.case_record_consent(
        actor=world.worker, case=case, child_consent=True, guardian_consent=True
    )
    referral = services.referral_send(
        actor=world.worker, case=case, service="education", provider=world.school
    )
    response = caller(world.provider).post(
        f"/api/referrals/{referral.pk}/refuse", {"reason": "Plus de places."}
    )
    assert response.status_code == 200 and response.json()["status"] == "refused"
    full = worker.get(f"/api/referrals/{referral.pk}").json()
    assert full["audience"] == "casework" and full["refusal_reason"] == "Plus de places."
    assert full["verdict"] == "child_labour" and full["case_id"] == case.pk

    response = worker.post(f"/api/cases/{case.pk}/request-closure", {"reason": "lost_to_follow_up"})
    assert response.json()["closure_requested_reason"] == "lost_to_follow_up"
    response = supervisor.post(f"/api/cases/{case.pk}/reject-closure", {"note": "Retenter."})
    assert response.status_code == 200 and response.json()["closure_requested_reason"] == ""
    # A second identification of the same child updates its open case.
    response = worker.post(
        "/api/identifications",
        {
            "child_id": case.child_id,
            "observation": {"observed_on": services.today().isoformat(), "economic_hours_week": 30},
        },
    )
    assert response.status_code == 201 and response.json()["case_id"] == case.pk
    preview = worker.post(
        "/api/identifications/preview",
        {"child_id": case.child_id, "observation": {"observed_on": services.today().isoformat()}},
    )
    assert preview.status_code == 200 and preview.json()["verdict"]
