"""Shared set-up of the inspection tests: offices, an establishment, visits and
the children found in them."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from himaya.accounts.models import Organisation, OrganisationKind, Role, User
from himaya.cases import services as cases
from himaya.inspection.models import CHECKLIST, Establishment, FoundChild, Visit, VisitKind
from himaya.inspection.services import establishments, visits

VALID_ICE = "001561191000066"
IMMEDIATE_TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default"],
    }
}


@pytest.fixture(autouse=True)
def immediate_tasks(settings: Any) -> None:
    """Tasks run at once, in the test, when enqueued (the task function itself
    runs, as the worker would run it); a test may set the database backend back."""
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture(autouse=True)
def import_dir(settings: Any, tmp_path: Path) -> Path:
    """Uploaded files waiting for their import job go to a fresh directory."""
    settings.IMPORT_DIR = tmp_path / "imports"
    return Path(settings.IMPORT_DIR)


@pytest.fixture
def offices(world: Any) -> Any:
    """Another inspection office of the same region, its inspector, and a supervisor
    and a provincial inspector of the world's office."""
    other = Organisation.objects.create(
        name="Inspection de Tanger", kind=OrganisationKind.INSPECTORATE, territory_code=""
    )

    def user(name: str, role: str, organisation: Organisation, territory: str) -> User:
        return User.objects.create(
            username=name, role=role, organisation=organisation, territory_code=territory
        )

    world.other_office_inspector = user("other_office", Role.INSPECTOR, other, world.region.code)
    world.inspection_supervisor = user(
        "inspection_supervisor", Role.SUPERVISOR, world.inspectorate, world.region.code
    )
    world.far_inspector = user(
        "far_inspector", Role.INSPECTOR, world.inspectorate, world.far_commune.province_id
    )
    return world


def make_establishment(world: Any, **fields: Any) -> Establishment:
    values: dict[str, Any] = {
        "name": "Atelier Al Amal",
        "sector": "manufacturing",
        "commune": world.commune.code,
        "ice": VALID_ICE,
        "workers": 12,
    }
    values.update(fields)
    return establishments.establishment_create(
        actor=world.inspector, data=establishments.EstablishmentIn(**values)
    )


ALL_YES = {code: "yes" for code, _label in CHECKLIST}


def plan_visit(
    world: Any,
    establishment: Establishment,
    on: datetime.date | None = None,
    kind: str = VisitKind.PLANNED,
) -> Visit:
    return visits.visit_plan(
        actor=world.inspector,
        data=visits.VisitIn(
            establishment_id=establishment.pk,
            kind=kind,
            scheduled_on=on or cases.today(),
            inspector_ids=[world.inspector.pk],
        ),
    )


def record_visit(world: Any, visit: Visit, on: datetime.date | None = None) -> Visit:
    return visits.visit_record(
        actor=world.inspector,
        visit=visit,
        data=visits.VisitRecordIn(visited_on=on or visit.scheduled_on, checklist=dict(ALL_YES)),
    )


def find_child(
    world: Any,
    visit: Visit,
    age: int = 13,
    first_name: str = "Youssef",
    actor: User | None = None,
    **observation: Any,
) -> FoundChild:
    """A child of ``age`` found at work in the visit (20 hours a week unless told),
    recorded by ``actor`` (the world's inspector unless told)."""
    fields: dict[str, Any] = {"observed_on": None, "economic_hours_week": 20.0}
    fields.update(observation)
    assert visit.visited_on is not None
    return visits.visit_child_found(
        actor=actor or world.inspector,
        visit=visit,
        household=cases.HouseholdIn(commune=world.commune.code, guardian_name="Fatima"),
        child=cases.ChildIn(
            first_name_ar="يوسف",
            family_name_ar="العمراني",
            first_name_latin=first_name,
            family_name_latin="El Amrani",
            sex="M",
            birth_date=visit.visited_on - datetime.timedelta(days=age * 366),
        ),
        observation=cases.ObservationIn(**fields),
    )


@pytest.fixture
def establishment(world: Any) -> Establishment:
    return make_establishment(world)


@pytest.fixture
def visit(world: Any, establishment: Establishment) -> Visit:
    """A visit of the establishment, recorded today with every check passed."""
    return record_visit(world, plan_visit(world, establishment))
