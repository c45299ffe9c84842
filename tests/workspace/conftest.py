"""Fixtures of the workspace pages: referrals made through the services."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from himaya.cases import services

#: What the provider must never see, planted in the record.
CNIE = "BE123456"
RSU = "987654321012"
ASSESSMENT = "Works at night at the souk for his uncle"
GUARDIAN = "Fatima Amrani"
HAZARD = "pesticides_chemicals"


def identify(
    world: Any, *, actor: Any = None, commune: Any = None, hazards: tuple[str, ...] = ()
) -> Any:
    """Identify Youssef, 13, at work (child labour) in ``commune`` (the world's by
    default), in a household with a CNIE and an RSU number."""
    commune = commune or world.commune
    born = services.today() - datetime.timedelta(days=13 * 366)
    return services.identification_record(
        actor=actor or world.worker,
        household=services.HouseholdIn(
            commune=commune.code, guardian_name=GUARDIAN, guardian_cnie=CNIE, rsu_number=RSU
        ),
        child=services.ChildIn(
            first_name_ar="يوسف",
            family_name_ar="العمراني",
            first_name_latin="Youssef",
            family_name_latin="El Amrani",
            sex="M",
            birth_date=born,
        ),
        observation=services.ObservationIn(
            observed_on=services.today(),
            economic_hours_week=20.0,
            sector="trade",
            hazards=list(hazards),
        ),
    )


def refer(world: Any, *, provider: Any = None, note: str = "Please enrol him.") -> Any:
    """A child identified (with a hazard), assessed, consenting, and referred for
    education to the world's school (or ``provider``)."""
    result = identify(world, hazards=(HAZARD,))
    case = result.case
    services.case_assess(actor=world.worker, case=case, risk_level="high", assessment=ASSESSMENT)
    services.case_approve_assessment(actor=world.supervisor, case=case)
    services.case_record_consent(
        actor=world.worker, case=case, child_consent=True, guardian_consent=True
    )
    return services.referral_send(
        actor=world.worker,
        case=case,
        service="education",
        provider=provider or world.school,
        note=note,
    )


@pytest.fixture
def referral(world: Any) -> Any:
    return refer(world)


def logged_in(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client
