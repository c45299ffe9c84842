"""Fixtures shared by the whole test suite."""

import functools
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

# No per-example deadline: the CI machine has 2 cores and runs two suites in a row.
hypothesis_settings.register_profile("himaya", deadline=None)
hypothesis_settings.load_profile("himaya")

USER_PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def user_password() -> str:
    return USER_PASSWORD


@pytest.fixture
def user(db: None, django_user_model: Any) -> Any:
    """An ordinary account (no staff rights)."""
    return django_user_model.objects.create_user(username="officer", password=USER_PASSWORD)


def pytest_report_header() -> str:
    from django.db import connection

    return f"database: {connection.vendor}"


#: Fixtures through which a test reaches the database.
DATABASE_FIXTURES = frozenset(
    {"db", "transactional_db", "django_db_reset_sequences", "live_server"}
)


def uses_database(item: pytest.Item) -> bool:
    fixtures = set(getattr(item, "fixturenames", ()))
    return item.get_closest_marker("django_db") is not None or bool(fixtures & DATABASE_FIXTURES)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With ``HIMAYA_DATABASE_TESTS_ONLY=1`` (the PostgreSQL pass of scripts/test.sh),
    only the tests that use the database run: the others (the rules, the linkage
    model, the survey estimates, Spark) do the same on any database, and the SQLite
    pass has run them already."""
    import os

    if os.environ.get("HIMAYA_DATABASE_TESTS_ONLY") != "1":
        return
    kept = [item for item in items if uses_database(item)]
    config.hook.pytest_deselected(items=[item for item in items if not uses_database(item)])
    items[:] = kept


@functools.cache
def password_hash() -> str:
    """USER_PASSWORD hashed once per test session: Argon2 costs about 0.2 s a hash,
    and the world's ten users would otherwise pay it in every test."""
    from django.contrib.auth.hashers import make_password

    return make_password(USER_PASSWORD)


# --- A small world: geography, organisations, one user per role --------------------


class World:
    """Two regions' worth of geography and the people of the journey.

    ``other_*`` users belong to another organisation, another territory or
    another role; scope tests use them to prove they get nothing.
    """

    def __init__(self) -> None:
        from himaya.accounts.models import Organisation, OrganisationKind, Role, User
        from himaya.geography.models import Commune
        from himaya.geography.testing import load_small_geography

        load_small_geography()
        communes = list(Commune.objects.order_by("code"))
        self.commune = communes[0]
        self.province = self.commune.province
        self.region = self.commune.region
        # A commune in another region (for territory leaks).
        self.far_commune = next(c for c in communes if c.region_id != self.region.code)
        # A commune of another province in the same region, if any.
        self.near_commune = next(
            (
                c
                for c in communes
                if c.region_id == self.region.code and c.province_id != self.province.code
            ),
            self.far_commune,
        )

        def org(name: str, kind: str, territory: str) -> Organisation:
            return Organisation.objects.create(name=name, kind=kind, territory_code=territory)

        self.association = org("Association Amal", OrganisationKind.ASSOCIATION, self.region.code)
        self.other_association = org(
            "Association Nour", OrganisationKind.ASSOCIATION, self.region.code
        )
        self.inspectorate = org(
            "Inspection du travail", OrganisationKind.INSPECTORATE, self.region.code
        )
        self.ministry = org("Ministère", OrganisationKind.MINISTRY, "")
        self.school = org("École Al Massira", OrganisationKind.SCHOOL, self.province.code)
        self.other_school = org("École Ibn Sina", OrganisationKind.SCHOOL, self.province.code)
        self.social_protection = org(
            "Bureau AMO", OrganisationKind.SOCIAL_PROTECTION, self.region.code
        )
        self.training_centre = org(
            "Centre OFPPT", OrganisationKind.TRAINING_CENTRE, self.region.code
        )
        self.far_school = org(
            "École lointaine", OrganisationKind.SCHOOL, self.far_commune.province_id
        )

        def user(
            username: str, role: str, organisation: Organisation | None, territory: str
        ) -> User:
            return User.objects.create(
                username=username,
                password=password_hash(),
                role=role,
                organisation=organisation,
                territory_code=territory,
            )

        self.worker = user("worker", Role.SOCIAL_WORKER, self.association, self.province.code)
        self.supervisor = user("supervisor", Role.SUPERVISOR, self.association, self.region.code)
        self.inspector = user("inspector", Role.INSPECTOR, self.inspectorate, self.region.code)
        self.provider = user("school", Role.PROVIDER, self.school, self.province.code)
        self.analyst = user("analyst", Role.ANALYST, self.ministry, "")
        self.administrator = user("administrator", Role.ADMINISTRATOR, self.ministry, "")
        self.other_org_worker = user(
            "other_org", Role.SOCIAL_WORKER, self.other_association, self.region.code
        )
        self.other_territory_worker = user(
            "other_territory", Role.SOCIAL_WORKER, self.association, self.far_commune.province_id
        )
        self.other_provider = user(
            "other_school", Role.PROVIDER, self.other_school, self.province.code
        )

    def identify(self, actor: Any = None, **observation: Any) -> Any:
        """Identify a 13-year-old boy at work in the world's commune (child labour)."""
        import datetime

        from himaya.cases.services import (
            ChildIn,
            HouseholdIn,
            ObservationIn,
            identification_record,
            today,
        )

        fields: dict[str, Any] = {
            "observed_on": today(),
            "economic_hours_week": 20.0,
            "sector": "trade",
        }
        fields.update(observation)
        born = today() - datetime.timedelta(days=13 * 366)
        return identification_record(
            actor=actor or self.worker,
            household=HouseholdIn(commune=self.commune.code, guardian_name="Fatima Amrani"),
            child=ChildIn(
                first_name_ar="يوسف",
                family_name_ar="العمراني",
                first_name_latin="Youssef",
                family_name_latin="El Amrani",
                sex="M",
                birth_date=born,
            ),
            observation=ObservationIn(**fields),
        )


@pytest.fixture
def world(db: None) -> World:
    return World()
