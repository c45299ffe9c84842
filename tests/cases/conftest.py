"""Shared set-up of the case tests: a receiving organisation for transfers (closure
"moved"), with a social worker and a supervisor of its own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from tests.conftest import password_hash

from himaya.accounts.models import Organisation, OrganisationKind, Role, User
from himaya.cases import services
from himaya.cases.models import Case
from himaya.geography.models import Commune


@dataclass
class Receiving:
    """An association of the province of Tétouan (the world's ``near_commune``), in the
    same region as the world's association but another province. Its supervisor's
    territory is the whole region: what she does not see, she misses by organisation."""

    organisation: Organisation
    worker: User
    supervisor: User
    commune: Commune


def make_receiving(world: Any) -> Receiving:
    commune = world.near_commune
    assert commune.province_id != world.province.code  # the small geography has two
    organisation = Organisation.objects.create(
        name="Association Tilila",
        name_ar="جمعية تليلة",
        kind=OrganisationKind.ASSOCIATION,
        territory_code=commune.province_id,
    )

    def user(username: str, role: str, territory: str) -> User:
        return User.objects.create(
            username=username,
            password=password_hash(),
            role=role,
            organisation=organisation,
            territory_code=territory,
        )

    return Receiving(
        organisation=organisation,
        worker=user("tilila_worker", Role.SOCIAL_WORKER, commune.province_id),
        supervisor=user("tilila_supervisor", Role.SUPERVISOR, world.region.code),
        commune=commune,
    )


@pytest.fixture
def receiving(world: Any) -> Receiving:
    return make_receiving(world)


def request_transfer(world: Any, case: Case, receiving: Receiving, actor: Any = None) -> Case:
    """The world's worker (or ``actor``) asks to close the case as "moved" to the
    receiving organisation's commune; a supervisor's request transfers at once."""
    return services.case_request_closure(
        actor=actor or world.worker,
        case=case,
        reason="moved",
        transferred_to=receiving.organisation,
        transferred_commune=receiving.commune.code,
    )
