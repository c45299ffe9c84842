"""The whole journey through the services: identify, assess, consent, refer,
accept, deliver, follow up twice, close."""

import datetime
from typing import Any

import pytest

from himaya.audit.events import AuditEvent
from himaya.audit.models import AuditEntry
from himaya.cases import services
from himaya.cases.models import CaseStatus, ReferralStatus
from himaya.core.errors import ApplicationError, InvalidInput


def _follow_up(world: Any, case: Any, on: datetime.date, **fields: Any) -> Any:
    values: dict[str, Any] = {
        "observed_on": on,
        "in_school_or_training": True,
        "economic_hours_week": 0.0,
    }
    values.update(fields)
    return services.follow_up_record(
        actor=world.worker, case=case, observation=services.ObservationIn(**values)
    )


def test_the_whole_journey(world: Any) -> None:
    result = world.identify()
    case = result.case
    assert result.classification.verdict == "child_labour"
    assert case is not None and case.status == CaseStatus.IDENTIFIED
    assert result.observation.citations and result.observation.rules == ["ma.below_minimum_age"]

    services.case_assess(
        actor=world.worker, case=case, risk_level="medium", assessment="Travaille au souk."
    )
    assert case.status == CaseStatus.IDENTIFIED and case.assessment_submitted
    services.case_approve_assessment(actor=world.supervisor, case=case)
    assert case.status == CaseStatus.ASSESSED

    with pytest.raises(ApplicationError):
        services.referral_send(
            actor=world.worker, case=case, service="education", provider=world.school
        )
    services.case_record_consent(
        actor=world.worker, case=case, child_consent=True, guardian_consent=True
    )
    referral = services.referral_send(
        actor=world.worker, case=case, service="education", provider=world.school
    )
    assert case.status == CaseStatus.REFERRED
    services.referral_send(
        actor=world.worker, case=case, service="social_protection", provider=world.social_protection
    )

    with pytest.raises(ApplicationError):
        services.referral_accept(actor=world.other_provider, referral=referral)
    services.referral_accept(actor=world.provider, referral=referral)
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_REMEDIATION
    services.referral_deliver(actor=world.provider, referral=referral)
    case.refresh_from_db()
    assert referral.status == ReferralStatus.DELIVERED
    assert case.status == CaseStatus.MONITORING
    assert case.next_follow_up_on is not None

    today = services.today()
    _follow_up(world, case, today - datetime.timedelta(days=31))
    with pytest.raises(InvalidInput):  # only one good follow-up so far
        services.case_request_closure(actor=world.worker, case=case, reason="out_of_child_labour")
    _follow_up(world, case, today)
    services.case_request_closure(actor=world.worker, case=case, reason="out_of_child_labour")
    assert case.status == CaseStatus.MONITORING
    services.case_approve_closure(actor=world.supervisor, case=case)
    assert case.status == CaseStatus.CLOSED and case.closure_reason == "out_of_child_labour"

    events = set(AuditEntry.objects.filter(child_id=case.child_id).values_list("event", flat=True))
    assert {AuditEvent.CHILD_CREATED, AuditEvent.CASE_OPENED, AuditEvent.CASE_CLOSED} <= events
    assert [e.kind for e in case.events.all()][0] == "opened"


def test_follow_ups_less_than_30_days_apart_do_not_allow_closure(world: Any) -> None:
    case = world.identify().case
    today = services.today()
    _follow_up(world, case, today - datetime.timedelta(days=29))
    _follow_up(world, case, today)
    with pytest.raises(InvalidInput):
        services.case_request_closure(actor=world.worker, case=case, reason="out_of_child_labour")


def test_bad_identification_saves_nothing(world: Any) -> None:
    from himaya.cases.models import Child, Household, Observation

    with pytest.raises(InvalidInput) as raised:
        world.identify(economic_hours_week=-3.0, sector="space")
    assert set(raised.value.errors) >= {"sector"}
    assert not Child.objects.exists() and not Household.objects.exists()
    assert not Observation.objects.exists()
