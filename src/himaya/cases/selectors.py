"""Every read of children, cases and referrals, scoped to the user.

The ``*_visible_to`` querysets are the one place where scope is applied:

- inspectors, social workers and case supervisors see the children and cases
  of their own organisation within their territory;
- a service provider sees only the referrals addressed to its organisation;
- an analyst sees aggregates (``caseload_counts``), never a child;
- anybody else (administrators included) sees no child.

A record outside the scope is "not found", never "forbidden".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet

from himaya.accounts.models import (
    CASEWORK_ROLES,
    PROVIDER_KINDS,
    SERVICE_OF_KIND,
    Organisation,
    Role,
    User,
    territory_level,
)
from himaya.cases.models import (
    Case,
    CaseStatus,
    Child,
    Household,
    Observation,
    Referral,
    ReferralStatus,
)
from himaya.cases.names import normalise
from himaya.core.errors import NotFound
from himaya.geography.models import Commune


def territory_filter(code: str, prefix: str = "") -> Q:
    """Records whose region/province/commune lies within the HCP code."""
    level = territory_level(code)
    if level == "country":
        return Q()
    if level == "invalid":
        return Q(pk__in=[])
    return Q(**{f"{prefix}{level}_id": code})


def _caseworker(user: Any) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and user.role in CASEWORK_ROLES
        and user.organisation_id is not None
    )


def case_visible_to(user: User) -> QuerySet[Case]:
    if not _caseworker(user):
        return Case.objects.none()
    return Case.objects.filter(
        territory_filter(user.territory_code), organisation_id=user.organisation_id or 0
    )


def child_visible_to(user: User) -> QuerySet[Child]:
    """A child merged into another record of the same child (himaya.linkage) is no
    longer shown: its records are the other's now."""
    if not _caseworker(user):
        return Child.objects.none()
    return Child.objects.filter(
        territory_filter(user.territory_code),
        organisation_id=user.organisation_id or 0,
        merged_into__isnull=True,
    )


def household_visible_to(user: User) -> QuerySet[Household]:
    if not _caseworker(user):
        return Household.objects.none()
    return Household.objects.filter(
        territory_filter(user.territory_code), organisation_id=user.organisation_id or 0
    )


def referral_visible_to(user: User) -> QuerySet[Referral]:
    """Caseworkers: referrals of their cases. Providers: referrals addressed to them."""
    if _caseworker(user):
        return Referral.objects.filter(
            territory_filter(user.territory_code, "case__"),
            case__organisation_id=user.organisation_id or 0,
        )
    if (
        getattr(user, "is_authenticated", False)
        and user.role == Role.PROVIDER
        and user.organisation_id is not None
    ):
        return Referral.objects.filter(provider_id=user.organisation_id)
    return Referral.objects.none()


# --- Single records ----------------------------------------------------------------


def case_get_for_user(*, user: User, case_id: int) -> Case:
    try:
        return (
            case_visible_to(user)
            .select_related("child", "child__household", "commune", "assigned_to")
            .get(pk=case_id)
        )
    except Case.DoesNotExist:
        raise NotFound() from None


def child_get_for_user(*, user: User, child_id: int) -> Child:
    child = (
        child_visible_to(user).select_related("household", "commune").filter(pk=child_id).first()
    )
    if child is None:
        raise NotFound()
    return child


def observation_get_for_user(*, user: User, observation_id: int) -> Observation:
    """An observation of a child the user may see."""
    observation = (
        Observation.objects.filter(child__in=child_visible_to(user), pk=observation_id)
        .select_related("child")
        .first()
    )
    if observation is None:
        raise NotFound()
    return observation


def referral_get_for_user(*, user: User, referral_id: int) -> Referral:
    referral = (
        referral_visible_to(user)
        .select_related("case", "case__child", "case__commune", "provider", "sent_by")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        raise NotFound()
    return referral


# A case has a handful of events, observations and referrals: they are sorted here
# rather than by the database, because Django's compiler spends longer matching an
# ORDER BY against the ~60 columns of a ``select_related`` query than the database
# spends running it (about 0.6 ms a query, measured; docs/benchmarks.md).


def case_timeline(case: Case) -> list[Any]:
    events = case.events.select_related("actor").order_by()
    return sorted(events, key=lambda e: (e.at, e.pk))


def transfer_origin(case: Case) -> Organisation | None:
    """The organisation a case was transferred from: its name is shown, never the
    original case, which stays in the sending organisation's scope."""
    if case.transferred_from_id is None:
        return None
    return Organisation.objects.filter(
        pk__in=Case.objects.filter(pk=case.transferred_from_id).values("organisation_id")
    ).first()


def case_observations(case: Case) -> list[Observation]:
    """Oldest first: the last one is the latest."""
    observations = case.observations.select_related("observed_by", "commune").order_by()
    return sorted(observations, key=lambda o: (o.observed_on, o.pk))


def case_referrals(case: Case) -> list[Referral]:
    """Newest first."""
    referrals = case.referrals.select_related("provider").order_by()
    return sorted(referrals, key=lambda r: (r.sent_on, r.pk), reverse=True)


# --- Lists ---------------------------------------------------------------------------


@dataclass
class CaseFilters:
    status: str = ""
    verdict: str = ""
    region: str = ""
    province: str = ""
    commune: str = ""
    sector: str = ""
    q: str = ""
    assigned_to_me: bool = False


def case_list_for_user(*, user: User, filters: CaseFilters | None = None) -> QuerySet[Case]:
    filters = filters or CaseFilters()
    cases = case_visible_to(user)
    for name in ("status", "verdict", "sector"):
        value = getattr(filters, name)
        if value:
            cases = cases.filter(**{name: value})
    for name in ("region", "province", "commune"):
        value = getattr(filters, name)
        if value:
            cases = cases.filter(**{f"{name}_id": value})
    if filters.assigned_to_me:
        cases = cases.filter(assigned_to=user)
    if filters.q.strip():
        for word in normalise(filters.q).split():
            cases = cases.filter(child__search_text__contains=word)
    return cases.select_related("child", "commune", "assigned_to").order_by("-opened_on", "-id")


def overdue_follow_ups(*, user: User, on: date) -> QuerySet[Case]:
    return (
        case_visible_to(user)
        .exclude(status=CaseStatus.CLOSED)
        .filter(next_follow_up_on__lt=on)
        .select_related("child", "commune")
        .order_by("next_follow_up_on", "id")
    )


def approvals_waiting(*, user: User) -> QuerySet[Case]:
    if getattr(user, "role", "") != Role.SUPERVISOR:
        return Case.objects.none()
    return (
        case_visible_to(user)
        .exclude(status=CaseStatus.CLOSED)
        .filter(Q(assessment_submitted=True) | ~Q(closure_requested_reason=""))
        .select_related("child", "commune", "assigned_to")
        .order_by("updated_at", "id")
    )


def referrals_waiting(*, user: User) -> QuerySet[Referral]:
    """Providers: referrals to answer or to deliver. Caseworkers: referrals not yet answered.
    Referrals of closed cases no longer wait (they cannot be answered)."""
    referrals = referral_visible_to(user).exclude(case__status=CaseStatus.CLOSED)
    if getattr(user, "role", "") == Role.PROVIDER:
        referrals = referrals.filter(status__in=[ReferralStatus.SENT, ReferralStatus.ACCEPTED])
    else:
        referrals = referrals.filter(status=ReferralStatus.SENT)
    return referrals.select_related("case", "case__child", "case__commune", "provider").order_by(
        "sent_on", "id"
    )


def referral_inbox(*, user: User, status: str = "") -> QuerySet[Referral]:
    referrals = referral_visible_to(user)
    if status:
        referrals = referrals.filter(status=status)
    return referrals.select_related("case", "case__child", "case__commune", "provider")


def provider_directory(*, service: str, commune: Commune) -> QuerySet[Organisation]:
    """Providers offering ``service`` whose territory covers the commune."""
    kinds = [kind for kind, offered in SERVICE_OF_KIND.items() if offered == service]
    return Organisation.objects.filter(
        kind__in=kinds,
        active=True,
        territory_code__in=["", commune.region_id, commune.province_id, commune.code],
    ).order_by("name")


def caseworkers_of(*, organisation_id: int) -> QuerySet[User]:
    return User.objects.filter(
        organisation_id=organisation_id, role__in=list(CASEWORK_ROLES), is_active=True
    ).order_by("username")


def casework_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.exclude(kind__in=list(PROVIDER_KINDS)).filter(active=True)


def communes_within(territory_code: str) -> QuerySet[Commune]:
    """The communes a territory covers ("" for the whole country), by province then code:
    where a child may move to when its case is transferred to an organisation."""
    level = territory_level(territory_code)
    communes = Commune.objects.select_related("province").order_by("province_id", "code")
    if level == "country":
        return communes
    if level == "commune":
        return communes.filter(code=territory_code)
    if level in ("region", "province"):
        return communes.filter(**{f"{level}_id": territory_code})
    return communes.none()


# --- Aggregates (no names) ----------------------------------------------------------


def aggregate_scope(user: User) -> QuerySet[Case]:
    """Cases counted for a user's dashboard: a supervisor's organisation and
    territory; an analyst's territory across organisations."""
    if getattr(user, "is_authenticated", False) and user.role == Role.ANALYST:
        return Case.objects.filter(territory_filter(user.territory_code))
    if getattr(user, "is_authenticated", False) and user.role == Role.SUPERVISOR:
        return case_visible_to(user)
    return Case.objects.none()


@dataclass
class Caseload:
    total: int
    by_status: dict[str, int]
    by_verdict: dict[str, int]
    by_region: dict[str, int]
    by_province: dict[str, int]
    overdue: int


def caseload_counts(*, user: User, on: date) -> Caseload:
    cases = aggregate_scope(user)
    by_status = dict(cases.values_list("status").annotate(n=Count("id")).order_by())
    open_cases = cases.exclude(status=CaseStatus.CLOSED)
    by_verdict = dict(open_cases.values_list("verdict").annotate(n=Count("id")).order_by())
    by_region = dict(open_cases.values_list("region_id").annotate(n=Count("id")).order_by())
    by_province = dict(open_cases.values_list("province_id").annotate(n=Count("id")).order_by())
    overdue = open_cases.filter(next_follow_up_on__lt=on).count()
    return Caseload(
        total=sum(by_status.values()),
        by_status=by_status,
        by_verdict=by_verdict,
        by_region=by_region,
        by_province=by_province,
        overdue=overdue,
    )
