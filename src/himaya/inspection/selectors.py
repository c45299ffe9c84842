"""Reads of the inspectorate's register, scoped to the user.

``establishment_visible_to`` is the one place where scope is applied: labour
inspectors and case supervisors of an inspection office see the establishments
of their office within their territory; nobody else sees any. An establishment
outside the scope is "not found".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from himaya.accounts.models import OrganisationKind, Role
from himaya.cases.names import normalise
from himaya.cases.selectors import territory_filter
from himaya.core.errors import NotFound
from himaya.inspection.models import Establishment

INSPECTION_ROLES = frozenset({Role.INSPECTOR, Role.SUPERVISOR})


def is_inspection_staff(user: Any) -> bool:
    """An inspector or a supervisor of an inspection office."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.role in INSPECTION_ROLES
        and user.organisation_id is not None
        and user.organisation.kind == OrganisationKind.INSPECTORATE
    )


def establishment_visible_to(user: Any) -> QuerySet[Establishment]:
    if not is_inspection_staff(user):
        return Establishment.objects.none()
    return Establishment.objects.filter(
        territory_filter(user.territory_code), office_id=user.organisation_id
    )


def establishment_get_for_user(*, user: Any, establishment_id: int) -> Establishment:
    try:
        return establishment_visible_to(user).select_related("commune").get(pk=establishment_id)
    except Establishment.DoesNotExist:
        raise NotFound() from None


@dataclass
class EstablishmentFilters:
    q: str = ""
    sector: str = ""
    commune: str = ""
    informal: bool | None = None


def establishment_list_for_user(
    *, user: Any, filters: EstablishmentFilters | None = None
) -> QuerySet[Establishment]:
    filters = filters or EstablishmentFilters()
    establishments = establishment_visible_to(user)
    if filters.sector:
        establishments = establishments.filter(sector=filters.sector)
    if filters.commune:
        establishments = establishments.filter(commune_id=filters.commune)
    if filters.informal is True:
        establishments = establishments.filter(ice="")
    elif filters.informal is False:
        establishments = establishments.exclude(ice="")
    for word in normalise(filters.q).split():
        establishments = establishments.filter(Q(name__icontains=word) | Q(ice=word))
    return establishments.select_related("commune").order_by("name", "id")
