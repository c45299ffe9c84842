"""Closure: the four reasons and their rules, request, approval, rejection, and a
closed case refusing every further action."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import LazySettings
from django.utils import translation
from tests.cases.conftest import Receiving, request_transfer

from himaya.accounts.models import Organisation, OrganisationKind
from himaya.audit.events import AuditEvent
from himaya.audit.models import AuditEntry
from himaya.audit.services import audit_record
from himaya.cases import selectors, services
from himaya.cases.models import (
    Case,
    CaseEvent,
    CaseStatus,
    Child,
    Household,
    Observation,
    Referral,
)
from himaya.cases.templatetags.cases_display import event_text
from himaya.core.errors import ApplicationError, InvalidInput, NotFound


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
        fresh.transferred_commune_id,
        CaseEvent.objects.count(),
        AuditEntry.objects.count(),
        Household.objects.count(),
        Child.objects.count(),
        Case.objects.count(),
        Observation.objects.count(),
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
    refused(
        world,
        case,
        "moved",
        "transferred_to",
        services.TRANSFER_REQUIRED,
        transferred_commune=world.commune.code,
    )


def test_moved_needs_the_organisation_and_the_commune(world: Any, case: Case) -> None:
    before = state(case)
    with pytest.raises(InvalidInput) as invalid:
        request(world, case, "moved")
    assert invalid.value.errors == {
        "transferred_to": [str(services.TRANSFER_REQUIRED)],
        "transferred_commune": [str(services.TRANSFER_COMMUNE_REQUIRED)],
    }
    assert state(case) == before


@pytest.mark.parametrize("provider", ["school", "social_protection", "training_centre"])
def test_moved_to_a_provider_is_refused(world: Any, case: Case, provider: str) -> None:
    refused(
        world,
        case,
        "moved",
        "transferred_to",
        services.TRANSFER_REQUIRED,
        transferred_to=getattr(world, provider),
        transferred_commune=world.commune.code,
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
            transferred_commune=world.commune.code,
        )


def test_moved_to_a_casework_organisation(world: Any, case: Case) -> None:
    request(
        world,
        case,
        "moved",
        transferred_to=world.other_association,
        transferred_commune=f"  {world.near_commune.code} ",
    )
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.transferred_to == world.other_association
    assert fresh.transferred_commune == world.near_commune
    assert fresh.is_open and not Case.objects.filter(transferred_from=case).exists()
    services.case_approve_closure(actor=world.supervisor, case=fresh)
    fresh.refresh_from_db()
    assert fresh.status == CaseStatus.CLOSED and fresh.closure_reason == "moved"
    assert fresh.transferred_to == world.other_association
    assert Case.objects.get(transferred_from=case).organisation == world.other_association


def test_the_receiving_organisation_is_kept_only_for_a_move(world: Any, case: Case) -> None:
    request(
        world,
        case,
        "lost_to_follow_up",
        transferred_to=world.other_association,
        transferred_commune=world.commune.code,
    )
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.transferred_to is None and fresh.transferred_commune is None
    services.case_approve_closure(actor=world.supervisor, case=fresh)
    assert not Case.objects.filter(transferred_from=case).exists()


def test_lost_to_follow_up_needs_nothing_else(world: Any, case: Case) -> None:
    request(world, case, "lost_to_follow_up")
    assert Case.objects.get(pk=case.pk).closure_requested_reason == "lost_to_follow_up"


@pytest.mark.parametrize("reason", ["", "bored"])
def test_an_unknown_reason_is_refused(world: Any, case: Case, reason: str) -> None:
    message = services.REQUIRED if not reason else services.UNKNOWN_CODE % {"value": reason}
    refused(world, case, reason, "reason", message)


# --- Moved: the case is transferred -----------------------------------------------------------


def outside(receiving: Receiving) -> str:
    return services.TRANSFER_COMMUNE_OUTSIDE % {"organisation": receiving.organisation.display_name}


def test_moved_needs_the_commune_the_child_moved_to(
    world: Any, case: Case, receiving: Receiving
) -> None:
    for commune in ("", "   "):
        refused(
            world,
            case,
            "moved",
            "transferred_commune",
            services.TRANSFER_COMMUNE_REQUIRED,
            transferred_to=receiving.organisation,
            transferred_commune=commune,
        )
    refused(
        world,
        case,
        "moved",
        "transferred_commune",
        services.UNKNOWN_CODE % {"value": "99.999.99.99"},
        transferred_to=receiving.organisation,
        transferred_commune="99.999.99.99",
    )


@pytest.mark.parametrize("actor", ["worker", "supervisor"])
def test_a_commune_outside_the_receiving_territory_is_refused(
    world: Any, case: Case, receiving: Receiving, actor: str
) -> None:
    # The world's commune (Tanger) is in the region but not in Tétouan's province.
    for commune in (world.commune, world.far_commune):
        refused(
            world,
            case,
            "moved",
            "transferred_commune",
            outside(receiving),
            actor=getattr(world, actor),
            transferred_to=receiving.organisation,
            transferred_commune=commune.code,
        )
    assert not Case.objects.filter(transferred_from=case).exists()


def test_the_commune_is_checked_again_at_approval(
    world: Any, case: Case, receiving: Receiving
) -> None:
    request_transfer(world, case, receiving)
    # Meanwhile the receiving organisation's territory shrank to another province.
    Organisation.objects.filter(pk=receiving.organisation.pk).update(
        territory_code=world.province.code
    )
    case = Case.objects.get(pk=case.pk)
    before = state(case)
    with pytest.raises(InvalidInput) as invalid:
        services.case_approve_closure(actor=world.supervisor, case=case)
    assert invalid.value.errors == {"transferred_commune": [outside(receiving)]}
    assert state(case) == before


@pytest.fixture
def history(world: Any, case: Case) -> Case:
    """The case with a history of its own: identifiers, an approved assessment, consent,
    a referral and a follow-up visit that found hazardous work (the latest observation)."""
    Household.objects.filter(pk=case.child.household_id).update(
        address="12 rue des Oliviers",
        guardian_phone="0612345678",
        guardian_cnie="BE123456",
        rsu_number="987654321",
    )
    Child.objects.filter(pk=case.child_id).update(massar_code="J130012345")
    services.case_assess(
        actor=world.supervisor, case=case, risk_level="medium", assessment="Travaille au souk."
    )
    services.case_record_consent(
        actor=world.worker, case=case, child_consent=True, guardian_consent=True
    )
    services.referral_send(
        actor=world.worker, case=case, service="education", provider=world.school, note="Note."
    )
    follow_up(
        world,
        case,
        10,
        economic_hours_week=30.0,
        sector="construction",
        hazards=["heights"],
        in_school_or_training=False,
        notes="Chantier du voisin.",
        place="Chantier",
    )
    return Case.objects.select_related("child", "child__household").get(pk=case.pk)


def test_approving_a_move_transfers_the_case(
    world: Any, history: Case, receiving: Receiving
) -> None:
    original = history
    child, household = original.child, original.child.household
    latest = max(original.observations.all(), key=lambda o: (o.observed_on, o.pk))
    assert latest.kind == "follow_up" and latest.verdict == "hazardous"
    counts = (Household.objects.count(), Child.objects.count(), Observation.objects.count())

    request_transfer(world, original, receiving)
    assert not Case.objects.filter(transferred_from=original).exists()  # not before approval
    services.case_approve_closure(actor=world.supervisor, case=original)

    # The original is closed, its records untouched.
    original.refresh_from_db()
    assert original.status == CaseStatus.CLOSED and original.closure_reason == "moved"
    assert original.transferred_to == receiving.organisation
    assert original.transferred_commune == receiving.commune
    assert original.organisation == world.association and original.commune == world.commune
    assert Child.objects.get(pk=child.pk).organisation == world.association
    assert Household.objects.get(pk=household.pk).address == "12 rue des Oliviers"
    assert original.observations.count() == 2 and original.referrals.count() == 1

    # One new household, child, observation and case, at the receiving organisation.
    assert (Household.objects.count(), Child.objects.count(), Observation.objects.count()) == (
        counts[0] + 1,
        counts[1] + 1,
        counts[2] + 1,
    )
    new = Case.objects.get(transferred_from=original)
    copied = new.child
    moved_to = receiving.commune
    assert (new.organisation, new.status, new.opened_on, new.opened_by, new.assigned_to) == (
        receiving.organisation,
        CaseStatus.IDENTIFIED,
        services.today(),
        world.supervisor,
        None,
    )
    assert (new.verdict, new.sector, new.risk_level) == ("hazardous", "trade", "medium")
    assert (new.verdict, new.sector, new.risk_level) == (
        original.verdict,
        original.sector,
        original.risk_level,
    )
    assert (new.commune, new.province_id, new.region_id) == (
        moved_to,
        moved_to.province_id,
        moved_to.region_id,
    )
    # Nothing else of the case: assessment, consent, follow-ups, referrals, closure.
    assert new.assessment == "" and not new.assessment_submitted
    assert not new.child_consent and not new.guardian_consent and new.consent_recorded_on is None
    assert new.next_follow_up_on is None and new.referrals.count() == 0
    assert new.closure_requested_reason == "" and new.transferred_to is None

    assert copied.pk != child.pk and copied.organisation == receiving.organisation
    names = ("first_name_ar", "family_name_ar", "first_name_latin", "family_name_latin")
    for name in (*names, "sex", "birth_date", "birth_date_estimated", "massar_code"):
        assert getattr(copied, name) == getattr(child, name), name
    assert copied.massar_code == "J130012345" and copied.search_text == child.search_text
    assert (copied.commune, copied.province_id, copied.region_id) == (
        moved_to,
        moved_to.province_id,
        moved_to.region_id,
    )
    assert copied.created_by == world.supervisor

    home = copied.household
    assert home.pk != household.pk and home.organisation == receiving.organisation
    assert home.address == ""
    for name in ("guardian_name", "guardian_phone", "guardian_cnie", "rsu_number"):
        assert getattr(home, name) == getattr(household, name), name
    assert (home.commune, home.province_id, home.region_id) == (
        moved_to,
        moved_to.province_id,
        moved_to.region_id,
    )

    # The latest observation, with its classification as it was made.
    (seen,) = new.observations.all()
    assert (seen.child, seen.kind, seen.organisation) == (
        copied,
        "identification",
        receiving.organisation,
    )
    for name in (
        "verdict",
        "rules",
        "citations",
        "ruleset",
        "ruleset_version",
        "age",
        "observed_on",
        "observed_by",
        "commune",
    ):
        assert getattr(seen, name) == getattr(latest, name), name
    assert seen.rules and seen.citations
    # Not the visit's notes, place or answers.
    assert (seen.notes, seen.place, seen.sector) == ("", "", "")
    assert seen.economic_hours_week is None and seen.hazards == []
    assert seen.in_school_or_training is None


def test_the_timelines_name_the_other_organisation(
    world: Any, case: Case, receiving: Receiving
) -> None:
    request_transfer(world, case, receiving, actor=world.supervisor)
    new = Case.objects.get(transferred_from=case)

    kinds = [e.kind for e in case.events.order_by("id")]
    assert kinds[-4:] == ["closure_requested", "status", "closed", "transferred_to"]
    last = case.events.order_by("id").last()
    assert last is not None and last.actor == world.supervisor
    assert last.detail == {
        "organisation": receiving.organisation.pk,
        "name": "Association Tilila",
        "name_ar": "جمعية تليلة",
        "commune": receiving.commune.code,
    }
    assert "case" not in last.detail  # the new case is not named to the sender

    (opened,) = new.events.all()
    assert (opened.kind, opened.actor) == ("transferred_from", world.supervisor)
    assert opened.detail == {
        "organisation": world.association.pk,
        "name": "Association Amal",
        "name_ar": "",
        "case": case.pk,
    }
    with translation.override("en"):
        assert event_text(last) == "Transferred to Association Tilila."
        assert event_text(opened) == f"Transferred from Association Amal (case #{case.pk})."
    with translation.override("ar"):
        assert "جمعية تليلة" in event_text(last)


def test_the_transfer_is_audited(world: Any, case: Case, receiving: Receiving) -> None:
    request_transfer(world, case, receiving)
    services.case_approve_closure(actor=world.supervisor, case=case)
    new = Case.objects.get(transferred_from=case)
    transfer = {"transferred_from_case": case.pk, "from_organisation": world.association.pk}

    (created,) = AuditEntry.objects.filter(event=AuditEvent.CHILD_CREATED, child_id=new.child_id)
    assert (created.actor, created.object_id, created.detail) == (
        world.supervisor,
        str(new.child_id),
        transfer,
    )
    (opened,) = AuditEntry.objects.filter(event=AuditEvent.CASE_OPENED, object_id=str(new.pk))
    assert (opened.actor, opened.child_id, opened.detail) == (
        world.supervisor,
        new.child_id,
        {"verdict": new.verdict, **transfer},
    )
    seen = new.observations.get()
    (identified,) = AuditEntry.objects.filter(
        event=AuditEvent.IDENTIFICATION_CREATED, object_id=str(seen.pk)
    )
    assert identified.child_id == new.child_id
    assert identified.detail["transferred_from_case"] == case.pk
    (closed,) = AuditEntry.objects.filter(event=AuditEvent.CASE_CLOSED)
    assert (closed.child_id, closed.detail) == (
        case.child_id,
        {
            "reason": "moved",
            "transferred_to": receiving.organisation.pk,
            "transferred_case": new.pk,
        },
    )


@pytest.mark.parametrize("failing", ["case opened audit", "last event"])
def test_a_failure_in_the_middle_leaves_nothing(
    world: Any, case: Case, receiving: Receiving, failing: str, monkeypatch: Any
) -> None:
    request_transfer(world, case, receiving)
    case = Case.objects.get(pk=case.pk)
    before = state(case)
    event = services._event

    def audit_failing(**kwargs: Any) -> Any:
        if kwargs["event"] == AuditEvent.CASE_OPENED:  # after the copies are saved
            assert Case.objects.filter(transferred_from=case).exists()
            raise RuntimeError("disk full")
        return audit_record(**kwargs)

    def event_failing(case_: Case, actor: Any, kind: str, detail: Any = None) -> None:
        if kind == "transferred_to":  # the very last write
            raise RuntimeError("disk full")
        event(case_, actor, kind, detail)

    if failing == "case opened audit":
        monkeypatch.setattr(services, "audit_record", audit_failing)
    else:
        monkeypatch.setattr(services, "_event", event_failing)
    with pytest.raises(RuntimeError):
        services.case_approve_closure(actor=world.supervisor, case=case)

    assert state(case) == before
    assert not Case.objects.filter(transferred_from=case).exists()
    assert not Child.objects.filter(organisation=receiving.organisation).exists()
    assert not Household.objects.filter(organisation=receiving.organisation).exists()
    assert not Observation.objects.filter(organisation=receiving.organisation).exists()
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.is_open and fresh.closure_requested_reason == "moved"


def test_a_case_is_transferred_once(world: Any, case: Case, receiving: Receiving) -> None:
    request_transfer(world, case, receiving, actor=world.supervisor)
    case = Case.objects.get(pk=case.pk)
    with pytest.raises(ApplicationError) as refused_:
        services.case_approve_closure(actor=world.supervisor, case=case)
    assert refused_.value.code == "case_closed"

    # A second approval that read the case before the first one closed it.
    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.IDENTIFIED, closure_requested_reason="moved"
    )
    case = Case.objects.get(pk=case.pk)
    before = state(case)
    with pytest.raises(ApplicationError) as refused_:
        services.case_approve_closure(actor=world.supervisor, case=case)
    assert refused_.value.code == "already_transferred"
    assert state(case) == before
    assert Case.objects.filter(transferred_from=case).count() == 1


def test_each_organisation_sees_its_own_case(
    world: Any, history: Case, receiving: Receiving
) -> None:
    original = history
    request_transfer(world, original, receiving, actor=world.supervisor)
    new = Case.objects.get(transferred_from=original)

    for user in (receiving.worker, receiving.supervisor):
        assert list(selectors.case_visible_to(user)) == [new]
        assert list(selectors.child_visible_to(user)) == [new.child]
        assert list(selectors.household_visible_to(user)) == [new.child.household]
        assert not selectors.referral_visible_to(user).exists()
        assert selectors.case_get_for_user(user=user, case_id=new.pk) == new
        with pytest.raises(NotFound):
            selectors.case_get_for_user(user=user, case_id=original.pk)
        with pytest.raises(NotFound):
            selectors.child_get_for_user(user=user, child_id=original.child_id)
        assert selectors.transfer_origin(new) == world.association

    # The sender still sees its closed case, never the copy, though the world's
    # supervisor's territory (the region) covers the new commune.
    for user in (world.worker, world.supervisor):
        assert selectors.case_get_for_user(user=user, case_id=original.pk) == original
        assert new not in selectors.case_visible_to(user)
        assert new.child not in selectors.child_visible_to(user)
        with pytest.raises(NotFound):
            selectors.case_get_for_user(user=user, case_id=new.pk)
        with pytest.raises(NotFound):
            selectors.child_get_for_user(user=user, child_id=new.child_id)
    assert selectors.transfer_origin(original) is None


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
    request(
        world,
        case,
        "moved",
        transferred_to=world.other_association,
        transferred_commune=world.commune.code,
    )
    services.case_reject_closure(actor=world.supervisor, case=case, note="  Encore là.  ")
    case.refresh_from_db()
    assert case.status == CaseStatus.IDENTIFIED
    assert case.closure_requested_reason == "" and case.transferred_to is None
    assert case.transferred_commune is None
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
        "start monitoring": lambda: s.case_start_monitoring(actor=world.worker, case=case),
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
    "start monitoring",
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
