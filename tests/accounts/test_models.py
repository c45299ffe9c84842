"""Organisations, roles and territories."""

from __future__ import annotations

import pytest
from django.utils import translation

from himaya.accounts.models import (
    CASEWORK_ROLES,
    PROVIDER_KINDS,
    SERVICE_OF_KIND,
    Organisation,
    OrganisationKind,
    Role,
    ServiceType,
    User,
    territory_level,
)


def test_casework_roles() -> None:
    assert CASEWORK_ROLES == {Role.INSPECTOR, Role.SOCIAL_WORKER, Role.SUPERVISOR}


def test_each_provider_kind_offers_one_service_and_every_service_has_a_provider() -> None:
    assert set(SERVICE_OF_KIND.values()) == set(ServiceType.values)
    assert PROVIDER_KINDS == set(SERVICE_OF_KIND)
    for kind in (
        OrganisationKind.MINISTRY,
        OrganisationKind.INSPECTORATE,
        OrganisationKind.ASSOCIATION,
    ):
        assert kind not in PROVIDER_KINDS
    assert Organisation(kind=OrganisationKind.SCHOOL).service == ServiceType.EDUCATION
    assert Organisation(kind=OrganisationKind.COURT).service == ServiceType.JUSTICE
    assert Organisation(kind=OrganisationKind.ASSOCIATION).service is None


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("", "country"),
        ("07", "region"),
        ("07.351", "province"),
        ("07.351.01.0", "commune"),
        ("07.351.05.05", "commune"),
        ("7", "invalid"),
        ("07.35", "invalid"),
    ],
)
def test_territory_level(code: str, level: str) -> None:
    assert territory_level(code) == level
    assert User(territory_code=code).territory_level == level


def test_does_casework_needs_a_casework_role_and_an_organisation() -> None:
    association = Organisation(pk=1, name="A", kind=OrganisationKind.ASSOCIATION)
    assert User(role=Role.SOCIAL_WORKER, organisation=association).does_casework
    assert User(role=Role.INSPECTOR, organisation=association).does_casework
    assert not User(role=Role.SOCIAL_WORKER).does_casework
    assert not User(role=Role.PROVIDER, organisation=association).does_casework
    assert not User(role=Role.ANALYST, organisation=association).does_casework
    assert not User(role="", organisation=association).does_casework


def test_display_name_follows_the_language() -> None:
    school = Organisation(name="École Al Massira", name_ar="مدرسة المسيرة")
    bare = Organisation(name="Bureau AMO")
    with translation.override("ar"):
        assert school.display_name == "مدرسة المسيرة" and bare.display_name == "Bureau AMO"
    with translation.override("fr"):
        assert school.display_name == "École Al Massira"
    assert str(school) == "École Al Massira"
