"""identification_record: households, children, the classified observation, the case."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from himaya.accounts.models import Role, User
from himaya.audit.events import AuditEvent
from himaya.audit.models import AuditEntry
from himaya.cases import services, workflow
from himaya.cases.models import (
    Case,
    CaseEvent,
    CaseStatus,
    Child,
    Household,
    Observation,
)
from himaya.core.errors import ApplicationError, InvalidInput


def years_ago(years: int, days: int = 0) -> datetime.date:
    today = services.today()
    try:
        day = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        day = today.replace(year=today.year - years, day=28)
    return day - datetime.timedelta(days=days)


def household_in(world: Any, **fields: Any) -> services.HouseholdIn:
    values: dict[str, Any] = {"commune": world.commune.code, "guardian_name": "Fatima Amrani"}
    values.update(fields)
    return services.HouseholdIn(**values)


def child_in(**fields: Any) -> services.ChildIn:
    values: dict[str, Any] = {
        "first_name_ar": "يوسف",
        "family_name_ar": "العمراني",
        "first_name_latin": "Youssef",
        "family_name_latin": "El Amrani",
        "sex": "M",
        "birth_date": years_ago(13, 40),
    }
    values.update(fields)
    return services.ChildIn(**values)


def observation_in(**fields: Any) -> services.ObservationIn:
    values: dict[str, Any] = {
        "observed_on": services.today(),
        "economic_hours_week": 20.0,
        "sector": "trade",
    }
    values.update(fields)
    return services.ObservationIn(**values)


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Household, Child, Observation, Case, CaseEvent, AuditEntry)
    }


def entries(event: AuditEvent) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(event=event).order_by("id"))


# --- A child in child labour ------------------------------------------------------------


def test_a_child_in_child_labour_gets_a_household_a_child_an_observation_and_a_case(
    world: Any,
) -> None:
    result = services.identification_record(
        actor=world.worker,
        household=household_in(world, guardian_phone="06 12 34 56 78", guardian_cnie="be123456"),
        child=child_in(massar_code="j130012345"),
        observation=observation_in(),
    )
    child, observation, case = result.child, result.observation, result.case

    assert result.classification.verdict == "child_labour"
    household = child.household
    assert household.organisation == world.association and household.created_by == world.worker
    assert household.guardian_phone == "0612345678"  # spaces dropped
    assert household.guardian_cnie == "BE123456"  # upper case
    assert (household.commune, household.province, household.region) == (
        world.commune,
        world.province,
        world.region,
    )
    assert child.organisation == world.association
    assert child.massar_code == "J130012345"
    assert (child.commune_id, child.province_id, child.region_id) == (
        world.commune.code,
        world.province.code,
        world.region.code,
    )
    assert "youssef" in child.search_text and "العمراني" in child.search_text
    assert observation.kind == Observation.Kind.IDENTIFICATION
    assert observation.verdict == "child_labour" and observation.age == 13
    assert observation.rules == ["ma.below_minimum_age"] and observation.citations
    assert observation.ruleset == "ma-labour-code" and observation.ruleset_version
    assert observation.organisation == world.association and observation.observed_by == world.worker

    assert case is not None
    case.refresh_from_db()
    assert observation.case == case
    assert case.status == CaseStatus.IDENTIFIED and case.verdict == "child_labour"
    assert case.organisation == world.association and case.assigned_to == world.worker
    assert case.opened_by == world.worker and case.opened_on == services.today()
    assert case.sector == "trade" and case.risk_level == ""
    assert (case.commune_id, case.province_id, case.region_id) == (
        world.commune.code,
        world.province.code,
        world.region.code,
    )

    (created,) = entries(AuditEvent.CHILD_CREATED)
    assert (created.actor, created.child_id, created.object_type, created.object_id) == (
        world.worker,
        child.pk,
        "child",
        str(child.pk),
    )
    (identified,) = entries(AuditEvent.IDENTIFICATION_CREATED)
    assert identified.actor == world.worker and identified.child_id == child.pk
    assert identified.object_type == "observation" and identified.object_id == str(observation.pk)
    assert identified.detail == {"verdict": "child_labour", "rules": ["ma.below_minimum_age"]}
    (opened,) = entries(AuditEvent.CASE_OPENED)
    assert opened.actor == world.worker and opened.child_id == child.pk
    assert opened.object_type == "case" and opened.object_id == str(case.pk)
    assert opened.detail == {"verdict": "child_labour"}

    (event,) = CaseEvent.objects.filter(case=case)
    assert event.kind == "opened" and event.actor == world.worker
    assert event.detail == {"observation": observation.pk, "verdict": "child_labour"}


def test_names_and_free_text_never_reach_the_audit_log(world: Any) -> None:
    world.identify(notes="Travaille chez M. Bennani au souk", place="Souk Bab Fahs")
    for entry in AuditEntry.objects.all():
        text = str(entry.detail)
        for word in ("Youssef", "Amrani", "يوسف", "Fatima", "Bennani", "Souk"):
            assert word not in text


def test_a_worst_form_opens_a_high_risk_case(world: Any) -> None:
    result = world.identify(worst_forms=["forced_labour"], sector="agriculture")
    assert result.case.verdict == "worst_form"
    assert result.case.risk_level == "high"


def test_an_inspector_and_a_supervisor_may_identify(world: Any) -> None:
    for actor in (world.inspector, world.supervisor):
        result = world.identify(actor=actor)
        assert result.case.organisation_id == actor.organisation_id
        assert result.child.organisation_id == actor.organisation_id


@pytest.mark.parametrize(
    ("fields", "verdict"),
    [
        ({"economic_hours_week": 0.0, "sector": ""}, "not_working"),
        ({"economic_hours_week": None, "sector": ""}, "insufficient_information"),
    ],
)
def test_a_child_not_in_child_labour_gets_no_case(
    world: Any, fields: dict[str, Any], verdict: str
) -> None:
    result = world.identify(**fields)

    assert result.case is None and result.classification.verdict == verdict
    assert not Case.objects.exists() and not CaseEvent.objects.exists()
    assert Child.objects.count() == 1 and Observation.objects.get().case is None
    assert not entries(AuditEvent.CASE_OPENED)
    assert entries(AuditEvent.IDENTIFICATION_CREATED)[0].detail["verdict"] == verdict


def test_permitted_work_of_a_16_year_old_opens_no_case(world: Any) -> None:
    result = services.identification_record(
        actor=world.worker,
        household=household_in(world),
        child=child_in(birth_date=years_ago(16, 10)),
        observation=observation_in(),
    )
    assert result.classification.verdict == "permitted_work"
    assert result.case is None and not Case.objects.exists()


# --- The same child again -----------------------------------------------------------------


def test_a_second_identification_attaches_to_the_open_case_and_updates_its_verdict(
    world: Any,
) -> None:
    first = world.identify()
    case = first.case
    again = services.identification_record(
        actor=world.worker,
        existing_child=first.child,
        observation=observation_in(sector="construction", hazards=["heights"]),
    )

    assert again.case is not None and again.case.pk == case.pk
    assert again.observation.case_id == case.pk
    assert Case.objects.count() == 1 and Child.objects.count() == 1
    assert Household.objects.count() == 1
    case.refresh_from_db()
    assert case.verdict == "hazardous" and case.sector == "construction"
    assert case.status == CaseStatus.IDENTIFIED
    last = case.events.order_by("id").last()
    assert last is not None and last.kind == "observation"
    assert last.detail == {"observation": again.observation.pk, "verdict": "hazardous"}
    assert len(entries(AuditEvent.CHILD_CREATED)) == 1
    assert len(entries(AuditEvent.CASE_OPENED)) == 1
    assert [e.child_id for e in entries(AuditEvent.IDENTIFICATION_CREATED)] == [
        first.child.pk,
        first.child.pk,
    ]


def test_a_second_identification_not_in_child_labour_still_updates_the_open_case(
    world: Any,
) -> None:
    first = world.identify()
    again = services.identification_record(
        actor=world.worker,
        existing_child=first.child,
        observation=observation_in(economic_hours_week=0.0, sector=""),
    )
    assert again.case is not None and again.case.pk == first.case.pk
    first.case.refresh_from_db()
    assert first.case.verdict == "not_working"
    assert first.case.sector == "trade"  # no sector given: the case keeps its own


def test_an_older_identification_entered_late_keeps_the_newer_verdict(world: Any) -> None:
    first = world.identify(sector="construction", hazards=["heights"])
    services.identification_record(
        actor=world.worker,
        existing_child=first.child,
        observation=observation_in(observed_on=services.today() - datetime.timedelta(days=90)),
    )
    first.case.refresh_from_db()
    assert first.case.verdict == "hazardous" and first.case.sector == "construction"
    assert first.case.observations.count() == 2


def test_after_closure_a_new_identification_opens_a_new_case(world: Any) -> None:
    first = world.identify()
    services.case_request_closure(
        actor=world.supervisor, case=first.case, reason="lost_to_follow_up"
    )
    again = services.identification_record(
        actor=world.worker, existing_child=first.child, observation=observation_in()
    )
    assert again.case is not None and again.case.pk != first.case.pk
    assert again.case.status == CaseStatus.IDENTIFIED
    assert Case.objects.filter(child=first.child).count() == 2


def test_a_second_child_of_an_existing_household(world: Any) -> None:
    first = world.identify()
    sister = services.identification_record(
        actor=world.worker,
        existing_household=first.child.household,
        child=child_in(first_name_ar="سلمى", first_name_latin="Salma", sex="F"),
        observation=observation_in(),
    )
    assert Household.objects.count() == 1
    assert sister.child.household_id == first.child.household_id
    assert sister.child.commune_id == first.child.household.commune_id
    assert sister.case is not None and sister.case.pk != first.case.pk


def test_an_observation_in_another_commune_of_the_territory(world: Any) -> None:
    other = next(
        c
        for c in type(world.commune).objects.filter(province=world.province)
        if c.code != world.commune.code
    )
    result = world.identify(commune=other.code)
    assert result.observation.commune_id == other.code
    assert result.child.commune_id == world.commune.code  # the household's commune
    assert result.case.commune_id == world.commune.code


# --- Ages ------------------------------------------------------------------------------------


def test_an_estimated_birth_date_gives_the_engine_an_age_at_the_visit() -> None:
    born, on = datetime.date(2010, 6, 1), datetime.date(2024, 5, 1)
    data = services.ObservationIn(observed_on=on, economic_hours_week=10.0)
    estimated = services._engine_input(data, birth_date=born, estimated=True, sex="F")
    exact = services._engine_input(data, birth_date=born, estimated=False, sex="F")
    assert estimated["age"] == 13 and "birth_date" not in estimated
    assert exact["birth_date"] == born and "age" not in exact
    reported = services._engine_input(
        services.ObservationIn(observed_on=on, age_reported=15),
        birth_date=born,
        estimated=True,
        sex="F",
    )
    assert reported["age"] == 15


def test_identification_with_an_estimated_birth_date_uses_the_age_on_the_visit_day(
    world: Any,
) -> None:
    # 15 today, but 14 on the day of the visit a month ago: child labour then.
    result = services.identification_record(
        actor=world.worker,
        household=household_in(world),
        child=child_in(birth_date=years_ago(15, 10), birth_date_estimated=True),
        observation=observation_in(observed_on=services.today() - datetime.timedelta(days=30)),
    )
    assert result.observation.age == 14
    assert result.classification.verdict == "child_labour"
    assert result.child.birth_date_estimated
    assert result.case is not None


def test_the_reported_age_wins_over_an_estimated_birth_date(world: Any) -> None:
    result = services.identification_record(
        actor=world.worker,
        household=household_in(world),
        child=child_in(birth_date=years_ago(13), birth_date_estimated=True),
        observation=observation_in(age_reported=16),
    )
    assert result.observation.age == 16 and result.observation.age_reported == 16
    assert result.classification.verdict == "permitted_work" and result.case is None


# --- Who may identify --------------------------------------------------------------------


@pytest.mark.parametrize("who", ["provider", "analyst", "administrator"])
def test_other_roles_may_not_identify(world: Any, who: str) -> None:
    before = counts()
    with pytest.raises(ApplicationError) as refused:
        world.identify(actor=getattr(world, who))
    assert refused.value.code == "forbidden" and refused.value.status == 403
    assert counts() == before


def test_a_caseworker_without_organisation_may_not_identify(world: Any) -> None:
    loner = User.objects.create_user(
        username="loner", role=Role.SOCIAL_WORKER, territory_code=world.region.code
    )
    with pytest.raises(ApplicationError) as refused:
        world.identify(actor=loner)
    assert refused.value.code == "forbidden"
    assert not Child.objects.exists()


def test_a_commune_outside_the_territory_is_refused(world: Any) -> None:
    before = counts()
    with pytest.raises(InvalidInput) as invalid:
        services.identification_record(
            actor=world.worker,
            household=household_in(world, commune=world.far_commune.code),
            child=child_in(),
            observation=observation_in(),
        )
    assert invalid.value.errors == {"commune": [str(services.COMMUNE_OUT_OF_TERRITORY)]}
    assert counts() == before


def test_an_observation_commune_outside_the_territory_is_refused(world: Any) -> None:
    before = counts()
    with pytest.raises(InvalidInput) as invalid:
        world.identify(commune=world.far_commune.code)
    assert invalid.value.errors == {"commune": [str(services.COMMUNE_OUT_OF_TERRITORY)]}
    assert counts() == before
    with pytest.raises(InvalidInput) as invalid:
        world.identify(commune="99.999.99.99")
    assert invalid.value.errors == {"commune": [services.UNKNOWN_CODE % {"value": "99.999.99.99"}]}
    assert counts() == before


def test_a_country_wide_inspector_may_identify_anywhere(world: Any) -> None:
    world.inspector.territory_code = ""
    world.inspector.save()
    result = services.identification_record(
        actor=world.inspector,
        household=household_in(world, commune=world.far_commune.code),
        child=child_in(),
        observation=observation_in(),
    )
    assert result.case is not None and result.case.region_id == world.far_commune.region_id


# --- Validation: each field, nothing half-saved ------------------------------------------

TOMORROW = datetime.timedelta(days=1)


def _invalid_cases() -> list[tuple[str, dict[str, Any], dict[str, Any], dict[str, Any], str, Any]]:
    """(id, household fields, child fields, observation fields, bad field, message)."""
    s = services
    return [
        ("cnie digits only", {"guardian_cnie": "123456"}, {}, {}, "guardian_cnie", s.CNIE_FORMAT),
        ("cnie letters only", {"guardian_cnie": "BE"}, {}, {}, "guardian_cnie", s.CNIE_FORMAT),
        ("cnie 3 letters", {"guardian_cnie": "ABC123"}, {}, {}, "guardian_cnie", s.CNIE_FORMAT),
        ("rsu letters", {"rsu_number": "12A45"}, {}, {}, "rsu_number", s.RSU_FORMAT),
        (
            "phone letters",
            {"guardian_phone": "06ABCDEF12"},
            {},
            {},
            "guardian_phone",
            s.PHONE_FORMAT,
        ),
        ("phone short", {"guardian_phone": "061234"}, {}, {}, "guardian_phone", s.PHONE_FORMAT),
        ("guardian blank", {"guardian_name": "   "}, {}, {}, "guardian_name", s.REQUIRED),
        ("commune blank", {"commune": ""}, {}, {}, "commune", s.REQUIRED),
        ("massar short", {}, {"massar_code": "J13001234"}, {}, "massar_code", s.MASSAR_FORMAT),
        ("massar digits", {}, {"massar_code": "1130012345"}, {}, "massar_code", s.MASSAR_FORMAT),
        ("first name blank", {}, {"first_name_ar": " "}, {}, "first_name_ar", s.REQUIRED),
        ("latin name blank", {}, {"family_name_latin": ""}, {}, "family_name_latin", s.REQUIRED),
        ("sex blank", {}, {"sex": ""}, {}, "sex", s.REQUIRED),
        ("birth missing", {}, {"birth_date": None}, {}, "birth_date", s.REQUIRED),
        (
            "birth future",
            {},
            {"birth_date": services.today() + TOMORROW},
            {},
            "birth_date",
            s.BIRTH_FUTURE,
        ),
        (
            "visit future",
            {},
            {},
            {"observed_on": services.today() + TOMORROW},
            "observed_on",
            s.FUTURE_DATE,
        ),
        ("visit missing", {}, {}, {"observed_on": None}, "observed_on", s.REQUIRED),
    ]


@pytest.mark.parametrize(
    ("household", "child", "observation", "field", "message"),
    [case[1:] for case in _invalid_cases()],
    ids=[case[0] for case in _invalid_cases()],
)
def test_each_invalid_field_is_named_with_its_message_and_nothing_is_saved(
    world: Any,
    household: dict[str, Any],
    child: dict[str, Any],
    observation: dict[str, Any],
    field: str,
    message: Any,
) -> None:
    before = counts()
    with pytest.raises(InvalidInput) as invalid:
        services.identification_record(
            actor=world.worker,
            household=household_in(world, **household),
            child=child_in(**child),
            observation=observation_in(**observation),
        )
    assert invalid.value.errors == {field: [str(message)]}
    assert invalid.value.code == "invalid"
    assert counts() == before


@pytest.mark.parametrize(
    ("fields", "field", "value"),
    [
        ({"sector": "space"}, "sector", "space"),
        ({"hazards": ["heights", "lava"]}, "hazards", "lava"),
        ({"worst_forms": ["piracy"]}, "worst_forms", "piracy"),
        ({"sex": "X"}, "sex", "X"),
        ({"commune": "01.999.99.99"}, "commune", "01.999.99.99"),
    ],
)
def test_unknown_codes_are_named(
    world: Any, fields: dict[str, Any], field: str, value: str
) -> None:
    before = counts()
    household = household_in(world)
    child = child_in()
    observation: dict[str, Any] = {}
    if field in ("sector", "hazards", "worst_forms"):
        observation = fields
    elif field == "sex":
        child = child_in(sex="X")
    else:
        household = household_in(world, commune=fields["commune"])
    with pytest.raises(InvalidInput) as invalid:
        services.identification_record(
            actor=world.worker,
            household=household,
            child=child,
            observation=observation_in(**observation),
        )
    assert invalid.value.errors == {field: [services.UNKNOWN_CODE % {"value": value}]}
    assert counts() == before


def test_every_error_is_reported_at_once(world: Any) -> None:
    before = counts()
    with pytest.raises(InvalidInput) as invalid:
        services.identification_record(
            actor=world.worker,
            household=household_in(world, guardian_cnie="1", rsu_number="x", guardian_phone="1"),
            child=child_in(massar_code="1", birth_date=services.today() + TOMORROW),
            observation=observation_in(sector="space", hazards=["lava"]),
        )
    assert set(invalid.value.errors) == {
        "guardian_cnie",
        "rsu_number",
        "guardian_phone",
        "massar_code",
        "birth_date",
        "sector",
        "hazards",
    }
    assert counts() == before


def test_an_engine_refusal_names_our_field(world: Any) -> None:
    before = counts()
    with pytest.raises(InvalidInput) as invalid:
        world.identify(economic_hours_week=-3.0)
    assert list(invalid.value.errors) == ["economic_hours_week"]
    assert invalid.value.errors["economic_hours_week"][0]
    assert counts() == before


def test_valid_identifiers_are_accepted(world: Any) -> None:
    result = services.identification_record(
        actor=world.worker,
        household=household_in(
            world, guardian_cnie=" k12 ", rsu_number="0012345", guardian_phone="+212.612.345.678"
        ),
        child=child_in(massar_code=" r130012345 "),
        observation=observation_in(),
    )
    household = result.child.household
    assert (household.guardian_cnie, household.rsu_number, household.guardian_phone) == (
        "K12",
        "0012345",
        "+212612345678",
    )
    assert result.child.massar_code == "R130012345"


def test_missing_household_or_child_is_refused(world: Any) -> None:
    with pytest.raises(InvalidInput) as invalid:
        services.identification_record(
            actor=world.worker, child=child_in(), observation=observation_in()
        )
    assert "guardian_name" in invalid.value.errors
    with pytest.raises(InvalidInput) as invalid:
        services.identification_record(
            actor=world.worker, household=household_in(world), observation=observation_in()
        )
    assert "first_name_latin" in invalid.value.errors
    assert not Household.objects.exists()


def test_a_failure_after_saving_rolls_everything_back(
    world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_case_open", broken)
    before = counts()
    with pytest.raises(RuntimeError):
        world.identify()
    assert counts() == before


# --- One open case per child ------------------------------------------------------------------


def test_the_database_allows_one_open_case_per_child(world: Any) -> None:
    case = world.identify().case
    duplicate = Case(
        child=case.child,
        organisation=case.organisation,
        verdict="child_labour",
        opened_on=services.today(),
        opened_by=world.worker,
    )
    duplicate.place_at(case.commune)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    # Closed cases do not count.
    Case.objects.filter(pk=case.pk).update(status=workflow.CLOSED)
    duplicate.save()
    closed_again = Case(
        child=case.child,
        organisation=case.organisation,
        verdict="child_labour",
        opened_on=services.today(),
        opened_by=world.worker,
        status=CaseStatus.CLOSED,
    )
    closed_again.place_at(case.commune)
    closed_again.save()
    assert Case.objects.filter(child=case.child).count() == 3
