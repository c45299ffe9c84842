"""Scope: who sees which child, household, case and referral; lists and aggregates."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from himaya.accounts.models import Organisation, OrganisationKind, Role, User, territory_level
from himaya.cases import selectors, services
from himaya.cases.models import Case, CaseStatus, Observation, Referral
from himaya.cases.selectors import (
    CaseFilters,
    approvals_waiting,
    case_get_for_user,
    case_list_for_user,
    case_visible_to,
    caseload_counts,
    child_get_for_user,
    child_visible_to,
    household_visible_to,
    overdue_follow_ups,
    provider_directory,
    referral_get_for_user,
    referral_visible_to,
    referrals_waiting,
)
from himaya.core.errors import NotFound
from himaya.geography.models import Commune


def identify(world: Any, actor: Any = None, commune: Commune | None = None, **obs: Any) -> Case:
    """A 13-year-old in child labour, identified by ``actor`` in ``commune``."""
    fields: dict[str, Any] = {
        "observed_on": services.today(),
        "economic_hours_week": 20.0,
        "sector": "trade",
    }
    fields.update(obs)
    result = services.identification_record(
        actor=actor or world.worker,
        household=services.HouseholdIn(
            commune=(commune or world.commune).code, guardian_name="Fatima"
        ),
        child=services.ChildIn(
            first_name_ar="يوسف",
            family_name_ar="العمراني",
            first_name_latin="Youssef",
            family_name_latin="El Amrani",
            sex="M",
            birth_date=services.today() - datetime.timedelta(days=13 * 366),
        ),
        observation=services.ObservationIn(**fields),
    )
    assert result.case is not None
    return result.case


def refer(world: Any, case: Case, provider: Organisation | None = None) -> Referral:
    if case.status == CaseStatus.IDENTIFIED:
        services.case_assess(actor=world.supervisor, case=case, risk_level="low", assessment="x")
        services.case_record_consent(
            actor=world.supervisor, case=case, child_consent=True, guardian_consent=True
        )
    provider = provider or world.school
    service = provider.service
    assert service is not None
    return services.referral_send(
        actor=world.supervisor, case=case, service=service, provider=provider
    )


def member(world: Any, territory: str, role: str = Role.SOCIAL_WORKER, **kw: Any) -> User:
    """A user of the world's association, not saved (scope reads only its fields)."""
    values: dict[str, Any] = {"organisation": world.association, "role": role}
    values.update(kw)
    return User(username=f"u{territory}", territory_code=territory, **values)


@pytest.fixture
def case(world: Any) -> Case:
    return identify(world)


@pytest.fixture
def referral(world: Any, case: Case) -> Referral:
    return refer(world, case)


def sees(user: Any, case: Case, referral: Referral | None = None) -> dict[str, bool]:
    found = {
        "case": case_visible_to(user).filter(pk=case.pk).exists(),
        "child": child_visible_to(user).filter(pk=case.child_id).exists(),
        "household": household_visible_to(user).filter(pk=case.child.household_id).exists(),
    }
    if referral is not None:
        found["referral"] = referral_visible_to(user).filter(pk=referral.pk).exists()
    return found


#: Typed Any: the selectors are typed for User, and pages hand them request.user.
ANONYMOUS: Any = AnonymousUser()

ALL = {"case": True, "child": True, "household": True, "referral": True}
NOTHING = {"case": False, "child": False, "household": False, "referral": False}
REFERRAL_ONLY = {**NOTHING, "referral": True}


# --- The visible_to querysets ------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("worker", ALL),
        ("supervisor", ALL),
        ("inspector", NOTHING),  # another organisation (the inspectorate)
        ("other_org_worker", NOTHING),
        ("other_territory_worker", NOTHING),
        ("provider", REFERRAL_ONLY),
        ("other_provider", NOTHING),
        ("analyst", NOTHING),
        ("administrator", NOTHING),
    ],
)
def test_who_sees_the_case_child_household_and_referral(
    world: Any, case: Case, referral: Referral, who: str, expected: dict[str, bool]
) -> None:
    assert sees(getattr(world, who), case, referral) == expected


def test_an_anonymous_user_sees_nothing(world: Any, case: Case, referral: Referral) -> None:
    assert sees(ANONYMOUS, case, referral) == NOTHING


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.SUPERVISOR, Role.PROVIDER, ""])
def test_a_user_without_organisation_sees_nothing(
    world: Any, case: Case, referral: Referral, role: str
) -> None:
    loner = User.objects.create_user(username="loner", role=role, territory_code="")
    assert sees(loner, case, referral) == NOTHING


def test_a_user_without_role_sees_nothing(world: Any, case: Case, referral: Referral) -> None:
    roleless = User.objects.create_user(
        username="roleless", organisation=world.association, territory_code=""
    )
    assert sees(roleless, case, referral) == NOTHING


def test_a_superuser_without_casework_role_sees_no_child(
    world: Any, case: Case, referral: Referral
) -> None:
    admin = User.objects.create_superuser(username="root", password="x")
    assert sees(admin, case, referral) == NOTHING


def test_a_caseworker_sees_every_record_of_the_organisation_in_territory(
    world: Any, case: Case
) -> None:
    colleague_case = identify(world, actor=world.supervisor)
    assert set(case_visible_to(world.worker)) == {case, colleague_case}
    # The other organisation's case in the same commune stays out.
    identify(world, actor=world.other_org_worker)
    assert set(case_visible_to(world.worker)) == {case, colleague_case}
    assert case_visible_to(world.other_org_worker).count() == 1


# --- Territory levels -------------------------------------------------------------------------


def test_territory_levels_from_the_shape_of_the_code() -> None:
    assert territory_level("") == "country"
    assert territory_level("01") == "region"
    assert territory_level("01.511") == "province"
    assert territory_level("01.511.01.0") == "commune"  # city of arrondissements
    assert territory_level("01.511.05.19") == "commune"
    assert territory_level("0") == "invalid"
    assert territory_level("01.5") == "invalid"
    assert territory_level("01.511.05.190") == "invalid"


@pytest.mark.parametrize(
    ("territory", "visible"),
    [
        ("", True),  # the whole country
        ("01", True),  # the region
        ("07", False),  # another region
        ("01.511", True),  # the province
        ("01.571", False),  # another province of the same region
        ("01.511.01.0", True),  # the commune (11 characters)
        ("01.511.05.19", False),  # another commune of the same province
        ("0", False),  # invalid codes see nothing
        ("01.5", False),
    ],
)
def test_scope_at_each_territory_level(
    world: Any, case: Case, territory: str, visible: bool
) -> None:
    assert case.commune_id == "01.511.01.0"
    user = member(world, territory)
    expected = {"case": visible, "child": visible, "household": visible}
    assert sees(user, case) == expected
    referral = refer(world, case)
    assert referral_visible_to(user).filter(pk=referral.pk).exists() == visible


def test_a_commune_with_a_12_character_code_is_a_commune_scope(world: Any) -> None:
    commune = Commune.objects.get(code="01.511.05.19")
    there = identify(world, commune=commune)
    elsewhere = identify(world)
    user = member(world, "01.511.05.19")
    assert list(case_visible_to(user)) == [there]
    assert list(child_visible_to(user)) == [there.child]
    assert elsewhere not in case_visible_to(user)


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.SUPERVISOR, Role.INSPECTOR])
def test_every_casework_role_has_the_same_scope(world: Any, case: Case, role: str) -> None:
    assert sees(member(world, "01", role=role), case)["case"]
    assert not sees(member(world, "07", role=role), case)["case"]


# --- Single records: not found, never forbidden -----------------------------------------------

OUTSIDERS = [
    "inspector",
    "other_org_worker",
    "other_territory_worker",
    "provider",
    "analyst",
    "administrator",
]


def test_case_and_child_get_for_the_caseworker(world: Any, case: Case) -> None:
    found = case_get_for_user(user=world.worker, case_id=case.pk)
    assert found == case and found.child.household_id == case.child.household_id
    assert child_get_for_user(user=world.worker, child_id=case.child_id) == case.child


@pytest.mark.parametrize("who", OUTSIDERS)
def test_case_and_child_get_are_not_found_outside_the_scope(
    world: Any, case: Case, who: str
) -> None:
    with pytest.raises(NotFound) as missing:
        case_get_for_user(user=getattr(world, who), case_id=case.pk)
    assert missing.value.status == 404 and missing.value.code == "not_found"
    with pytest.raises(NotFound):
        child_get_for_user(user=getattr(world, who), child_id=case.child_id)


def test_get_of_a_record_that_does_not_exist_is_the_same_not_found(world: Any) -> None:
    with pytest.raises(NotFound):
        case_get_for_user(user=world.worker, case_id=999_999)
    with pytest.raises(NotFound):
        referral_get_for_user(user=world.worker, referral_id=999_999)


def test_get_for_an_anonymous_user_is_not_found(world: Any, case: Case, referral: Referral) -> None:
    with pytest.raises(NotFound):
        case_get_for_user(user=ANONYMOUS, case_id=case.pk)
    with pytest.raises(NotFound):
        referral_get_for_user(user=ANONYMOUS, referral_id=referral.pk)


@pytest.mark.parametrize("who", ["worker", "supervisor", "provider"])
def test_referral_get_for_the_caseworker_and_the_addressed_provider(
    world: Any, referral: Referral, who: str
) -> None:
    assert referral_get_for_user(user=getattr(world, who), referral_id=referral.pk) == referral


@pytest.mark.parametrize(
    "who", ["other_provider", "other_org_worker", "other_territory_worker", "analyst", "inspector"]
)
def test_referral_get_is_not_found_for_others(world: Any, referral: Referral, who: str) -> None:
    with pytest.raises(NotFound):
        referral_get_for_user(user=getattr(world, who), referral_id=referral.pk)


def test_a_provider_sees_only_the_referrals_addressed_to_it(world: Any, case: Case) -> None:
    to_school = refer(world, case)
    to_office = refer(world, case, world.social_protection)
    # Another organisation's case, referred to the same school, is visible to the school.
    other_case = identify(world, actor=world.other_org_worker)
    other_case.status = CaseStatus.ASSESSED
    other_case.child_consent = other_case.guardian_consent = True
    other_case.save()
    from_other = services.referral_send(
        actor=world.other_org_worker, case=other_case, service="education", provider=world.school
    )
    assert set(referral_visible_to(world.provider)) == {to_school, from_other}
    assert not referral_visible_to(world.other_provider).exists()
    assert set(referral_visible_to(world.worker)) == {to_school, to_office}
    assert set(referral_visible_to(world.other_org_worker)) == {from_other}


def test_the_providers_own_territory_does_not_limit_its_referrals(
    world: Any, referral: Referral
) -> None:
    world.provider.territory_code = world.far_commune.province_id
    assert referral_visible_to(world.provider).get() == referral


# --- Lists ------------------------------------------------------------------------------------


def test_case_list_filters(world: Any, case: Case) -> None:
    near = identify(world, actor=world.supervisor, commune=world.near_commune)
    hazardous = identify(world, sector="construction", hazards=["heights"])
    services.case_assign(actor=world.supervisor, case=near, assignee=world.supervisor)

    def listed(user: Any = None, **filters: Any) -> set[Case]:
        return set(
            case_list_for_user(user=user or world.supervisor, filters=CaseFilters(**filters))
        )

    assert listed() == {case, near, hazardous}
    assert listed(verdict="hazardous") == {hazardous}
    assert listed(sector="construction") == {hazardous}
    assert listed(sector="trade") == {case, near}
    assert listed(region=world.region.code) == {case, near, hazardous}
    assert listed(region=world.far_commune.region_id) == set()
    assert listed(province=world.province.code) == {case, hazardous}
    assert listed(commune=world.near_commune.code) == {near}
    assert listed(status="identified") == {case, near, hazardous}
    assert listed(status="closed") == set()
    assert listed(assigned_to_me=True) == {near}
    assert listed(world.worker, assigned_to_me=True) == {case, hazardous}
    # The worker's province does not include the near commune, whatever the filter says.
    assert listed(world.worker, commune=world.near_commune.code) == set()
    assert list(case_list_for_user(user=world.supervisor)) == sorted(
        [case, near, hazardous], key=lambda c: (c.opened_on, c.pk), reverse=True
    )


def test_listing_cases_costs_one_query_however_many(
    world: Any, django_assert_num_queries: Any
) -> None:
    def read() -> None:
        for found in case_list_for_user(user=world.worker, filters=CaseFilters(q="youssef")):
            assert found.child.name_latin and found.commune.name
            assert found.assigned_to is not None and found.assigned_to.username

    identify(world)
    with django_assert_num_queries(1):
        read()
    for _ in range(4):
        identify(world)
    with django_assert_num_queries(1):
        read()


def test_overdue_follow_ups(world: Any, case: Case) -> None:
    today = services.today()
    late = identify(world)
    closed = identify(world)
    outside = identify(world, actor=world.other_org_worker)
    Case.objects.filter(pk__in=[late.pk, outside.pk]).update(
        next_follow_up_on=today - datetime.timedelta(days=1)
    )
    Case.objects.filter(pk=case.pk).update(next_follow_up_on=today)  # due today: not late
    services.case_request_closure(actor=world.supervisor, case=closed, reason="lost_to_follow_up")
    Case.objects.filter(pk=closed.pk).update(next_follow_up_on=today - datetime.timedelta(days=9))

    assert list(overdue_follow_ups(user=world.worker, on=today)) == [late]
    assert list(overdue_follow_ups(user=world.other_org_worker, on=today)) == [outside]
    assert set(overdue_follow_ups(user=world.worker, on=today + datetime.timedelta(days=1))) == {
        late,
        case,
    }
    for user in (world.analyst, world.provider, world.administrator, ANONYMOUS):
        assert not overdue_follow_ups(user=user, on=today).exists()


def test_approvals_waiting_for_the_supervisor(world: Any, case: Case) -> None:
    to_close = identify(world)
    nothing = identify(world)
    elsewhere = identify(world, actor=world.other_org_worker)
    services.case_assess(actor=world.worker, case=case, risk_level="low", assessment="x")
    services.case_request_closure(actor=world.worker, case=to_close, reason="lost_to_follow_up")
    services.case_assess(
        actor=world.other_org_worker, case=elsewhere, risk_level="low", assessment="x"
    )

    assert set(approvals_waiting(user=world.supervisor)) == {case, to_close}
    assert nothing not in approvals_waiting(user=world.supervisor)
    services.case_approve_closure(actor=world.supervisor, case=to_close)
    services.case_approve_assessment(actor=world.supervisor, case=case)
    assert not approvals_waiting(user=world.supervisor).exists()


@pytest.mark.parametrize("who", ["worker", "inspector", "provider", "analyst", "administrator"])
def test_approvals_wait_for_supervisors_only(world: Any, case: Case, who: str) -> None:
    services.case_assess(actor=world.worker, case=case, risk_level="low", assessment="x")
    assert not approvals_waiting(user=getattr(world, who)).exists()


def test_an_anonymous_user_has_nothing_waiting(world: Any, referral: Referral) -> None:
    assert not approvals_waiting(user=ANONYMOUS).exists()
    assert not referrals_waiting(user=ANONYMOUS).exists()


def test_referrals_waiting(world: Any, case: Case) -> None:
    sent = refer(world, case)
    accepted = refer(world, case)
    refused = refer(world, case)
    delivered = refer(world, case)
    services.referral_accept(actor=world.provider, referral=accepted)
    services.referral_refuse(actor=world.provider, referral=refused, reason="Complet")
    services.referral_accept(actor=world.provider, referral=delivered)
    services.referral_deliver(actor=world.provider, referral=delivered)

    # The provider: to answer or to deliver. The caseworker: not yet answered.
    assert list(referrals_waiting(user=world.provider)) == [sent, accepted]
    assert list(referrals_waiting(user=world.worker)) == [sent]
    assert not referrals_waiting(user=world.other_provider).exists()
    assert not referrals_waiting(user=world.other_org_worker).exists()
    assert not referrals_waiting(user=world.analyst).exists()


def test_referrals_of_a_closed_case_no_longer_wait(world: Any, case: Case) -> None:
    refer(world, case)
    services.case_request_closure(actor=world.supervisor, case=case, reason="lost_to_follow_up")
    assert not referrals_waiting(user=world.provider).exists()
    assert not referrals_waiting(user=world.worker).exists()
    # Still visible, for the record.
    assert referral_visible_to(world.provider).exists()


def test_referral_inbox_by_status(world: Any, case: Case) -> None:
    sent = refer(world, case)
    accepted = refer(world, case)
    services.referral_accept(actor=world.provider, referral=accepted)
    assert set(selectors.referral_inbox(user=world.provider)) == {sent, accepted}
    assert list(selectors.referral_inbox(user=world.provider, status="accepted")) == [accepted]
    assert not selectors.referral_inbox(user=world.other_provider).exists()


def test_provider_directory_by_service_and_territory(world: Any) -> None:
    national = Organisation.objects.create(
        name="AMO national", kind=OrganisationKind.SOCIAL_PROTECTION, territory_code=""
    )
    closed_school = Organisation.objects.create(
        name="École fermée",
        kind=OrganisationKind.SCHOOL,
        territory_code=world.province.code,
        active=False,
    )
    second_chance = Organisation.objects.create(
        name="École de la deuxième chance",
        kind=OrganisationKind.SECOND_CHANCE_SCHOOL,
        territory_code=world.commune.code,
    )

    education_here = set(provider_directory(service="education", commune=world.commune))
    assert education_here == {world.school, world.other_school, second_chance}
    assert closed_school not in education_here and world.far_school not in education_here
    # The near commune is in another province: the schools of this province do not serve it.
    assert not provider_directory(service="education", commune=world.near_commune).exists()
    assert list(provider_directory(service="education", commune=world.far_commune)) == [
        world.far_school
    ]
    assert set(provider_directory(service="social_protection", commune=world.near_commune)) == {
        world.social_protection,
        national,
    }
    assert list(provider_directory(service="social_protection", commune=world.far_commune)) == [
        national
    ]
    assert list(provider_directory(service="vocational", commune=world.commune)) == [
        world.training_centre
    ]
    assert not provider_directory(service="justice", commune=world.commune).exists()
    # Every provider listed is one referral_send accepts.
    for organisation in provider_directory(service="education", commune=world.commune):
        assert world.commune.lies_within(organisation.territory_code)


def test_caseworkers_of_and_casework_organisations(world: Any) -> None:
    names = list(
        selectors.caseworkers_of(organisation_id=world.association.pk).values_list(
            "username", flat=True
        )
    )
    assert names == ["other_territory", "supervisor", "worker"]
    organisations = set(selectors.casework_organisations())
    assert {world.association, world.other_association, world.inspectorate} <= organisations
    assert world.school not in organisations and world.social_protection not in organisations


# --- Aggregates -------------------------------------------------------------------------------


@pytest.fixture
def three_cases(world: Any) -> dict[str, Case]:
    """The association's case, another association's case in the same commune, and
    a case in the other region."""
    return {
        "ours": identify(world),
        "theirs": identify(world, actor=world.other_org_worker),
        "far": identify(world, actor=world.other_territory_worker, commune=world.far_commune),
    }


def test_the_analyst_counts_every_organisation_but_sees_no_case(
    world: Any, three_cases: dict[str, Case]
) -> None:
    today = services.today()
    counts = caseload_counts(user=world.analyst, on=today)
    assert counts.total == 3
    assert counts.by_status == {"identified": 3}
    assert counts.by_verdict == {"child_labour": 3}
    assert counts.by_region == {world.region.code: 2, world.far_commune.region_id: 1}
    assert counts.by_province == {world.province.code: 2, world.far_commune.province_id: 1}
    assert counts.overdue == 0
    assert not case_visible_to(world.analyst).exists()
    assert not child_visible_to(world.analyst).exists()
    assert not referral_visible_to(world.analyst).exists()


def test_the_analysts_counts_stay_within_the_territory(
    world: Any, three_cases: dict[str, Case]
) -> None:
    world.analyst.territory_code = world.region.code
    assert caseload_counts(user=world.analyst, on=services.today()).total == 2
    world.analyst.territory_code = world.far_commune.province_id
    assert caseload_counts(user=world.analyst, on=services.today()).total == 1


def test_the_supervisor_counts_the_organisations_cases_in_territory(
    world: Any, three_cases: dict[str, Case]
) -> None:
    today = services.today()
    services.case_request_closure(
        actor=world.supervisor, case=three_cases["ours"], reason="lost_to_follow_up"
    )
    other = identify(world, sector="construction", hazards=["heights"])
    Case.objects.filter(pk=other.pk).update(next_follow_up_on=today - datetime.timedelta(days=1))

    counts = caseload_counts(user=world.supervisor, on=today)
    assert counts.total == 2
    assert counts.by_status == {"closed": 1, "identified": 1}
    assert counts.by_verdict == {"hazardous": 1}  # open cases only
    assert counts.by_region == {world.region.code: 1}
    assert counts.overdue == 1


@pytest.mark.parametrize(
    "who", ["worker", "inspector", "provider", "administrator", "other_territory_worker"]
)
def test_other_roles_count_nothing(world: Any, three_cases: dict[str, Case], who: str) -> None:
    counts = caseload_counts(user=getattr(world, who), on=services.today())
    assert counts.total == 0 and counts.by_status == {} and counts.overdue == 0


def test_an_anonymous_user_counts_nothing(world: Any, three_cases: dict[str, Case]) -> None:
    assert caseload_counts(user=ANONYMOUS, on=services.today()).total == 0


# --- Reads of one case ------------------------------------------------------------------------


def test_timeline_observations_and_referrals_of_a_case(world: Any, case: Case) -> None:
    referral = refer(world, case)
    assert [e.kind for e in selectors.case_timeline(case)][0] == "opened"
    assert [o.kind for o in selectors.case_observations(case)] == ["identification"]
    assert selectors.case_referrals(case) == [referral]


def test_the_reads_of_a_case_are_in_date_order_whatever_the_order_of_entry(
    world: Any, case: Case
) -> None:
    # Sorted in Python (see case_observations): entered out of date order on purpose.
    first, second = refer(world, case), refer(world, case)
    today = services.today()
    Referral.objects.filter(pk=first.pk).update(sent_on=today)
    Referral.objects.filter(pk=second.pk).update(sent_on=today - datetime.timedelta(days=3))
    identification = case.observations.get()
    later = Observation.objects.get(pk=identification.pk)
    later.pk = None
    later.kind = "follow_up"
    later.save()
    Observation.objects.filter(pk=identification.pk).update(observed_on=later.observed_on)
    Observation.objects.filter(pk=later.pk).update(
        observed_on=later.observed_on - datetime.timedelta(days=10)
    )

    observations = selectors.case_observations(case)
    assert [o.pk for o in observations] == [later.pk, identification.pk]  # oldest first
    assert [r.pk for r in selectors.case_referrals(case)] == [first.pk, second.pk]  # newest
    events = selectors.case_timeline(case)
    assert [(e.at, e.pk) for e in events] == sorted((e.at, e.pk) for e in events)
