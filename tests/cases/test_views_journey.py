"""The whole journey through the pages, as the caseworkers click through it: identify,
assess, approve, consent, refer, (the provider accepts), follow up twice, request the
closure, approve it."""

from __future__ import annotations

import datetime
from typing import Any

from django.test import Client

from himaya.audit.events import AuditEvent
from himaya.audit.models import AuditEntry
from himaya.cases import services
from himaya.cases.models import Case, CaseStatus, Referral


def _post(client: Client, url: str, data: dict[str, Any]) -> str:
    """Post one form; it must succeed and lead back to a page that says so."""
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="message message--success"' in html
    return str(response["Location"])


def _follow_up(on: datetime.date) -> dict[str, str]:
    return {
        "follow_up-observed_on": on.isoformat(),
        "follow_up-place": "École",
        "follow_up-economic_hours_week": "0",
        "follow_up-chores_hours_week": "5",
        "follow_up-in_school_or_training": "yes",
    }


def test_the_whole_journey_through_the_pages(world: Any) -> None:
    worker, supervisor = Client(), Client()
    worker.force_login(world.worker)
    supervisor.force_login(world.supervisor)
    today = services.today()

    # Identify: preview first, then save.
    identification = {
        "region": world.region.code,
        "province": world.province.code,
        "commune": world.commune.code,
        "guardian_name": "Fatima Amrani",
        "first_name_ar": "يوسف",
        "family_name_ar": "العمراني",
        "first_name_latin": "Youssef",
        "family_name_latin": "El Amrani",
        "sex": "M",
        "birth_date": (today - datetime.timedelta(days=13 * 366)).isoformat(),
        "observed_on": (today - datetime.timedelta(days=70)).isoformat(),
        "economic_hours_week": "25",
        "sector": "trade",
    }
    preview = worker.post(
        "/fr/cases/identify/preview/", identification, headers={"HX-Request": "true"}
    )
    assert "Code du travail art. 143" in preview.content.decode()
    assert not Case.objects.exists()
    location = _post(worker, "/fr/cases/identify/", identification)
    case = Case.objects.get()
    assert location == f"/fr/cases/{case.pk}/"
    page = f"/fr/cases/{case.pk}/"

    # The case is in the worker's list.
    assert page in worker.get("/fr/cases/?status=identified").content.decode()

    # Assess, then the supervisor approves.
    _post(
        worker,
        f"{page}assess/",
        {"assess-risk_level": "medium", "assess-assessment": "Porte des caisses au souk."},
    )
    _post(supervisor, f"{page}assessment/approve/", {})
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSESSED

    # Consent, then refer to the school chosen among the providers of the service.
    _post(
        worker, f"{page}consent/", {"consent-child_consent": "on", "consent-guardian_consent": "on"}
    )
    options = worker.get(f"{page}providers/", {"refer-service": "education"}).content.decode()
    assert world.school.name in options
    _post(
        worker,
        f"{page}refer/",
        {
            "refer-service": "education",
            "refer-provider": str(world.school.pk),
            "refer-note": "Réinscription en 6e.",
        },
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.REFERRED

    # The provider accepts (its own pages belong to the workspace; here, the service).
    services.referral_accept(actor=world.provider, referral=Referral.objects.get())
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_REMEDIATION

    # Two good follow-up visits, 31 days apart.
    _post(worker, f"{page}follow-up/", _follow_up(today - datetime.timedelta(days=31)))
    _post(worker, f"{page}follow-up/", _follow_up(today))

    # The worker requests the closure; the supervisor approves it.
    _post(worker, f"{page}closure/request/", {"closure-reason": "out_of_child_labour"})
    case.refresh_from_db()
    assert case.closure_requested_reason == "out_of_child_labour" and case.is_open
    review = supervisor.get(page).content.decode()
    assert 'id="panel-approve_closure"' in review
    _post(supervisor, f"{page}closure/approve/", {})

    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.closure_reason == "out_of_child_labour"
    html = worker.get(page).content.decode()
    # Every step is on the timeline, and the stepper ends on "closed".
    for kind in ("opened", "assessed", "consent", "referral_sent", "follow_up", "closed"):
        assert case.events.filter(kind=kind).exists(), kind
    assert 'stepper__step--current" aria-current="step"' in html
    assert html.count("stepper__step--done") == 5
    assert 'id="panel-' not in html  # a closed case offers no action
    events = set(AuditEntry.objects.filter(child_id=case.child_id).values_list("event", flat=True))
    assert {
        AuditEvent.CHILD_CREATED,
        AuditEvent.CASE_OPENED,
        AuditEvent.CASE_VIEWED,
        AuditEvent.CASE_ASSESSED,
        AuditEvent.CASE_CONSENT_RECORDED,
        AuditEvent.REFERRAL_SENT,
        AuditEvent.FOLLOW_UP_RECORDED,
        AuditEvent.CASE_CLOSURE_REQUESTED,
        AuditEvent.CASE_CLOSED,
    } <= events
