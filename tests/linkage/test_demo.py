"""The demo's children recorded twice (``himaya.linkage.demo``): a second record in
the same organisation under other spellings, which a linkage run proposes for review."""

from __future__ import annotations

import random
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from tests.conftest import password_hash

from himaya.accounts.models import CASEWORK_ROLES
from himaya.audit.events import AuditEvent
from himaya.audit.models import AuditEntry
from himaya.cases.demo import BOYS, FAMILY_NAMES, GIRLS, seed_demo
from himaya.cases.models import Child, Observation
from himaya.cases.services import today
from himaya.geography.testing import load_small_geography
from himaya.inspection.demo import children_to_find, seed_inspection
from himaya.linkage.demo import (
    RecordedTwice,
    arabic_variant,
    latin_variant,
    record_twice,
    seed_duplicates,
)
from himaya.linkage.models import DuplicateCandidate, LinkageRun, RunTrigger
from himaya.linkage.services import linkage_run_execute

pytestmark = pytest.mark.django_db

CHILDREN = 300
TWICE = 15
NAMES = ("first_name_ar", "family_name_ar", "first_name_latin", "family_name_latin")
#: The facts of an observation, copied from the child's latest one.
FACTS = (
    "place",
    "economic_hours_week",
    "chores_hours_week",
    "sector",
    "domestic_worker",
    "usual_start",
    "usual_end",
    "night_work",
    "hazards",
    "worst_forms",
    "apprenticeship",
    "in_school_or_training",
)


@pytest.fixture
def demo(db: None) -> None:
    """A small demo world: the test geography, its organisations and accounts, the
    children of the associations and of the inspection offices' visits."""
    load_small_geography()
    found = children_to_find(CHILDREN)
    seed_demo(children=CHILDREN - found, password_hash=password_hash(), seed=3)
    seed_inspection(seed=3, children=found)


@pytest.fixture
def recorded(demo: None) -> list[RecordedTwice]:
    return record_twice(count=TWICE, seed=3)


def test_each_child_recorded_twice_is_a_second_record_of_the_same_organisation(
    recorded: list[RecordedTwice],
) -> None:
    assert len(recorded) == TWICE
    assert Child.objects.count() == CHILDREN + TWICE
    assert len({r.first.pk for r in recorded}) == TWICE
    for twice in recorded:
        first = twice.first
        second = Child.objects.select_related("household", "created_by").get(pk=twice.second.pk)
        assert second.pk > first.pk and second.merged_into_id is None
        # Same organisation, by one of its caseworkers, a household of its own.
        assert second.organisation_id == first.organisation_id
        actor = second.created_by
        assert actor.organisation_id == first.organisation_id and actor.role in CASEWORK_ROLES
        assert second.household_id != first.household_id
        assert second.household.organisation_id == first.organisation_id
        # The same child written otherwise: at least one name spelt differently.
        assert [getattr(second, n) for n in NAMES] != [getattr(first, n) for n in NAMES]
        assert (second.sex, second.commune_id) == (first.sex, first.commune_id)
        assert second.birth_date.year == first.birth_date.year
        if not second.birth_date_estimated and not first.birth_date_estimated:
            assert second.birth_date == first.birth_date  # a civil-status date is not changed
        # One identification: the facts of the latest observation, weeks later.
        latest = Observation.objects.filter(child=first).order_by("-observed_on", "-pk")[0]
        (seen,) = Observation.objects.filter(child=second)
        assert seen.kind == Observation.Kind.IDENTIFICATION
        assert seen.organisation_id == first.organisation_id and seen.observed_by_id == actor.pk
        assert latest.observed_on <= seen.observed_on <= today()
        assert (seen.observed_on - latest.observed_on).days <= 42
        for name in FACTS:
            assert getattr(seen, name) == getattr(latest, name), name
        assert seen.age is not None and 5 <= seen.age <= 17
        # Through the service: audited as any identification.
        assert AuditEntry.objects.filter(
            event=AuditEvent.CHILD_CREATED, child_id=second.pk, actor=actor
        ).exists()
    # The spellings vary: Latin and Arabic, exact and estimated birth dates.
    changed = {n for r in recorded for n in NAMES if getattr(r.first, n) != getattr(r.second, n)}
    assert {"family_name_ar", "first_name_latin", "family_name_latin"} <= changed
    assert {r.second.birth_date_estimated for r in recorded} == {True, False}


def test_a_linkage_run_proposes_most_of_them_for_review(
    recorded: list[RecordedTwice], small_padding: None
) -> None:
    run = LinkageRun.objects.create(trigger=RunTrigger.SCHEDULED)

    linkage_run_execute(run_id=run.pk)

    proposed = set(DuplicateCandidate.objects.values_list("child_a_id", "child_b_id"))
    found = [tuple(sorted((r.first.pk, r.second.pk))) in proposed for r in recorded]
    assert sum(found) >= 0.6 * len(recorded), found


def test_seed_duplicates_records_a_share_of_the_children(demo: None) -> None:
    before = Child.objects.count()

    assert seed_duplicates(share=0.02, seed=5) == round(0.02 * before)

    assert Child.objects.count() == before + round(0.02 * before)


def test_the_same_seed_picks_the_same_children(demo: None) -> None:
    def picks(seed: int) -> list[int]:
        with transaction.atomic():
            made = record_twice(count=5, seed=seed)
            transaction.set_rollback(True)
        return [r.first.pk for r in made]

    assert picks(4) == picks(4) != picks(5)


@override_settings(DEBUG=True, HIMAYA_LINKAGE_EVERY_HOURS=0)
def test_seed_demo_records_two_percent_of_its_children_twice(db: None) -> None:
    load_small_geography()
    out = StringIO()

    call_command("seed-demo", "--children", "200", "--seed", "3", stdout=out)

    assert "Children recorded twice: 4." in out.getvalue()
    # As many children as asked, the second records among them.
    assert Child.objects.count() == 200
    assert Observation.objects.filter(kind=Observation.Kind.IDENTIFICATION).count() == 200


def test_the_variants_are_other_spellings_of_the_same_name() -> None:
    for _arabic, name in (*BOYS, *GIRLS, *FAMILY_NAMES):
        spellings = [latin_variant(name, random.Random(seed)) for seed in range(20)]
        assert all(s.replace(" ", "").isalpha() for s in spellings), spellings
        assert spellings == [latin_variant(name, random.Random(s)) for s in range(20)]  # seeded
    youssef = {latin_variant("Youssef", random.Random(seed)) for seed in range(40)}
    assert {"Youssouf", "Yousef"} <= youssef
    assert "Amrani" in {latin_variant("El Amrani", random.Random(s)) for s in range(40)}
    assert "Ben Jelloun" in {latin_variant("Benjelloun", random.Random(s)) for s in range(40)}
    family = {arabic_variant("العمراني", random.Random(s), family=True) for s in range(40)}
    assert "عمراني" in family and "العمراني" in family
    # A first name keeps its article (المهدي); hamza seats and final tā' marbūṭa vary.
    assert {arabic_variant("المهدي", random.Random(s), family=False) for s in range(40)} == {
        "المهدي"
    }
    assert "احمد" in {arabic_variant("أحمد", random.Random(s), family=False) for s in range(40)}
