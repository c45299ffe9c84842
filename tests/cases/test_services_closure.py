"""Closure: the four reasons and their rules, request, approval, rejection, and a
closed case refusing every further action."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import LazySettings

from himaya.accounts.models import Organisation, OrganisationKind
from himaya.audit.events import AuditEvent
from himaya.audit.models import AuditEntry
from himaya.cases import services
from himaya.cases.models import Case, CaseEvent, CaseStatus, Observation, Referral
from himaya.core.errors import ApplicationError, InvalidInput


def years_ago(years: int, days: int = 0) -> datetime.date:
    today = services.today()
    try:
        day = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        day = today.replace(year=today.year - years, day=28)
    return day - datetime.timedelta(days=days)


@pytest.fixture
def case(world: Any) -> Case:
    found: Case = world.identify(observed_on=services.today() - datetime.timedelta(days=300)).case
    return found


def follow_up(world: Any, case: Case, days_ago: int, **fields: Any) -> Observation:
    values: dict[str, Any] = {
        "observed_on": services.today() - datetime.timedelta(days=days_ago),
        "economic_hours_week": 0.0,
        "in_school_or_training": True,
    }
    values.update(fields)
    return services.follow_up_record(
        actor=world.worker, case=case, observation=services.ObservationIn(**values)
    )


def request(world: Any, case: Case, reason: str, actor: Any = None, **kwargs: Any) -> Case:
    return services.case_request_closure(
        actor=actor or world.worker, case=case, reason=reason, **kwargs
    )


def state(case: Case) -> tuple[Any, ...]:
    fresh = Case.objects.get(pk=case.pk)
    return (
        fresh.status,
        fresh.closure_requested_reason,
        fresh.closure_reason,
        fresh.closed_on,
        fresh.transferred_to_id,
        CaseEvent.objects.count(),
        AuditEntry.objects.count(),
    )


def not_out_yet(settings: Any) -> str:
    return services.NOT_OUT_YET % {
        "required": settings.HIMAYA_CLOSURE_FOLLOW_UPS,
        "days": settings.HIMAYA_CLOSURE_MIN_DAYS_APART,
    }


def refused(world: Any, case: Case, reason: str, field: str, message: Any, **kwargs: Any) -> None:
    before = state(case)
    with pytest.raises(InvalidInput) as invalid:
        request(world, case, reason, **kwargs)
    assert invalid.value.errors == {field: [str(message)]}
    assert state(case) == before


# --- Out of child labour ------------------------------------------------------------------


def test_two_good_visits_31_days_apart_allow_closure(world: Any, case: Case) -> None:
    follow_up(world, case, 31)
    follow_up(world, case, 0)
    assert services.closure_rule_met(case)
    request(world, case, "out_of_child_labour", note="  Scolarisé.  ")
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.closure_requested_reason == "out_of_child_labour"
    assert fresh.closure_requested_note == "Scolarisé."
    assert fresh.status != CaseStatus.CLOSED


def test_exactly_30_days_apart_is_enough(world: Any, case: Case) -> None:
    follow_up(world, case, 30)
    follow_up(world, case, 0)
    request(world, case, "out_of_child_labour")
    assert Case.objects.get(pk=case.pk).closure_requested_reason == "out_of_child_labour"


def test_29_days_apart_is_not_enough(world: Any, case: Case, settings: LazySettings) -> None:
    follow_up(world, case, 29)
    follow_up(world, case, 0)
    refused(world, case, "out_of_child_labour", "reason", not_out_yet(settings))


def test_one_good_visit_is_not_enough(world: Any, case: Case, settings: LazySettings) -> None:
    follow_up(world, case, 0)
    refused(world, case, "out_of_child_labour", "reason", not_out_yet(settings))


def test_a_bad_last_visit_is_refused(world: Any, case: Case, settings: LazySettings) -> None:
    follow_up(world, case, 90)
    follow_up(world, case, 45)
    follow_up(world, case, 0, economic_hours_week=20.0, sector="trade")
    refused(world, case, "out_of_child_labour", "reason", not_out_yet(settings))


def test_a_last_visit_out_of_school_is_refused(
    world: Any, case: Case, settings: LazySettings
) -> None:
    follow_up(world, case, 60)
    follow_up(world, case, 0, in_school_or_training=False)
    refused(world, case, "out_of_child_labour", "reason", not_out_yet(settings))


def test_insufficient_information_is_refused(
    world: Any, case: Case, settings: LazySettings
) -> None:
    follow_up(world, case, 60)
    last = follow_up(world, case, 0, economic_hours_week=None)
    assert last.verdict == "insufficient_information"
    refused(world, case, "out_of_child_labour", "reason", not_out_yet(settings))


def test_identification_observations_do_not_count_as_follow_ups(
    world: Any, case: Case, settings: LazySettings
) -> None:
    # A second identification finding the child not working is not a follow-up.
    services.identification_record(
        actor=world.worker,
        existing_child=case.child,
        observation=services.ObservationIn(
            observed_on=services.today() - datetime.timedelta(days=40),
            economic_hours_week=0.0,
            in_school_or_training=True,
        ),
    )
    follow_up(world, case, 0)
    refused(world, case, "out_of_child_labour", "reason", not_out_yet(settings))


def test_the_number_of_visits_is_configurable(
    world: Any, case: Case, settings: LazySettings
) -> None:
    settings.HIMAYA_CLOSURE_FOLLOW_UPS = 3
    follow_up(world, case, 31)
    follow_up(world, case, 0)
    refused(world, case, "out_of_child_labour", "reason", not_out_yet(settings))
    assert "3" in not_out_yet(settings)
    follow_up(world, case, 62)
    request(world, case, "out_of_child_labour")
    assert Case.objects.get(pk=case.pk).closure_requested_reason == "out_of_child_labour"


def test_the_days_apart_are_configurable(world: Any, case: Case, settings: LazySettings) -> None:
    follow_up(world, case, 12)
    follow_up(world, case, 0)
    refused(world, case, "out_of_child_labour", "reason", not_out_yet(settings))
    settings.HIMAYA_CLOSURE_MIN_DAYS_APART = 10
    request(world, case, "out_of_child_labour")
    assert Case.objects.get(pk=case.pk).closure_requested_reason == "out_of_child_labour"


def test_the_rule_is_checked_again_at_approval(world: Any, case: Case) -> None:
    follow_up(world, case, 31)
    follow_up(world, case, 1)
    request(world, case, "out_of_child_labour")
    follow_up(world, case, 0, economic_hours_week=20.0, sector="trade")
    before = state(case)
    with pytest.raises(InvalidInput):
        services.case_approve_closure(actor=world.supervisor, case=case)
    assert state(case) == before


# --- The other reasons ----------------------------------------------------------------------


def test_turned_18_only_once_the_child_is_18(world: Any, case: Case) -> None:
    refused(world, case, "turned_18", "reason", services.NOT_18_YET)


def _case_of_child_born(world: Any, born: datetime.date) -> Case:
    result = services.identification_record(
        actor=world.worker,
        household=services.HouseholdIn(commune=world.commune.code, guardian_name="Fatima"),
        child=services.ChildIn(
            first_name_ar="يوسف",
            family_name_ar="العمراني",
            first_name_latin="Youssef",
            family_name_latin="El Amrani",
            sex="M",
            birth_date=born,
        ),
        observation=services.ObservationIn(
            observed_on=services.today() - datetime.timedelta(days=60),
            economic_hours_week=30.0,
            sector="construction",
            hazards=["heights"],
        ),
    )
    assert result.case is not None
    return result.case


def test_turned_18_on_the_birthday(world: Any) -> None:
    eve = _case_of_child_born(world, years_ago(18, -1))  # 18 tomorrow
    refused(world, eve, "turned_18", "reason", services.NOT_18_YET)
    adult = _case_of_child_born(world, years_ago(18))  # 18 today
    request(world, adult, "turned_18", actor=world.supervisor)
    adult.refresh_from_db()
    assert adult.status == CaseStatus.CLOSED and adult.closure_reason == "turned_18"


def test_moved_needs_the_receiving_organisation(world: Any, case: Case) -> None:
    refused(world, case, "moved", "transferred_to", services.TRANSFER_REQUIRED)


@pytest.mark.parametrize("provider", ["school", "social_protection", "training_centre"])
def test_moved_to_a_provider_is_refused(world: Any, case: Case, provider: str) -> None:
    refused(
        world,
        case,
        "moved",
        "transferred_to",
        services.TRANSFER_REQUIRED,
        transferred_to=getattr(world, provider),
    )


def test_moved_to_an_inactive_organisation_or_to_its_own_is_refused(world: Any, case: Case) -> None:
    gone = Organisation.objects.create(
        name="Association dissoute",
        kind=OrganisationKind.ASSOCIATION,
        territory_code=world.region.code,
        active=False,
    )
    for organisation in (gone, world.association):
        refused(
            world,
            case,
            "moved",
            "transferred_to",
            services.TRANSFER_REQUIRED,
            transferred_to=organisation,
        )


def test_moved_to_a_casework_organisation(world: Any, case: Case) -> None:
    request(world, case, "moved", transferred_to=world.other_association)
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.transferred_to == world.other_association
    services.case_approve_closure(actor=world.supervisor, case=fresh)
    fresh.refresh_from_db()
    assert fresh.status == CaseStatus.CLOSED and fresh.closure_reason == "moved"
    assert fresh.transferred_to == world.other_association


def test_the_receiving_organisation_is_kept_only_for_a_move(world: Any, case: Case) -> None:
    request(world, case, "lost_to_follow_up", transferred_to=world.other_association)
    assert Case.objects.get(pk=case.pk).transferred_to is None


def test_lost_to_follow_up_needs_nothing_else(world: Any, case: Case) -> None:
    request(world, case, "lost_to_follow_up")
    assert Case.objects.get(pk=case.pk).closure_requested_reason == "lost_to_follow_up"


@pytest.mark.parametrize("reason", ["", "bored"])
def test_an_unknown_reason_is_refused(world: Any, case: Case, reason: str) -> None:
    message = services.REQUIRED if not reason else services.UNKNOWN_CODE % {"value": reason}
    refused(world, case, reason, "reason", message)


# --- Request, approval, rejection -------------------------------------------------------------


def test_a_caseworkers_request_waits_for_the_supervisor(world: Any, case: Case) -> None:
    request(world, case, "lost_to_follow_up")
    case.refresh_from_db()
    assert case.status == CaseStatus.IDENTIFIED and case.closed_on is None
    (requested,) = AuditEntry.objects.filter(event=AuditEvent.CASE_CLOSURE_REQUESTED)
    assert (requested.actor, requested.child_id, requested.object_id, requested.detail) == (
        world.worker,
        case.child_id,
        str(case.pk),
        {"reason": "lost_to_follow_up"},
    )
    last = case.events.order_by("id").last()
    assert last is not None and (last.kind, last.actor, last.detail) == (
        "closure_requested",
        world.worker,
        {"reason": "lost_to_follow_up"},
    )
    assert not AuditEntry.objects.filter(event=AuditEvent.CASE_CLOSED).exists()

    services.case_approve_closure(actor=world.supervisor, case=case)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.closure_reason == "lost_to_follow_up" and case.closed_on == services.today()
    assert case.closure_requested_reason == "" and case.next_follow_up_on is None
    (closed,) = AuditEntry.objects.filter(event=AuditEvent.CASE_CLOSED)
    assert (closed.actor, closed.child_id, closed.detail) == (
        world.supervisor,
        case.child_id,
        {"reason": "lost_to_follow_up"},
    )
    changed = AuditEntry.objects.filter(event=AuditEvent.CASE_STATUS_CHANGED).latest("id")
    assert changed.detail == {"from": "identified", "to": "closed"}
    assert [e.kind for e in case.events.order_by("id")][-2:] == ["status", "closed"]


@pytest.mark.parametrize("who", ["worker", "inspector", "provider", "analyst"])
def test_only_a_supervisor_approves_a_closure(world: Any, case: Case, who: str) -> None:
    request(world, case, "lost_to_follow_up")
    before = state(case)
    with pytest.raises(ApplicationError) as refused_:
        services.case_approve_closure(actor=getattr(world, who), case=case)
    assert refused_.value.code == "role_not_allowed"
    assert state(case) == before


def test_a_supervisors_request_closes_at_once(world: Any, case: Case) -> None:
    follow_up(world, case, 40)
    follow_up(world, case, 0)
    request(world, case, "out_of_child_labour", actor=world.supervisor)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closure_reason == "out_of_child_labour"
    assert AuditEntry.objects.filter(event=AuditEvent.CASE_CLOSURE_REQUESTED).count() == 1
    assert AuditEntry.objects.filter(event=AuditEvent.CASE_CLOSED).count() == 1


def test_nothing_to_approve_or_reject_without_a_request(world: Any, case: Case) -> None:
    calls: list[Callable[[], Any]] = [
        lambda: services.case_approve_closure(actor=world.supervisor, case=case),
        lambda: services.case_reject_closure(actor=world.supervisor, case=case),
    ]
    for call in calls:
        with pytest.raises(ApplicationError) as refused_:
            call()
        assert refused_.value.code == "no_closure_requested"


def test_the_supervisor_rejects_a_closure(world: Any, case: Case) -> None:
    request(world, case, "moved", transferred_to=world.other_association)
    services.case_reject_closure(actor=world.supervisor, case=case, note="  Encore là.  ")
    case.refresh_from_db()
    assert case.status == CaseStatus.IDENTIFIED
    assert case.closure_requested_reason == "" and case.transferred_to is None
    (rejected,) = AuditEntry.objects.filter(event=AuditEvent.CASE_CLOSURE_REJECTED)
    assert (rejected.actor, rejected.child_id, rejected.detail) == (
        world.supervisor,
        case.child_id,
        {"reason": "moved"},
    )
    last = case.events.order_by("id").last()
    assert last is not None and last.kind == "closure_rejected"
    assert last.detail == {"reason": "moved", "note": "Encore là."}
    with pytest.raises(ApplicationError):
        services.case_approve_closure(actor=world.supervisor, case=case)


@pytest.mark.parametrize("who", ["worker", "inspector", "provider"])
def test_only_a_supervisor_rejects_a_closure(world: Any, case: Case, who: str) -> None:
    request(world, case, "lost_to_follow_up")
    before = state(case)
    with pytest.raises(ApplicationError) as refused_:
        services.case_reject_closure(actor=getattr(world, who), case=case)
    assert refused_.value.code == "role_not_allowed"
    assert state(case) == before


@pytest.mark.parametrize("who", ["provider", "analyst", "administrator"])
def test_only_caseworkers_request_closure(world: Any, case: Case, who: str) -> None:
    before = state(case)
    with pytest.raises(ApplicationError) as refused_:
        request(world, case, "lost_to_follow_up", actor=getattr(world, who))
    assert refused_.value.code == "forbidden"
    assert state(case) == before


@pytest.mark.parametrize(
    "status",
    [CaseStatus.ASSESSED, CaseStatus.REFERRED, CaseStatus.IN_REMEDIATION, CaseStatus.MONITORING],
)
def test_a_case_closes_from_every_open_status(world: Any, case: Case, status: str) -> None:
    Case.objects.filter(pk=case.pk).update(status=status)
    case.refresh_from_db()
    request(world, case, "lost_to_follow_up", actor=world.supervisor)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CLOSED


# --- A closed case refuses everything ---------------------------------------------------------


@pytest.fixture
def closed(world: Any) -> tuple[Case, Referral, Referral]:
    """A closed case with one referral still unanswered and one accepted."""
    case = world.identify().case
    services.case_assess(actor=world.supervisor, case=case, risk_level="low", assessment="x")
    services.case_record_consent(
        actor=world.worker, case=case, child_consent=True, guardian_consent=True
    )
    sent = services.referral_send(
        actor=world.worker, case=case, service="education", provider=world.school
    )
    accepted = services.referral_send(
        actor=world.worker, case=case, service="education", provider=world.school
    )
    services.referral_accept(actor=world.provider, referral=accepted)
    services.case_request_closure(actor=world.supervisor, case=case, reason="lost_to_follow_up")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    return case, sent, accepted


def _actions(
    world: Any, case: Case, sent: Referral, accepted: Referral
) -> dict[str, Callable[[], Any]]:
    s = services
    return {
        "assess": lambda: s.case_assess(
            actor=world.worker, case=case, risk_level="low", assessment="x"
        ),
        "approve assessment": lambda: s.case_approve_assessment(actor=world.supervisor, case=case),
        "assign": lambda: s.case_assign(actor=world.supervisor, case=case, assignee=world.worker),
        "consent": lambda: s.case_record_consent(
            actor=world.worker, case=case, child_consent=True, guardian_consent=True
        ),
        "refer": lambda: s.referral_send(
            actor=world.worker, case=case, service="education", provider=world.school
        ),
        "accept": lambda: s.referral_accept(actor=world.provider, referral=sent),
        "refuse": lambda: s.referral_refuse(actor=world.provider, referral=sent, reason="x"),
        "deliver": lambda: s.referral_deliver(actor=world.provider, referral=accepted),
        "follow up": lambda: s.follow_up_record(
            actor=world.worker,
            case=case,
            observation=s.ObservationIn(
                observed_on=s.today(), economic_hours_week=0.0, in_school_or_training=True
            ),
        ),
        "request closure": lambda: s.case_request_closure(
            actor=world.worker, case=case, reason="lost_to_follow_up"
        ),
        "approve closure": lambda: s.case_approve_closure(actor=world.supervisor, case=case),
        "reject closure": lambda: s.case_reject_closure(actor=world.supervisor, case=case),
    }


ACTIONS = [
    "assess",
    "approve assessment",
    "assign",
    "consent",
    "refer",
    "accept",
    "refuse",
    "deliver",
    "follow up",
    "request closure",
    "approve closure",
    "reject closure",
]


@pytest.mark.parametrize("action", ACTIONS)
def test_a_closed_case_refuses_every_action(
    world: Any, closed: tuple[Case, Referral, Referral], action: str
) -> None:
    case, sent, accepted = closed
    before = (
        state(case),
        Observation.objects.count(),
        list(Referral.objects.order_by("id").values_list("status", flat=True)),
    )
    with pytest.raises(ApplicationError) as refused_:
        _actions(world, case, sent, accepted)[action]()
    assert refused_.value.code == "case_closed"
    after = (
        state(case),
        Observation.objects.count(),
        list(Referral.objects.order_by("id").values_list("status", flat=True)),
    )
    assert after == before


def test_a_closed_case_has_no_allowed_step(
    world: Any, closed: tuple[Case, Referral, Referral]
) -> None:
    from himaya.cases import workflow

    case = closed[0]
    for role in ("supervisor", "social_worker", "provider"):
        assert workflow.allowed_targets(case.status, role) == []
