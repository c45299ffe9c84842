"""Reads of the inspectorate's records, scoped to the user.

``_office_scope`` is the one place where scope is applied: labour inspectors
and case supervisors of an inspection office see the establishments, visits,
violations, documents and evidence of their office within their territory;
nobody else sees any. A record outside the scope is "not found". Import jobs
(``establishment_import_visible_to``) are seen by whoever started them and by the
staff of the same office.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from himaya.accounts.models import OrganisationKind, Role
from himaya.cases.names import normalise
from himaya.cases.selectors import territory_filter
from himaya.core.errors import NotFound
from himaya.inspection import import_files
from himaya.inspection.models import (
    EnforcementDocument,
    Establishment,
    EstablishmentImport,
    Evidence,
    ImportStatus,
    Violation,
    Visit,
)

INSPECTION_ROLES = frozenset({Role.INSPECTOR, Role.SUPERVISOR})


def is_inspection_staff(user: Any) -> bool:
    """An inspector or a supervisor of an inspection office."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.role in INSPECTION_ROLES
        and user.organisation_id is not None
        and user.organisation.kind == OrganisationKind.INSPECTORATE
    )


def _office_scope(user: Any, prefix: str = "") -> Q | None:
    """The condition for records of the user's office and territory (``prefix``
    reaches them through a relation, e.g. ``"visit__"``); None for nobody."""
    if not is_inspection_staff(user):
        return None
    return territory_filter(user.territory_code, prefix) & Q(
        **{prefix + "office_id": user.organisation_id}
    )


def establishment_visible_to(user: Any) -> QuerySet[Establishment]:
    scope = _office_scope(user)
    return Establishment.objects.none() if scope is None else Establishment.objects.filter(scope)


def visit_visible_to(user: Any) -> QuerySet[Visit]:
    scope = _office_scope(user)
    return Visit.objects.none() if scope is None else Visit.objects.filter(scope)


def violation_visible_to(user: Any) -> QuerySet[Violation]:
    scope = _office_scope(user)
    return Violation.objects.none() if scope is None else Violation.objects.filter(scope)


def document_visible_to(user: Any) -> QuerySet[EnforcementDocument]:
    scope = _office_scope(user, "visit__")
    if scope is None:
        return EnforcementDocument.objects.none()
    return EnforcementDocument.objects.filter(scope)


def evidence_visible_to(user: Any) -> QuerySet[Evidence]:
    scope = _office_scope(user, "visit__")
    return Evidence.objects.none() if scope is None else Evidence.objects.filter(scope)


def visit_get_for_user(*, user: Any, visit_id: int) -> Visit:
    try:
        return visit_visible_to(user).select_related("establishment", "commune").get(pk=visit_id)
    except Visit.DoesNotExist:
        raise NotFound() from None


def violation_get_for_user(*, user: Any, violation_id: int) -> Violation:
    try:
        return violation_visible_to(user).select_related("establishment").get(pk=violation_id)
    except Violation.DoesNotExist:
        raise NotFound() from None


def document_get_for_user(*, user: Any, document_id: int) -> EnforcementDocument:
    try:
        return document_visible_to(user).get(pk=document_id)
    except EnforcementDocument.DoesNotExist:
        raise NotFound() from None


def evidence_get_for_user(*, user: Any, evidence_id: int) -> Evidence:
    try:
        return evidence_visible_to(user).get(pk=evidence_id)
    except Evidence.DoesNotExist:
        raise NotFound() from None


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


# --- Import jobs ---------------------------------------------------------------------


def establishment_import_visible_to(user: Any) -> QuerySet[EstablishmentImport]:
    """The import jobs the user started, and those of the user's inspection office
    (inspection staff only)."""
    if not is_inspection_staff(user):
        return EstablishmentImport.objects.none()
    return EstablishmentImport.objects.filter(
        Q(created_by_id=user.pk) | Q(office_id=user.organisation_id)
    )


def establishment_import_get_for_user(*, user: Any, import_id: int) -> EstablishmentImport:
    try:
        return establishment_import_visible_to(user).select_related("created_by").get(pk=import_id)
    except EstablishmentImport.DoesNotExist:
        raise NotFound() from None


def establishment_import_list_for_user(*, user: Any, limit: int = 10) -> list[EstablishmentImport]:
    """The latest import jobs the user may see, newest first (without their reports)."""
    jobs = establishment_import_visible_to(user).select_related("created_by").defer("report")
    return list(jobs.order_by("-created_at", "-id")[:limit])


def establishment_import_progress(job: EstablishmentImport) -> int:
    """How many rows of the job's file have been processed. While the task runs,
    its progress file says (the database shows nothing before the import's
    transaction ends); after, the job's row does."""
    if job.status != ImportStatus.RUNNING:
        return job.rows_processed
    done = import_files.read_progress(job.key)
    return min(done or 0, job.rows_total)


#: A running import whose progress has not moved for this long has probably lost
#: its worker (killed, machine stopped): its page says so. (A chunk takes well
#: under a second.) Its transaction was then rolled back: nothing was saved.
IMPORT_STALLED_AFTER = timedelta(minutes=10)


def establishment_import_stalled(job: EstablishmentImport) -> bool:
    """A running job whose progress has not moved for ``IMPORT_STALLED_AFTER``."""
    if job.status != ImportStatus.RUNNING:
        return False
    age = import_files.progress_age(job.key)
    if age is None:  # not written yet, or gone with its worker
        started = job.started_at or job.created_at
        return timezone.now() - started > IMPORT_STALLED_AFTER
    return age > IMPORT_STALLED_AFTER.total_seconds()
