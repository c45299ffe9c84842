"""Assessment and its approval, assignment, consent."""

from __future__ import annotations

from typing import Any

import pytest

from himaya.accounts.models import Role, User
from himaya.audit.events import AuditEvent
from himaya.audit.models import AuditEntry
from himaya.cases import services
from himaya.cases.models import Case, CaseEvent, CaseStatus
from himaya.core.errors import ApplicationError, InvalidInput


@pytest.fixture
def case(world: Any) -> Case:
    found: Case = world.identify().case
    return found


def entries(event: AuditEvent) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(event=event).order_by("id"))


def last_event(case: Case) -> CaseEvent:
    event = case.events.order_by("id").last()
    assert event is not None
    return event


def snapshot(case: Case) -> tuple[Any, ...]:
    fresh = Case.objects.get(pk=case.pk)
    return (
        fresh.status,
        fresh.risk_level,
        fresh.assessment,
        fresh.assessment_submitted,
        fresh.assigned_to_id,
        fresh.child_consent,
        fresh.guardian_consent,
        CaseEvent.objects.count(),
        AuditEntry.objects.count(),
    )


# --- Assessment ---------------------------------------------------------------------------


def test_a_caseworker_records_an_assessment_for_approval(world: Any, case: Case) -> None:
    services.case_assess(
        actor=world.worker, case=case, risk_level="medium", assessment="  Travaille au souk.  "
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.IDENTIFIED
    assert case.assessment_submitted and case.risk_level == "medium"
    assert case.assessment == "Travaille au souk."
    event = last_event(case)
    assert (event.kind, event.actor, event.detail) == (
        "assessed",
        world.worker,
        {"risk_level": "medium"},
    )
    (entry,) = entries(AuditEvent.CASE_ASSESSED)
    assert (entry.actor, entry.child_id, entry.object_id) == (
        world.worker,
        case.child_id,
        str(case.pk),
    )
    assert entry.detail == {"risk_level": "medium"}  # never the assessment's text
    assert not entries(AuditEvent.CASE_ASSESSMENT_APPROVED)


@pytest.mark.parametrize(
    ("risk_level", "assessment", "errors"),
    [
        ("", "Texte", {"risk_level": [str(services.REQUIRED)]}),
        ("extreme", "Texte", {"risk_level": [services.UNKNOWN_CODE % {"value": "extreme"}]}),
        ("low", "   ", {"assessment": [str(services.REQUIRED)]}),
        (
            "",
            "",
            {"risk_level": [str(services.REQUIRED)], "assessment": [str(services.REQUIRED)]},
        ),
    ],
)
def test_an_incomplete_assessment_is_refused(
    world: Any, case: Case, risk_level: str, assessment: str, errors: dict[str, list[str]]
) -> None:
    before = snapshot(case)
    with pytest.raises(InvalidInput) as invalid:
        services.case_assess(
            actor=world.worker, case=case, risk_level=risk_level, assessment=assessment
        )
    assert invalid.value.errors == errors
    assert snapshot(case) == before


@pytest.mark.parametrize("who", ["provider", "analyst", "administrator"])
def test_only_caseworkers_assess(world: Any, case: Case, who: str) -> None:
    before = snapshot(case)
    with pytest.raises(ApplicationError) as refused:
        services.case_assess(actor=getattr(world, who), case=case, risk_level="low", assessment="x")
    assert refused.value.code == "forbidden" and refused.value.status == 403
    assert snapshot(case) == before


def test_the_supervisor_approves_the_assessment(world: Any, case: Case) -> None:
    services.case_assess(actor=world.worker, case=case, risk_level="high", assessment="Danger.")
    services.case_approve_assessment(actor=world.supervisor, case=case)

    case.refresh_from_db()
    assert case.status == CaseStatus.ASSESSED and not case.assessment_submitted
    event = last_event(case)
    assert (event.kind, event.actor, event.detail) == (
        "status",
        world.supervisor,
        {"from": "identified", "to": "assessed"},
    )
    (approved,) = entries(AuditEvent.CASE_ASSESSMENT_APPROVED)
    assert (approved.actor, approved.child_id, approved.object_id) == (
        world.supervisor,
        case.child_id,
        str(case.pk),
    )
    (changed,) = entries(AuditEvent.CASE_STATUS_CHANGED)
    assert changed.actor == world.supervisor and changed.child_id == case.child_id
    assert changed.detail == {"from": "identified", "to": "assessed"}


@pytest.mark.parametrize("who", ["worker", "inspector", "other_org_worker", "provider", "analyst"])
def test_only_a_supervisor_approves(world: Any, case: Case, who: str) -> None:
    services.case_assess(actor=world.worker, case=case, risk_level="low", assessment="x")
    before = snapshot(case)
    with pytest.raises(ApplicationError) as refused:
        services.case_approve_assessment(actor=getattr(world, who), case=case)
    assert refused.value.code == "role_not_allowed"
    assert snapshot(case) == before


def test_nothing_to_approve_without_a_submitted_assessment(world: Any, case: Case) -> None:
    with pytest.raises(ApplicationError) as refused:
        services.case_approve_assessment(actor=world.supervisor, case=case)
    assert refused.value.code == "no_assessment"
    assert Case.objects.get(pk=case.pk).status == CaseStatus.IDENTIFIED


def test_a_supervisors_own_assessment_is_approved_at_once(world: Any, case: Case) -> None:
    services.case_assess(actor=world.supervisor, case=case, risk_level="low", assessment="x")
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSESSED and not case.assessment_submitted
    assert [e.kind for e in case.events.order_by("id")] == ["opened", "assessed", "status"]
    assert len(entries(AuditEvent.CASE_ASSESSED)) == 1
    assert len(entries(AuditEvent.CASE_ASSESSMENT_APPROVED)) == 1


def test_an_assessed_case_is_not_assessed_or_approved_again(world: Any, case: Case) -> None:
    services.case_assess(actor=world.supervisor, case=case, risk_level="low", assessment="x")
    with pytest.raises(ApplicationError) as refused:
        services.case_assess(actor=world.worker, case=case, risk_level="high", assessment="y")
    assert refused.value.code == "transition_not_allowed"
    with pytest.raises(ApplicationError) as refused:
        services.case_approve_assessment(actor=world.supervisor, case=case)
    assert refused.value.code == "no_assessment"
    assert Case.objects.get(pk=case.pk).risk_level == "low"


def test_a_caseworker_may_revise_an_assessment_before_approval(world: Any, case: Case) -> None:
    services.case_assess(actor=world.worker, case=case, risk_level="low", assessment="x")
    services.case_assess(actor=world.worker, case=case, risk_level="high", assessment="y")
    case.refresh_from_db()
    assert (case.risk_level, case.assessment, case.status) == ("high", "y", "identified")


# --- Assignment ---------------------------------------------------------------------------


@pytest.fixture
def colleague(world: Any) -> User:
    user: User = User.objects.create_user(
        username="colleague",
        role=Role.SOCIAL_WORKER,
        organisation=world.association,
        territory_code=world.region.code,
    )
    return user


def test_a_supervisor_assigns_a_case_to_a_caseworker_of_the_organisation(
    world: Any, case: Case, colleague: User
) -> None:
    services.case_assign(actor=world.supervisor, case=case, assignee=colleague)
    case.refresh_from_db()
    assert case.assigned_to == colleague
    event = last_event(case)
    assert (event.kind, event.actor, event.detail) == (
        "assigned",
        world.supervisor,
        {"to": "colleague"},
    )
    (entry,) = entries(AuditEvent.CASE_ASSIGNED)
    assert (entry.actor, entry.child_id, entry.object_id) == (
        world.supervisor,
        case.child_id,
        str(case.pk),
    )
    assert entry.detail == {"from": world.worker.pk, "to": colleague.pk}


@pytest.mark.parametrize("who", ["worker", "inspector", "provider", "analyst", "administrator"])
def test_only_a_supervisor_assigns(world: Any, case: Case, colleague: User, who: str) -> None:
    before = snapshot(case)
    with pytest.raises(ApplicationError) as refused:
        services.case_assign(actor=getattr(world, who), case=case, assignee=colleague)
    assert refused.value.code == "role_not_allowed" and refused.value.status == 403
    assert snapshot(case) == before


@pytest.mark.parametrize(
    "who", ["other_org_worker", "inspector", "provider", "analyst", "administrator"]
)
def test_the_assignee_must_be_a_caseworker_of_the_cases_organisation(
    world: Any, case: Case, who: str
) -> None:
    before = snapshot(case)
    with pytest.raises(InvalidInput) as invalid:
        services.case_assign(actor=world.supervisor, case=case, assignee=getattr(world, who))
    assert invalid.value.errors == {"assignee": [str(services.ASSIGNEE_INVALID)]}
    assert snapshot(case) == before


def test_the_assignee_must_be_able_to_see_the_case(world: Any, case: Case) -> None:
    # Same organisation, but working in another region: the case would be out of reach.
    with pytest.raises(InvalidInput) as invalid:
        services.case_assign(
            actor=world.supervisor, case=case, assignee=world.other_territory_worker
        )
    assert list(invalid.value.errors) == ["assignee"]
    assert Case.objects.get(pk=case.pk).assigned_to == world.worker


def test_the_assignee_must_be_active(world: Any, case: Case, colleague: User) -> None:
    colleague.is_active = False
    colleague.save()
    with pytest.raises(InvalidInput):
        services.case_assign(actor=world.supervisor, case=case, assignee=colleague)
    assert Case.objects.get(pk=case.pk).assigned_to == world.worker


def test_a_supervisor_may_assign_to_themself(world: Any, case: Case) -> None:
    services.case_assign(actor=world.supervisor, case=case, assignee=world.supervisor)
    assert Case.objects.get(pk=case.pk).assigned_to == world.supervisor


# --- Consent ----------------------------------------------------------------------------------


def test_consent_is_recorded_with_its_date(world: Any, case: Case) -> None:
    services.case_record_consent(
        actor=world.worker, case=case, child_consent=True, guardian_consent=False
    )
    case.refresh_from_db()
    assert case.child_consent and not case.guardian_consent and not case.consent_given
    assert case.consent_recorded_on == services.today()
    event = last_event(case)
    assert (event.kind, event.actor, event.detail) == (
        "consent",
        world.worker,
        {"child": True, "guardian": False},
    )
    (entry,) = entries(AuditEvent.CASE_CONSENT_RECORDED)
    assert (entry.actor, entry.child_id, entry.detail) == (
        world.worker,
        case.child_id,
        {"child": True, "guardian": False},
    )

    services.case_record_consent(
        actor=world.inspector, case=case, child_consent=True, guardian_consent=True
    )
    assert Case.objects.get(pk=case.pk).consent_given


def test_consent_may_be_withdrawn(world: Any, case: Case) -> None:
    services.case_record_consent(
        actor=world.worker, case=case, child_consent=True, guardian_consent=True
    )
    services.case_record_consent(
        actor=world.worker, case=case, child_consent=False, guardian_consent=True
    )
    assert not Case.objects.get(pk=case.pk).consent_given
    assert len(entries(AuditEvent.CASE_CONSENT_RECORDED)) == 2


@pytest.mark.parametrize("who", ["provider", "analyst", "administrator"])
def test_only_caseworkers_record_consent(world: Any, case: Case, who: str) -> None:
    before = snapshot(case)
    with pytest.raises(ApplicationError) as refused:
        services.case_record_consent(
            actor=getattr(world, who), case=case, child_consent=True, guardian_consent=True
        )
    assert refused.value.code == "forbidden"
    assert snapshot(case) == before
