"""Follow-up visits: a new classified observation and the next visit scheduled."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.conf import LazySettings

from himaya.audit.events import AuditEvent
from himaya.audit.models import AuditEntry
from himaya.cases import services
from himaya.cases.models import Case, CaseEvent, Observation
from himaya.core.errors import ApplicationError, InvalidInput


@pytest.fixture
def case(world: Any) -> Case:
    found: Case = world.identify(observed_on=services.today() - datetime.timedelta(days=200)).case
    return found


def visit(days_ago: int, **fields: Any) -> services.ObservationIn:
    values: dict[str, Any] = {
        "observed_on": services.today() - datetime.timedelta(days=days_ago),
        "economic_hours_week": 0.0,
        "in_school_or_training": True,
    }
    values.update(fields)
    return services.ObservationIn(**values)


def counts() -> tuple[int, int, int]:
    return Observation.objects.count(), CaseEvent.objects.count(), AuditEntry.objects.count()


def test_a_follow_up_is_classified_and_schedules_the_next_visit(world: Any, case: Case) -> None:
    saved = services.follow_up_record(actor=world.worker, case=case, observation=visit(5))

    assert saved.kind == Observation.Kind.FOLLOW_UP and saved.case_id == case.pk
    assert saved.verdict == "not_working" and saved.in_school_or_training is True
    assert saved.observed_by == world.worker and saved.organisation == world.association
    assert saved.commune_id == case.commune_id
    case.refresh_from_db()
    assert case.verdict == "not_working"
    assert case.next_follow_up_on == services.today() + datetime.timedelta(days=25)

    (entry,) = AuditEntry.objects.filter(event=AuditEvent.FOLLOW_UP_RECORDED)
    assert (entry.actor, entry.child_id, entry.object_type, entry.object_id) == (
        world.worker,
        case.child_id,
        "observation",
        str(saved.pk),
    )
    detail = {"observation": saved.pk, "verdict": "not_working", "in_school_or_training": True}
    assert entry.detail == detail
    last = case.events.order_by("id").last()
    assert last is not None and (last.kind, last.actor, last.detail) == (
        "follow_up",
        world.worker,
        detail,
    )


def test_the_interval_between_visits_is_configurable(
    world: Any, case: Case, settings: LazySettings
) -> None:
    settings.HIMAYA_FOLLOW_UP_EVERY_DAYS = 14
    services.follow_up_record(actor=world.worker, case=case, observation=visit(0))
    assert Case.objects.get(pk=case.pk).next_follow_up_on == services.today() + datetime.timedelta(
        days=14
    )


def test_a_follow_up_finding_the_child_at_work_again_updates_the_verdict(
    world: Any, case: Case
) -> None:
    services.follow_up_record(actor=world.worker, case=case, observation=visit(40))
    services.follow_up_record(
        actor=world.worker,
        case=case,
        observation=visit(0, economic_hours_week=30.0, sector="construction", hazards=["heights"]),
    )
    assert Case.objects.get(pk=case.pk).verdict == "hazardous"


def test_a_visit_entered_late_does_not_overwrite_the_newer_one(world: Any, case: Case) -> None:
    services.follow_up_record(actor=world.worker, case=case, observation=visit(2))
    planned = Case.objects.get(pk=case.pk).next_follow_up_on
    # An older visit, entered afterwards, found the child still at work.
    older = services.follow_up_record(
        actor=world.worker,
        case=case,
        observation=visit(60, economic_hours_week=20.0, sector="trade"),
    )
    assert older.verdict == "child_labour"
    case.refresh_from_db()
    assert case.verdict == "not_working"
    assert case.next_follow_up_on == planned


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"in_school_or_training": None}, "in_school_or_training", services.REQUIRED),
        (
            {"observed_on": services.today() + datetime.timedelta(days=1)},
            "observed_on",
            services.FUTURE_DATE,
        ),
        ({"observed_on": None}, "observed_on", services.REQUIRED),
        ({"sector": "space"}, "sector", services.UNKNOWN_CODE % {"value": "space"}),
    ],
)
def test_an_incomplete_follow_up_is_refused(
    world: Any, case: Case, fields: dict[str, Any], field: str, message: Any
) -> None:
    before = counts()
    planned = Case.objects.get(pk=case.pk).next_follow_up_on
    with pytest.raises(InvalidInput) as invalid:
        services.follow_up_record(actor=world.worker, case=case, observation=visit(0, **fields))
    assert invalid.value.errors == {field: [str(message)]}
    assert counts() == before
    assert Case.objects.get(pk=case.pk).next_follow_up_on == planned


def test_every_missing_field_at_once(world: Any, case: Case) -> None:
    with pytest.raises(InvalidInput) as invalid:
        services.follow_up_record(
            actor=world.worker,
            case=case,
            observation=visit(0, in_school_or_training=None, sector="space"),
        )
    assert set(invalid.value.errors) == {"in_school_or_training", "sector"}


def test_a_follow_up_in_a_commune_outside_the_territory_is_refused(world: Any, case: Case) -> None:
    before = counts()
    with pytest.raises(InvalidInput) as invalid:
        services.follow_up_record(
            actor=world.worker, case=case, observation=visit(0, commune=world.far_commune.code)
        )
    assert invalid.value.errors == {"commune": [str(services.COMMUNE_OUT_OF_TERRITORY)]}
    assert counts() == before


@pytest.mark.parametrize("who", ["provider", "analyst", "administrator"])
def test_only_caseworkers_record_follow_ups(world: Any, case: Case, who: str) -> None:
    before = counts()
    with pytest.raises(ApplicationError) as refused:
        services.follow_up_record(actor=getattr(world, who), case=case, observation=visit(0))
    assert refused.value.code == "forbidden"
    assert counts() == before


def test_the_supervisor_and_an_inspector_may_record_follow_ups(world: Any, case: Case) -> None:
    services.follow_up_record(actor=world.supervisor, case=case, observation=visit(0))
    assert case.observations.filter(kind=Observation.Kind.FOLLOW_UP).count() == 1
    inspected = world.identify(actor=world.inspector).case
    services.follow_up_record(actor=world.inspector, case=inspected, observation=visit(0))
    assert inspected.observations.filter(kind=Observation.Kind.FOLLOW_UP).count() == 1
