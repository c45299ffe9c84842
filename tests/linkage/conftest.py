"""Shared set-up of the linkage tests of the platform (runs, review, merges)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from himaya.cases.models import Child
from himaya.cases.services import ChildIn, HouseholdIn, ObservationIn, identification_record, today
from himaya.linkage import model
from himaya.linkage.models import DuplicateCandidate, LinkageRun, RunStatus, RunTrigger

IMMEDIATE_TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default"],
    }
}


@pytest.fixture(autouse=True)
def immediate_tasks(settings: Any) -> None:
    """A run requested runs at once, in the test, as the worker would run it."""
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture
def small_padding(monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs over a handful of children borrow 2,000 synthetic records, not 5,000:
    enough to train on, and quicker."""
    monkeypatch.setattr(model, "MIN_TRAINING_RECORDS", 2000)


def identify_child(
    world: Any,
    *,
    first: tuple[str, str] = ("يوسف", "Youssef"),
    family: tuple[str, str] = ("العمراني", "El Amrani"),
    sex: str = "M",
    years: int = 13,
    actor: Any = None,
    commune: Any = None,
    cnie: str = "",
) -> Child:
    """A new child (a new household too), identified at work: a case is opened."""
    born = today() - datetime.timedelta(days=years * 366)
    result = identification_record(
        actor=actor or world.worker,
        household=HouseholdIn(
            commune=(commune or world.commune).code, guardian_name="Fatima", guardian_cnie=cnie
        ),
        child=ChildIn(
            first_name_ar=first[0],
            family_name_ar=family[0],
            first_name_latin=first[1],
            family_name_latin=family[1],
            sex=sex,
            birth_date=born,
        ),
        observation=ObservationIn(observed_on=today(), economic_hours_week=20.0, sector="trade"),
    )
    return result.child


def candidate(a: Child, b: Child, probability: float = 0.97) -> DuplicateCandidate:
    """A pair as a run would have proposed it (for the review tests, no run needed)."""
    run = LinkageRun.objects.create(trigger=RunTrigger.SCHEDULED, status=RunStatus.DONE)
    low, high = sorted((a, b), key=lambda c: c.pk)
    return DuplicateCandidate.objects.create(
        run=run,
        organisation_id=a.organisation_id,
        child_a=low,
        child_b=high,
        probability=probability,
        match_weight=8.0,
        explanation={
            "weights": {c: 1.0 for c in model.COMPARISONS},
            "agreeing": list(model.COMPARISONS),
        },
    )
