"""Referrals: sending (consent, assessment, the provider's service and territory, age
and verdict rules), and the provider's answer (accept, refuse, deliver)."""

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
from himaya.cases.models import Case, CaseEvent, CaseStatus, Referral, ReferralStatus
from himaya.core.errors import ApplicationError, InvalidInput


def years_ago(years: int, days: int = 0) -> datetime.date:
    today = services.today()
    try:
        day = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        day = today.replace(year=today.year - years, day=28)
    return day - datetime.timedelta(days=days)


def identify(world: Any, *, born: datetime.date, **observation: Any) -> Case:
    """A child born on ``born`` in hazardous work (a case at any age under 18)."""
    fields: dict[str, Any] = {
        "observed_on": services.today() - datetime.timedelta(days=60),
        "economic_hours_week": 30.0,
        "sector": "construction",
        "hazards": ["heights"],
    }
    fields.update(observation)
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
        observation=services.ObservationIn(**fields),
    )
    assert result.case is not None
    return result.case


def ready(world: Any, case: Case, *, consent: bool = True) -> Case:
    """Assessed (by the supervisor, so approved) and, unless told, with consent."""
    services.case_assess(actor=world.supervisor, case=case, risk_level="medium", assessment="x")
    if consent:
        services.case_record_consent(
            actor=world.worker, case=case, child_consent=True, guardian_consent=True
        )
    return case


@pytest.fixture
def case(world: Any) -> Case:
    return ready(world, world.identify().case)


def send(world: Any, case: Case, service: str = "education", provider: Any = None) -> Referral:
    return services.referral_send(
        actor=world.worker, case=case, service=service, provider=provider or world.school
    )


def counts() -> tuple[int, int, int]:
    return Referral.objects.count(), CaseEvent.objects.count(), AuditEntry.objects.count()


def refused_with(field: str, message: Any, call: Any) -> None:
    before = counts()
    with pytest.raises(InvalidInput) as invalid:
        call()
    assert invalid.value.errors == {field: [str(message)]}
    assert counts() == before


def entry(event: AuditEvent) -> AuditEntry:
    (found,) = AuditEntry.objects.filter(event=event)
    return found


# --- Sending ----------------------------------------------------------------------------------


def test_the_first_referral_moves_the_case_to_referred(world: Any, case: Case) -> None:
    referral = services.referral_send(
        actor=world.worker,
        case=case,
        service="education",
        provider=world.school,
        note="  Retour à l'école.  ",
    )
    assert referral.status == ReferralStatus.SENT and referral.note == "Retour à l'école."
    assert referral.sent_on == services.today() and referral.sent_by == world.worker
    assert referral.provider == world.school and referral.service == "education"
    case.refresh_from_db()
    assert case.status == CaseStatus.REFERRED

    sent = entry(AuditEvent.REFERRAL_SENT)
    assert (sent.actor, sent.child_id, sent.object_type, sent.object_id) == (
        world.worker,
        case.child_id,
        "referral",
        str(referral.pk),
    )
    assert sent.detail == {"service": "education", "provider": world.school.pk}
    changed = AuditEntry.objects.filter(event=AuditEvent.CASE_STATUS_CHANGED).latest("id")
    assert changed.detail == {"from": "assessed", "to": "referred"}
    kinds = [(e.kind, e.detail) for e in case.events.order_by("id")][-2:]
    assert kinds == [
        ("status", {"from": "assessed", "to": "referred"}),
        (
            "referral_sent",
            {"referral": referral.pk, "service": "education", "provider": world.school.name},
        ),
    ]


def test_a_second_referral_keeps_the_status(world: Any, case: Case) -> None:
    send(world, case)
    second = send(world, case, "social_protection", world.social_protection)
    case.refresh_from_db()
    assert case.status == CaseStatus.REFERRED and second.status == ReferralStatus.SENT
    assert AuditEntry.objects.filter(event=AuditEvent.CASE_STATUS_CHANGED).count() == 2
    assert AuditEntry.objects.filter(event=AuditEvent.REFERRAL_SENT).count() == 2


def test_a_referral_while_in_monitoring_keeps_monitoring(world: Any, case: Case) -> None:
    referral = send(world, case)
    services.referral_accept(actor=world.provider, referral=referral)
    services.referral_deliver(actor=world.provider, referral=referral)
    send(world, case, "social_protection", world.social_protection)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.MONITORING


def test_consent_is_needed_from_both(world: Any) -> None:
    case = ready(world, world.identify().case, consent=False)
    for child, guardian in ((False, False), (True, False), (False, True)):
        services.case_record_consent(
            actor=world.worker, case=case, child_consent=child, guardian_consent=guardian
        )
        before = counts()
        with pytest.raises(ApplicationError) as refused:
            send(world, case)
        assert refused.value.code == "consent_missing"
        assert counts() == before
    assert Case.objects.get(pk=case.pk).status == CaseStatus.ASSESSED


def test_the_assessment_must_be_approved_first(world: Any) -> None:
    case = world.identify().case
    services.case_record_consent(
        actor=world.worker, case=case, child_consent=True, guardian_consent=True
    )
    services.case_assess(actor=world.worker, case=case, risk_level="low", assessment="x")
    with pytest.raises(ApplicationError) as refused:
        send(world, case)
    assert refused.value.code == "not_assessed"
    assert not Referral.objects.exists()


@pytest.mark.parametrize("who", ["provider", "analyst", "administrator"])
def test_only_caseworkers_refer(world: Any, case: Case, who: str) -> None:
    with pytest.raises(ApplicationError) as refused:
        services.referral_send(
            actor=getattr(world, who), case=case, service="education", provider=world.school
        )
    assert refused.value.code == "forbidden"
    assert not Referral.objects.exists()


def test_an_inspector_may_refer(world: Any) -> None:
    case = world.identify(actor=world.inspector).case
    ready(world, case, consent=False)
    services.case_record_consent(
        actor=world.inspector, case=case, child_consent=True, guardian_consent=True
    )
    referral = services.referral_send(
        actor=world.inspector, case=case, service="education", provider=world.school
    )
    assert referral.sent_by == world.inspector


@pytest.mark.parametrize(
    ("service", "provider"),
    [
        ("education", "social_protection"),
        ("social_protection", "school"),
        ("health", "training_centre"),
        ("education", "association"),  # not a provider at all
        ("education", "ministry"),
    ],
)
def test_the_provider_must_offer_the_service(
    world: Any, case: Case, service: str, provider: str
) -> None:
    refused_with(
        "provider",
        services.PROVIDER_WRONG_SERVICE,
        lambda: send(world, case, service, getattr(world, provider)),
    )


@pytest.mark.parametrize("service", ["", "magic"])
def test_an_unknown_service_is_refused(world: Any, case: Case, service: str) -> None:
    message = services.REQUIRED if not service else services.UNKNOWN_CODE % {"value": service}
    refused_with("service", message, lambda: send(world, case, service))


def test_the_provider_must_serve_the_childs_commune(world: Any, case: Case) -> None:
    refused_with(
        "provider",
        services.PROVIDER_OUT_OF_TERRITORY,
        lambda: send(world, case, "education", world.far_school),
    )


def test_a_provider_working_for_the_whole_country_serves_everywhere(world: Any, case: Case) -> None:
    national = Organisation.objects.create(
        name="Centre national", kind=OrganisationKind.HEALTH_CENTRE, territory_code=""
    )
    commune_level = Organisation.objects.create(
        name="Centre de santé", kind=OrganisationKind.HEALTH_CENTRE, territory_code=case.commune_id
    )
    assert send(world, case, "health", national).provider == national
    assert send(world, case, "health", commune_level).provider == commune_level


def test_an_inactive_provider_is_refused(world: Any, case: Case) -> None:
    world.school.active = False
    world.school.save()
    before = counts()
    with pytest.raises(InvalidInput) as invalid:
        send(world, case)
    assert list(invalid.value.errors) == ["provider"]
    assert counts() == before


@pytest.mark.parametrize(
    ("born", "allowed"),
    [
        (years_ago(15), True),  # 15th birthday today
        (years_ago(15, -1), False),  # 15 tomorrow
        (years_ago(16, 100), True),
        (years_ago(18, -1), True),  # 18 tomorrow
    ],
)
def test_vocational_training_is_for_15_to_17_year_olds(
    world: Any, born: datetime.date, allowed: bool
) -> None:
    case = ready(world, identify(world, born=born))
    if allowed:
        referral = send(world, case, "vocational", world.training_centre)
        assert referral.service == "vocational"
    else:
        refused_with(
            "service",
            services.VOCATIONAL_AGE,
            lambda: send(world, case, "vocational", world.training_centre),
        )


def test_vocational_training_is_refused_to_a_child_who_turned_18(world: Any) -> None:
    # 17 at the visit two months ago, 18 today.
    case = ready(world, identify(world, born=years_ago(18, 10)))
    assert case.verdict == "hazardous"
    refused_with(
        "service",
        services.VOCATIONAL_AGE,
        lambda: send(world, case, "vocational", world.training_centre),
    )


def test_vocational_training_is_refused_to_a_13_year_old(world: Any, case: Case) -> None:
    refused_with(
        "service",
        services.VOCATIONAL_AGE,
        lambda: send(world, case, "vocational", world.training_centre),
    )


@pytest.fixture
def court(world: Any) -> Organisation:
    return Organisation.objects.create(
        name="Parquet des mineurs", kind=OrganisationKind.COURT, territory_code=world.region.code
    )


def test_justice_is_for_the_worst_forms_only(world: Any, case: Case, court: Organisation) -> None:
    refused_with(
        "service", services.JUSTICE_WORST_FORMS, lambda: send(world, case, "justice", court)
    )
    worst = ready(world, world.identify(worst_forms=["trafficking"]).case)
    assert worst.verdict == "worst_form"
    assert send(world, worst, "justice", court).service == "justice"


def test_justice_follows_the_current_verdict(world: Any, court: Organisation) -> None:
    first = world.identify(worst_forms=["trafficking"])
    case = ready(world, first.case)
    # A later identification finds the child in ordinary child labour.
    services.identification_record(
        actor=world.worker,
        existing_child=first.child,
        observation=services.ObservationIn(
            observed_on=services.today(), economic_hours_week=10.0, sector="trade"
        ),
    )
    case.refresh_from_db()
    refused_with(
        "service", services.JUSTICE_WORST_FORMS, lambda: send(world, case, "justice", court)
    )


# --- The provider's answer --------------------------------------------------------------------


@pytest.fixture
def referral(world: Any, case: Case) -> Referral:
    return send(world, case)


def test_the_provider_accepts(world: Any, referral: Referral) -> None:
    services.referral_accept(actor=world.provider, referral=referral)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    assert referral.responded_on == services.today()
    case = Case.objects.get(pk=referral.case_id)
    assert case.status == CaseStatus.IN_REMEDIATION
    accepted = entry(AuditEvent.REFERRAL_ACCEPTED)
    assert (accepted.actor, accepted.child_id, accepted.object_id) == (
        world.provider,
        case.child_id,
        str(referral.pk),
    )
    changed = AuditEntry.objects.filter(event=AuditEvent.CASE_STATUS_CHANGED).latest("id")
    assert changed.actor == world.provider
    assert changed.detail == {"from": "referred", "to": "in_remediation"}
    last = case.events.order_by("id").last()
    assert last is not None and last.kind == "referral_accepted"
    assert last.actor == world.provider and last.detail == {"referral": referral.pk}


@pytest.mark.parametrize("who", ["other_provider", "worker", "supervisor", "analyst"])
def test_only_the_addressed_provider_answers(world: Any, referral: Referral, who: str) -> None:
    actor = getattr(world, who)
    before = counts()
    calls: list[Callable[[], Any]] = [
        lambda: services.referral_accept(actor=actor, referral=referral),
        lambda: services.referral_refuse(actor=actor, referral=referral, reason="Complet"),
    ]
    for call in calls:
        with pytest.raises(ApplicationError) as refused:
            call()
        assert refused.value.code == "forbidden" and refused.value.status == 403
    assert counts() == before
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.SENT


def test_an_answered_referral_cannot_be_answered_again(world: Any, referral: Referral) -> None:
    services.referral_accept(actor=world.provider, referral=referral)
    calls: list[Callable[[], Any]] = [
        lambda: services.referral_accept(actor=world.provider, referral=referral),
        lambda: services.referral_refuse(actor=world.provider, referral=referral, reason="x"),
    ]
    for call in calls:
        with pytest.raises(ApplicationError) as refused:
            call()
        assert refused.value.code == "already_answered"
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.ACCEPTED


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_refusal_needs_a_reason(world: Any, referral: Referral, reason: str) -> None:
    refused_with(
        "reason",
        services.REASON_REQUIRED,
        lambda: services.referral_refuse(actor=world.provider, referral=referral, reason=reason),
    )
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.SENT


def test_the_provider_refuses_with_a_reason(world: Any, referral: Referral) -> None:
    services.referral_refuse(actor=world.provider, referral=referral, reason="  Classe pleine. ")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REFUSED
    assert referral.refusal_reason == "Classe pleine."
    assert referral.responded_on == services.today()
    case = Case.objects.get(pk=referral.case_id)
    assert case.status == CaseStatus.REFERRED  # unchanged: the caseworker refers elsewhere
    refused = entry(AuditEvent.REFERRAL_REFUSED)
    assert (refused.actor, refused.child_id, refused.object_id) == (
        world.provider,
        case.child_id,
        str(referral.pk),
    )
    assert "Classe" not in str(refused.detail)  # free text stays out of the audit log
    last = case.events.order_by("id").last()
    assert last is not None and last.kind == "referral_refused"
    assert last.detail == {"referral": referral.pk, "reason": "Classe pleine."}
    with pytest.raises(ApplicationError) as not_accepted:
        services.referral_deliver(actor=world.provider, referral=referral)
    assert not_accepted.value.code == "not_accepted"


def test_delivery_needs_an_accepted_referral(world: Any, referral: Referral) -> None:
    with pytest.raises(ApplicationError) as refused:
        services.referral_deliver(actor=world.provider, referral=referral)
    assert refused.value.code == "not_accepted"
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.SENT


def test_the_provider_records_the_service_delivered(
    world: Any, referral: Referral, settings: LazySettings
) -> None:
    settings.HIMAYA_FOLLOW_UP_EVERY_DAYS = 45
    services.referral_accept(actor=world.provider, referral=referral)
    on = services.today() - datetime.timedelta(days=3)
    services.referral_deliver(
        actor=world.provider, referral=referral, delivered_on=on, note=" Inscrit en 5e. "
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DELIVERED
    assert referral.delivered_on == on and referral.delivery_note == "Inscrit en 5e."
    case = Case.objects.get(pk=referral.case_id)
    assert case.status == CaseStatus.MONITORING
    assert case.next_follow_up_on == on + datetime.timedelta(days=45)
    delivered = entry(AuditEvent.REFERRAL_DELIVERED)
    assert (delivered.actor, delivered.child_id, delivered.object_id) == (
        world.provider,
        case.child_id,
        str(referral.pk),
    )
    last = case.events.order_by("id").last()
    assert last is not None and last.kind == "referral_delivered"
    assert last.detail == {"referral": referral.pk, "on": on.isoformat()}


def test_delivery_today_by_default_and_never_in_the_future(world: Any, referral: Referral) -> None:
    services.referral_accept(actor=world.provider, referral=referral)
    refused_with(
        "delivered_on",
        services.FUTURE_DATE,
        lambda: services.referral_deliver(
            actor=world.provider,
            referral=referral,
            delivered_on=services.today() + datetime.timedelta(days=1),
        ),
    )
    services.referral_deliver(actor=world.provider, referral=referral)
    assert Referral.objects.get(pk=referral.pk).delivered_on == services.today()


def test_only_the_addressed_provider_delivers(world: Any, referral: Referral) -> None:
    services.referral_accept(actor=world.provider, referral=referral)
    for actor in (world.other_provider, world.worker):
        with pytest.raises(ApplicationError) as refused:
            services.referral_deliver(actor=actor, referral=referral)
        assert refused.value.code == "forbidden"
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.ACCEPTED


def test_a_second_delivery_keeps_the_follow_up_date(world: Any, case: Case) -> None:
    first = send(world, case)
    second = send(world, case, "social_protection", world.social_protection)
    services.referral_accept(actor=world.provider, referral=first)
    services.referral_deliver(
        actor=world.provider,
        referral=first,
        delivered_on=services.today() - datetime.timedelta(days=10),
    )
    planned = Case.objects.get(pk=case.pk).next_follow_up_on
    office = world.social_protection.members.create(
        username="amo", role="provider", territory_code=world.region.code
    )
    services.referral_accept(actor=office, referral=second)
    services.referral_deliver(actor=office, referral=second)
    case.refresh_from_db()
    assert case.next_follow_up_on == planned
    assert case.status == CaseStatus.MONITORING
