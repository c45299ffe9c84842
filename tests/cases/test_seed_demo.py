"""``himaya seed-demo``: the demo data (cases.demo) on the small test geography,
and once on the real one."""

from __future__ import annotations

import datetime
from collections import Counter
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Max, Min, Model, QuerySet
from django.test import override_settings
from django.utils import timezone

from himaya.accounts.models import (
    PROVIDER_KINDS,
    SERVICE_OF_KIND,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from himaya.audit.events import AuditEvent
from himaya.audit.models import AuditEntry
from himaya.cases import selectors, services, workflow
from himaya.cases.demo import DEMO_PASSWORD, INBOX, demo_logins
from himaya.cases.models import (
    Case,
    CaseEvent,
    CaseStatus,
    Child,
    ClosureReason,
    Household,
    Observation,
    Referral,
    ReferralStatus,
)
from himaya.geography.models import Commune, Province, Region
from himaya.geography.testing import load_small_geography

pytestmark = pytest.mark.django_db

CHILDREN = 200
PROVINCE_KINDS = {
    OrganisationKind.SCHOOL,
    OrganisationKind.SECOND_CHANCE_SCHOOL,
    OrganisationKind.TRAINING_CENTRE,
    OrganisationKind.SOCIAL_PROTECTION,
    OrganisationKind.HEALTH_CENTRE,
}


def originals() -> QuerySet[Observation]:
    """The observations made by the demo's caseworkers (not the receiving
    organisations' copies made by a transfer)."""
    return Observation.objects.exclude(case__transferred_from__isnull=False)


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed-demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(db: None) -> None:
    load_small_geography()
    with override_settings(DEBUG=True):
        seed("--children", str(CHILDREN), "--seed", "3")


def test_counts_and_shares_follow_the_hcp_figures(seeded: None) -> None:
    assert Child.objects.count() == CHILDREN
    assert Household.objects.count() <= CHILDREN
    boys = Child.objects.filter(sex="M").count() / CHILDREN
    assert 0.78 <= boys <= 0.93  # 85.6 %
    # Every child record (a transfer's copy included) has one identification.
    identified = Observation.objects.filter(kind=Observation.Kind.IDENTIFICATION)
    assert identified.count() == CHILDREN
    ages = Counter(
        originals().filter(kind=Observation.Kind.IDENTIFICATION).values_list("age", flat=True)
    )
    invented = CHILDREN - Case.objects.filter(transferred_from__isnull=False).count()
    assert sum(ages.values()) == invented
    assert 0.85 <= sum(ages[a] for a in (15, 16, 17)) / invented <= 0.97  # 91.5 %
    assert set(ages) <= set(range(5, 18))
    rural = Child.objects.filter(commune__kind="rural").count() / CHILDREN
    assert 0.7 <= rural <= 0.9  # 80 %
    rural_sectors = Counter(
        Observation.objects.filter(
            kind=Observation.Kind.IDENTIFICATION, commune__kind="rural"
        ).values_list("sector", flat=True)
    )
    assert rural_sectors.most_common(1)[0][0] == "agriculture"
    hazards = Observation.objects.filter(kind=Observation.Kind.IDENTIFICATION).exclude(hazards=[])
    assert 0.5 <= hazards.count() / CHILDREN <= 0.75  # 63 %


def test_cases_are_opened_for_children_in_child_labour_only(seeded: None) -> None:
    # The cases opened by a transfer: see test_moved_closures_transfer_the_case.
    identified = originals().filter(kind=Observation.Kind.IDENTIFICATION)
    in_labour = {o.child_id for o in identified if o.in_child_labour}
    opened = Case.objects.filter(transferred_from__isnull=True)
    assert set(opened.values_list("child_id", flat=True)) == in_labour
    assert 0 < len(in_labour) < CHILDREN  # some children visited were in permitted work
    for case in opened.prefetch_related("observations"):
        first, *follow_ups = case.observations.all()  # by date
        assert first.kind == Observation.Kind.IDENTIFICATION
        assert first.verdict in workflow.CHILD_LABOUR_VERDICTS
        assert case.opened_on == first.observed_on
        assert all(o.kind == Observation.Kind.FOLLOW_UP for o in follow_ups)
        # As follow_up_record does: the case carries the latest verdict.
        assert case.verdict == (follow_ups or [first])[-1].verdict


def test_stored_classifications_are_the_engines(seeded: None) -> None:
    # A transfer's copy keeps the classification, not the facts observed.
    sample = list(originals().select_related("child").order_by("id")[::7])
    assert any(o.kind == Observation.Kind.FOLLOW_UP for o in sample)
    for saved in sample:
        data = services.ObservationIn(
            observed_on=saved.observed_on,
            age_reported=saved.age_reported,
            economic_hours_week=saved.economic_hours_week,
            chores_hours_week=saved.chores_hours_week,
            sector=saved.sector,
            domestic_worker=saved.domestic_worker,
            usual_start=saved.usual_start,
            usual_end=saved.usual_end,
            night_work=saved.night_work,
            hazards=saved.hazards,
            worst_forms=saved.worst_forms,
            guardian_authorisation=saved.guardian_authorisation,
            apprenticeship=saved.apprenticeship,
            in_school_or_training=saved.in_school_or_training,
        )
        child = saved.child
        result = services.observation_classify(
            data=data,
            birth_date=child.birth_date,
            estimated=child.birth_date_estimated,
            sex=child.sex,
        )
        assert saved.verdict == result.verdict
        assert saved.rules == list(result.rules)
        assert saved.citations == list(result.citations)
        assert saved.age == result.age
        assert saved.ruleset == result.ruleset == settings.HIMAYA_RULESET
        assert saved.ruleset_version == services.ruleset_version()


def test_one_account_per_role_in_every_region(seeded: None) -> None:
    expected = {
        "worker": (Role.SOCIAL_WORKER, OrganisationKind.ASSOCIATION),
        "supervisor": (Role.SUPERVISOR, OrganisationKind.ASSOCIATION),
        "inspector": (Role.INSPECTOR, OrganisationKind.INSPECTORATE),
        "school": (Role.PROVIDER, OrganisationKind.SCHOOL),
        "analyst": (Role.ANALYST, OrganisationKind.MINISTRY),
        "admin": (Role.ADMINISTRATOR, OrganisationKind.MINISTRY),
    }
    for region in Region.objects.all():
        for prefix, (role, kind) in expected.items():
            user = User.objects.select_related("organisation").get(
                username=f"{prefix}-{region.code}"
            )
            assert user.role == role and user.organisation is not None
            assert user.organisation.kind == kind
            assert user.territory_code.startswith(region.code)
        assert User.objects.get(username=f"admin-{region.code}").is_staff
    assert User.objects.get(username="analyst").territory_code == ""
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.role == Role.ADMINISTRATOR
    # One hash, computed once, with the project's hasher; the documented password.
    hashes = set(User.objects.values_list("password", flat=True))
    assert len(hashes) == 1 and next(iter(hashes)).startswith("argon2")
    assert check_password(DEMO_PASSWORD, admin.password)
    assert {login.username for login in demo_logins()} <= set(
        User.objects.values_list("username", flat=True)
    )


def test_every_province_has_its_providers(seeded: None) -> None:
    provinces = set(Commune.objects.values_list("province_id", flat=True))
    assert provinces == set(Province.objects.values_list("code", flat=True))
    for code in provinces:
        kinds = set(Organisation.objects.filter(territory_code=code).values_list("kind", flat=True))
        assert kinds == PROVINCE_KINDS
    for region in Region.objects.all():
        kinds = set(
            Organisation.objects.filter(territory_code=region.code).values_list("kind", flat=True)
        )
        assert kinds >= {
            OrganisationKind.ASSOCIATION,
            OrganisationKind.INSPECTORATE,
            OrganisationKind.CHILD_PROTECTION,
            OrganisationKind.COURT,
        }
    for organisation in Organisation.objects.filter(kind__in=list(PROVIDER_KINDS)):
        assert organisation.name and organisation.name_ar
        assert organisation.members.filter(role=Role.PROVIDER).exists()


def test_cases_follow_the_workflow(seeded: None) -> None:
    today = services.today()
    cases = list(
        Case.objects.select_related("child", "commune", "transferred_to").prefetch_related(
            "referrals__provider"
        )
    )
    statuses = Counter(case.status for case in cases)
    assert len(statuses) >= 5, statuses
    # A child removed from work in a visit is referred at once, before any
    # assessment or consent (referral_send_urgent, decision 0008).
    urgent = {
        event.detail["referral"]
        for event in CaseEvent.objects.filter(kind="referral_sent", detail__urgent=True)
    }
    for case in cases:
        referrals = list(case.referrals.all())
        if case.status in (CaseStatus.IDENTIFIED, CaseStatus.ASSESSED):
            assert all(r.pk in urgent for r in referrals)
        if any(r.pk not in urgent for r in referrals):
            assert case.consent_given and case.consent_recorded_on is not None
        for referral in referrals:
            assert SERVICE_OF_KIND[referral.provider.kind] == referral.service
            assert case.commune.lies_within(referral.provider.territory_code)
            assert case.opened_on <= referral.sent_on <= today
            if referral.service == "justice":
                assert case.observations.get(kind="identification").verdict == "worst_form"
            if referral.service == "vocational":
                assert 15 <= workflow.age_on(case.child.birth_date, referral.sent_on) <= 17
        answered = {r.status for r in referrals}
        if case.status == CaseStatus.REFERRED:
            assert answered <= {ReferralStatus.SENT, ReferralStatus.REFUSED}
        if case.status == CaseStatus.IN_REMEDIATION:
            assert ReferralStatus.ACCEPTED in answered and ReferralStatus.DELIVERED not in answered
        if case.status == CaseStatus.MONITORING:
            assert ReferralStatus.DELIVERED in answered and case.next_follow_up_on is not None
        if case.status == CaseStatus.CLOSED:
            assert case.closure_reason and case.closed_on is not None
            assert case.next_follow_up_on is None
        else:
            assert not case.closure_reason and case.closed_on is None
        if case.closure_reason == "out_of_child_labour":
            assert services.closure_rule_met(case)
        if case.closure_reason == "turned_18":
            assert workflow.age_on(case.child.birth_date, case.closed_on) >= 18  # type: ignore[arg-type]
        if case.closure_reason == "moved":
            assert case.transferred_to is not None
            assert case.transferred_to.kind not in PROVIDER_KINDS
    assert Case.objects.exclude(status=CaseStatus.CLOSED).filter(next_follow_up_on__lt=today)
    assert Observation.objects.filter(kind=Observation.Kind.FOLLOW_UP).exists()
    assert set(Referral.objects.values_list("status", flat=True)) == set(ReferralStatus.values)


def test_timelines_and_audit_entries(seeded: None) -> None:
    now = timezone.now()
    opened = {
        entry.object_id: entry for entry in AuditEntry.objects.filter(event=AuditEvent.CASE_OPENED)
    }
    for case in Case.objects.prefetch_related("events"):
        events = list(case.events.all())  # by time
        assert events[0].kind == (
            "opened" if case.transferred_from_id is None else "transferred_from"
        )
        if case.closure_reason == ClosureReason.MOVED:
            assert [e.kind for e in events[-2:]] == ["closed", "transferred_to"]
        elif case.status == CaseStatus.CLOSED:
            assert events[-1].kind == "closed"
        assert [e.id for e in events] == sorted(e.id for e in events)  # written in order
        entry = opened[str(case.pk)]
        assert entry.actor_id == case.opened_by_id and entry.child_id == case.child_id
    assert AuditEntry.objects.filter(event=AuditEvent.CHILD_CREATED).count() == CHILDREN
    assert AuditEntry.objects.filter(event=AuditEvent.IDENTIFICATION_CREATED).count() == CHILDREN
    assert AuditEntry.objects.filter(event=AuditEvent.REFERRAL_SENT).count() == (
        Referral.objects.count()
    )
    assert not AuditEntry.objects.filter(actor__isnull=True).exists()
    for model in (AuditEntry, CaseEvent):
        latest = model.objects.aggregate(latest=Max("at"))["latest"]
        assert latest is not None and timezone.is_aware(latest) and latest <= now
    dates = Observation.objects.aggregate(first=Min("observed_on"), last=Max("observed_on"))
    assert dates["last"] <= services.today()
    assert dates["first"] >= services.today() - datetime.timedelta(days=731)
    assert Case.objects.aggregate(last=Max("closed_on"))["last"] <= services.today()


def test_moved_closures_transfer_the_case(seeded: None) -> None:
    """As case_approve_closure and _case_transfer do it."""
    moved = list(
        Case.objects.filter(closure_reason=ClosureReason.MOVED).select_related(
            "child__household", "organisation", "transferred_to", "transferred_commune"
        )
    )
    assert len(moved) >= 3
    requested = Case.objects.filter(closure_requested_reason=ClosureReason.MOVED)
    for case in [*moved, *requested.select_related("transferred_to", "transferred_commune")]:
        # Another region's association (casework, not a provider), a commune of it.
        receiving = case.transferred_to
        assert receiving is not None and receiving.kind == OrganisationKind.ASSOCIATION
        assert receiving in selectors.casework_organisations()
        assert receiving.pk != case.organisation_id
        assert receiving.territory_code not in ("", case.region_id, case.province_id)
        commune = case.transferred_commune
        assert commune is not None and commune.lies_within(receiving.territory_code)
    transferred = Case.objects.filter(transferred_from__isnull=False)
    assert sorted(transferred.values_list("transferred_from_id", flat=True)) == sorted(
        case.pk for case in moved
    )
    for case in moved:
        receiving, commune = case.transferred_to, case.transferred_commune
        assert receiving is not None and commune is not None
        (new,) = Case.objects.filter(transferred_from=case).select_related("child__household")
        place = (commune.code, commune.province_id, commune.region_id)
        assert new.organisation_id == receiving.pk
        assert (new.commune_id, new.province_id, new.region_id) == place
        assert new.status == CaseStatus.IDENTIFIED and new.assigned_to_id is None
        assert (new.verdict, new.sector, new.risk_level) == (
            case.verdict,
            case.sector,
            case.risk_level,
        )
        assert new.opened_on == case.closed_on and new.opened_by_id == new.events.get().actor_id
        assert not new.referrals.exists() and not new.assessment and not new.consent_given
        # The receiving organisation's own child and household, copied.
        child, original = new.child, case.child
        assert child.pk != original.pk and child.organisation_id == receiving.pk
        for name in (
            "first_name_ar",
            "family_name_ar",
            "first_name_latin",
            "family_name_latin",
            "sex",
            "birth_date",
            "birth_date_estimated",
            "massar_code",
            "search_text",
        ):
            assert getattr(child, name) == getattr(original, name), name
        assert (child.commune_id, child.province_id, child.region_id) == place
        household = child.household
        assert household.pk != original.household_id
        assert household.organisation_id == receiving.pk and household.address == ""
        assert household.guardian_name == original.household.guardian_name
        assert (household.commune_id, household.province_id, household.region_id) == place
        # The latest observation, its classification as made.
        latest = list(case.observations.all())[-1]  # by date
        (copy,) = new.observations.all()
        assert copy.child_id == child.pk and copy.organisation_id == receiving.pk
        assert copy.kind == Observation.Kind.IDENTIFICATION
        for name in (
            "observed_on",
            "observed_by_id",
            "commune_id",
            "ruleset",
            "ruleset_version",
            "verdict",
            "rules",
            "citations",
            "age",
        ):
            assert getattr(copy, name) == getattr(latest, name), name
        # The timelines and the audit entries.
        sending = case.organisation
        last = list(case.events.all())[-1]
        assert (last.kind, last.detail) == (
            "transferred_to",
            {
                "organisation": receiving.pk,
                "name": receiving.name,
                "name_ar": receiving.name_ar,
                "commune": commune.code,
            },
        )
        (origin_event,) = new.events.all()
        assert (origin_event.kind, origin_event.detail) == (
            "transferred_from",
            {
                "organisation": sending.pk,
                "name": sending.name,
                "name_ar": sending.name_ar,
                "case": case.pk,
            },
        )

        def entry(event: AuditEvent, record: Model) -> AuditEntry:
            return AuditEntry.objects.get(
                event=event, object_type=record._meta.model_name, object_id=str(record.pk)
            )

        origin = {"transferred_from_case": case.pk, "from_organisation": sending.pk}
        closed = entry(AuditEvent.CASE_CLOSED, case)
        assert closed.detail == {
            "reason": ClosureReason.MOVED,
            "transferred_to": receiving.pk,
            "transferred_case": new.pk,
        }
        assert entry(AuditEvent.CHILD_CREATED, child).detail == origin
        assert entry(AuditEvent.CASE_OPENED, new).detail == {"verdict": new.verdict, **origin}
        assert entry(AuditEvent.IDENTIFICATION_CREATED, copy).detail == {
            "verdict": copy.verdict,
            "rules": copy.rules,
            "transferred_from_observation": latest.pk,
            **origin,
        }
        for audit in (closed, entry(AuditEvent.CASE_OPENED, new)):
            assert audit.actor_id == origin_event.actor_id == last.actor_id
    # The command still writes as many children as asked.
    assert Child.objects.count() == CHILDREN


def test_the_school_login_has_an_inbox(seeded: None) -> None:
    school = User.objects.get(username="school-01")
    assert school.organisation is not None
    # The school of the province of region 01 with the most children.
    children = Counter(Child.objects.filter(region_id="01").values_list("province_id", flat=True))
    assert school.territory_code == children.most_common(1)[0][0]
    waiting = Counter(selectors.referrals_waiting(user=school).values_list("status", flat=True))
    assert waiting[ReferralStatus.SENT] >= INBOX, waiting
    received = Counter(selectors.referral_visible_to(school).values_list("status", flat=True))
    assert received[ReferralStatus.DELIVERED] >= 3, received
    # It gets most of its province's education referrals.
    education = Referral.objects.filter(
        service="education", case__province_id=school.territory_code
    )
    assert education.filter(provider=school.organisation).count() >= 0.6 * education.count()


def test_the_demo_logins_see_their_share(seeded: None) -> None:
    supervisor = User.objects.get(username="supervisor-01")
    visible = selectors.case_list_for_user(user=supervisor)
    assert visible.exists()
    assert set(visible.values_list("region_id", flat=True)) == {"01"}
    inspector = User.objects.get(username="inspector-01")
    assert not set(selectors.case_visible_to(inspector)) & set(visible)
    school = User.objects.get(username="school-01")
    referrals = selectors.referral_visible_to(school)
    assert all(r.provider_id == school.organisation_id for r in referrals)
    analyst = User.objects.get(username="analyst")
    assert (
        selectors.caseload_counts(user=analyst, on=services.today()).total == Case.objects.count()
    )


def test_if_empty_does_nothing_the_second_time(seeded: None) -> None:
    counts = (Child.objects.count(), Case.objects.count(), User.objects.count())
    with override_settings(DEBUG=True):
        output = seed("--children", "50", "--if-empty")
        assert "already has 200 children" in output
        with pytest.raises(CommandError, match="already has 200 children"):
            seed("--children", "50")
    assert (Child.objects.count(), Case.objects.count(), User.objects.count()) == counts


@override_settings(DEBUG=False)
def test_refuses_without_debug_unless_given_a_password(db: None) -> None:
    load_small_geography()
    with pytest.raises(CommandError, match="DEBUG"):
        seed("--children", "10")
    assert not User.objects.exists() and not Child.objects.exists()

    seed("--children", "10", "--password", "a-private-password")
    assert Child.objects.count() == 10
    assert check_password("a-private-password", User.objects.get(username="worker-01").password)


@override_settings(DEBUG=True)
def test_loads_the_real_geography_when_none_is_loaded(db: None) -> None:
    assert not Commune.objects.exists()
    output = seed("--children", "300", "--seed", "1")
    assert "Demo data seeded" in output
    assert Region.objects.count() == 12 and Commune.objects.count() == 1503
    for region in Region.objects.all():
        for prefix in ("worker", "supervisor", "inspector", "school", "analyst", "admin"):
            assert User.objects.filter(username=f"{prefix}-{region.code}").exists()
    # Every province with communes (all but Casablanca's prefectures of arrondissements).
    for code in set(Commune.objects.values_list("province_id", flat=True)):
        kinds = set(Organisation.objects.filter(territory_code=code).values_list("kind", flat=True))
        assert kinds == PROVINCE_KINDS
    assert Child.objects.count() == 300
    assert Child.objects.values("region_id").distinct().count() >= 8
