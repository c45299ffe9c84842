"""The casework API: identifications, cases, referrals, providers, dashboard.

Thin endpoints: every read goes through ``cases.selectors`` (which apply the
user's scope: a record outside it is 404, never 403), every write through
``cases.services`` (which check the role and the state, and audit). Views of a
child's record are audited (``services.case_view``, ``services.referral_view``,
``services.list_view_record`` for each page of a list).

Names never go into URLs: searching by name is ``POST /api/cases/search``.
"""

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PaginationBase, paginate

from himaya.accounts.api import ERRORS, request_user
from himaya.accounts.models import (
    PROVIDER_KINDS,
    Organisation,
    Role,
    ServiceType,
    User,
)
from himaya.audit.events import AuditEvent
from himaya.cases import selectors, services, workflow
from himaya.cases.models import (
    Case,
    CaseStatus,
    Child,
    ClosureReason,
    Referral,
    ReferralStatus,
    RiskLevel,
    Sex,
    Verdict,
)
from himaya.core.errors import InvalidInput, NotFound, fields_named
from himaya_rules import VERDICT_LABELS, Classification

router = Router()

NAMES_NOT_IN_URLS = _("Names are not accepted in the address: search with POST /api/cases/search.")

PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
MAX_PAGE = 100_000


def _language() -> str:
    language = (get_language() or "fr")[:2]
    return language if language in ("fr", "ar", "en") else "fr"


def _verdict_label(verdict: str) -> str:
    labels = VERDICT_LABELS.get(verdict)
    return labels[_language()] if labels else verdict


# --- Pagination, audited -----------------------------------------------------------


class PageIn(PaginationBase.Input):
    page: int = Field(default=1, ge=1, le=MAX_PAGE)
    page_size: int = Field(default=PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class Pages(PaginationBase):
    """Page-number pagination that records which children a page showed."""

    Input = PageIn

    class Output(Schema):
        items: list[Any]
        count: int
        page: int
        page_size: int

    def __init__(self, *, event: AuditEvent, child_of: Callable[[Any], int], **kwargs: Any):
        super().__init__(**kwargs)
        self.event = event
        self.child_of = child_of

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Any, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        detail: dict[str, Any] = {}
        for value in params.values():
            if isinstance(value, Schema):
                detail.update(value.model_dump(exclude_defaults=True, mode="json"))
        return _page(
            request,
            queryset,
            page=pagination.page,
            page_size=pagination.page_size,
            event=self.event,
            child_ids=self.child_of,
            detail=detail,
        )


def _page(
    request: HttpRequest,
    queryset: QuerySet[Any],
    *,
    page: int,
    page_size: int,
    event: AuditEvent,
    child_ids: Callable[[Any], int],
    detail: dict[str, Any],
) -> dict[str, Any]:
    offset = (page - 1) * page_size
    items = list(queryset[offset : offset + page_size])
    count = queryset.count()
    services.list_view_record(
        user=request_user(request),
        event=event,
        child_ids=[child_ids(item) for item in items],
        detail={**detail, "page": page},
    )
    return {"items": items, "count": count, "page": page, "page_size": page_size}


# --- Shared output schemas -----------------------------------------------------------


class UserOut(Schema):
    id: int
    username: str


class CommuneOut(Schema):
    code: str
    name_fr: str
    name_ar: str


class OrganisationOut(Schema):
    id: int
    name: str
    name_ar: str


class ChildSummaryOut(Schema):
    id: int
    first_name_ar: str
    family_name_ar: str
    first_name_latin: str
    family_name_latin: str
    sex: str
    birth_date: date
    birth_date_estimated: bool
    age: int

    @staticmethod
    def resolve_age(obj: Child) -> int:
        return workflow.age_on(obj.birth_date, services.today())


class HouseholdOut(Schema):
    id: int
    guardian_name: str
    guardian_phone: str
    address: str


class ChildOut(ChildSummaryOut):
    massar_code: str
    household: HouseholdOut


class ObservationOut(Schema):
    id: int
    kind: str
    observed_on: date
    observed_by: UserOut
    commune: CommuneOut
    place: str
    age_reported: int | None
    economic_hours_week: float | None
    chores_hours_week: float | None
    sector: str
    domestic_worker: bool
    usual_start: time | None
    usual_end: time | None
    night_work: bool
    hazards: list[str]
    worst_forms: list[str]
    guardian_authorisation: bool
    apprenticeship: bool
    in_school_or_training: bool | None
    notes: str
    ruleset: str
    ruleset_version: str
    verdict: str
    verdict_label: str
    rules: list[str]
    citations: list[str]
    age: int | None

    @staticmethod
    def resolve_verdict_label(obj: Any) -> str:
        return _verdict_label(obj.verdict)


class CaseReferralOut(Schema):
    id: int
    service: str
    provider: OrganisationOut
    status: str
    note: str
    sent_on: date
    responded_on: date | None
    refusal_reason: str
    delivered_on: date | None
    delivery_note: str


class _CaseFields(Schema):
    id: int
    status: str
    status_label: str
    verdict: str
    verdict_label: str
    risk_level: str
    sector: str
    opened_on: date
    next_follow_up_on: date | None
    assigned_to: UserOut | None

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(CaseStatus(obj.status).label)

    @staticmethod
    def resolve_verdict_label(obj: Any) -> str:
        return _verdict_label(obj.verdict)


class CaseItemOut(_CaseFields):
    """A case in a list: enough to recognise the child and the case's state."""

    child: ChildSummaryOut
    commune: CommuneOut


class CaseStateOut(_CaseFields):
    """A case's state after an action."""

    assessment_submitted: bool
    child_consent: bool
    guardian_consent: bool
    consent_recorded_on: date | None
    closure_requested_reason: str
    closure_reason: str
    closed_on: date | None
    transferred_to_id: int | None
    transferred_commune_id: str | None = Field(
        ..., description="HCP code of the commune the child moved to (closure 'moved')."
    )
    transferred_from_id: int | None = Field(
        ...,
        description="The case this one was transferred from, at another organisation "
        "(not readable here).",
    )


class CaseOut(CaseStateOut):
    """A case in full, for the caseworkers of its organisation and territory."""

    region_id: str
    province_id: str
    commune: CommuneOut
    child: ChildOut
    assessment: str
    closure_requested_note: str
    transferred_from_organisation: OrganisationOut | None = Field(
        ..., description="The organisation the case was transferred from, if it was."
    )
    rules: list[str] = Field(..., description="Rules that fired at the latest observation.")
    citations: list[str] = Field(..., description="Their legal citations.")
    observations: list[ObservationOut]
    referrals: list[CaseReferralOut]


class _Shown:
    """A record with more attributes for its output schema (read through the selectors)."""

    def __init__(self, record: Any, **extra: Any) -> None:
        self._record = record
        self.__dict__.update(extra)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._record, name)


def _case_detail(case: Case) -> _Shown:
    observations = selectors.case_observations(case)
    latest = observations[-1] if observations else None
    return _Shown(
        case,
        observations=observations,
        referrals=selectors.case_referrals(case),
        transferred_from_organisation=selectors.transfer_origin(case),
        rules=list(latest.rules) if latest else [],
        citations=list(latest.citations) if latest else [],
    )


class CaseEventOut(Schema):
    at: datetime
    kind: str
    actor: UserOut
    detail: dict[str, Any]


# --- Cases: lists ----------------------------------------------------------------------


class CaseFilterIn(Schema):
    status: CaseStatus | None = None
    verdict: Verdict | None = None
    region: str = Field(default="", max_length=2, description="HCP region code, e.g. 01")
    province: str = Field(default="", max_length=12, description="HCP province code, e.g. 01.511")
    commune: str = Field(default="", max_length=12, description="HCP commune code")
    sector: str = Field(default="", max_length=20)
    assigned_to_me: bool = False

    def selector_filters(self, q: str = "") -> selectors.CaseFilters:
        return selectors.CaseFilters(
            status=self.status or "",
            verdict=self.verdict or "",
            region=self.region,
            province=self.province,
            commune=self.commune,
            sector=self.sector,
            q=q,
            assigned_to_me=self.assigned_to_me,
        )


class CaseSearchIn(Schema):
    q: str = Field(
        default="", max_length=200, description="Words of the child's name, either script."
    )
    filters: CaseFilterIn = Field(default_factory=CaseFilterIn)
    page: int = Field(default=1, ge=1, le=MAX_PAGE)
    page_size: int = Field(default=PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class CasePageOut(Schema):
    items: list[CaseItemOut]
    count: int
    page: int
    page_size: int


def _case_child(case: Case) -> int:
    return case.child_id


@router.get(
    "/cases/",
    response={200: list[CaseItemOut], **ERRORS},
    tags=["cases"],
    summary="List the cases in my scope",
)
@paginate(Pages, event=AuditEvent.CHILD_LIST_VIEWED, child_of=_case_child)
def case_list(request: HttpRequest, filters: Query[CaseFilterIn]) -> QuerySet[Case]:
    """Newest first. No name search here (names never go in URLs): use
    ``POST /api/cases/search``."""
    if "q" in request.GET:
        raise InvalidInput({"q": [NAMES_NOT_IN_URLS]})
    return selectors.case_list_for_user(
        user=request_user(request), filters=filters.selector_filters()
    )


@router.post(
    "/cases/search",
    response={200: CasePageOut, **ERRORS},
    tags=["cases"],
    summary="Search the cases in my scope by the child's name",
)
def case_search(request: HttpRequest, payload: CaseSearchIn) -> dict[str, Any]:
    cases = selectors.case_list_for_user(
        user=request_user(request), filters=payload.filters.selector_filters(q=payload.q)
    )
    detail = payload.filters.model_dump(exclude_defaults=True, mode="json")
    return _page(
        request,
        cases,
        page=payload.page,
        page_size=payload.page_size,
        event=AuditEvent.CHILD_LIST_VIEWED,
        child_ids=_case_child,
        detail={**detail, "search": True},  # the words searched are not logged
    )


# --- Cases: one case -------------------------------------------------------------------


@router.get(
    "/cases/{int:case_id}",
    response={200: CaseOut, **ERRORS},
    tags=["cases"],
    summary="A case in full",
)
def case_detail(request: HttpRequest, case_id: int) -> Any:
    case = services.case_view(user=request_user(request), case_id=case_id)
    return _case_detail(case)


@router.get(
    "/cases/{int:case_id}/timeline",
    response={200: list[CaseEventOut], **ERRORS},
    tags=["cases"],
    summary="Every step of a case, in order",
)
def case_timeline(request: HttpRequest, case_id: int) -> list[Any]:
    case = services.case_view(user=request_user(request), case_id=case_id)
    return selectors.case_timeline(case)


def _case(request: HttpRequest, case_id: int) -> Case:
    return selectors.case_get_for_user(user=request_user(request), case_id=case_id)


class CaseAssessIn(Schema):
    risk_level: RiskLevel
    assessment: str = Field(..., max_length=10000)


@router.post(
    "/cases/{int:case_id}/assess",
    response={200: CaseStateOut, **ERRORS},
    tags=["cases"],
    summary="Record the assessment (a supervisor's is approved at once)",
)
def case_assess(request: HttpRequest, case_id: int, payload: CaseAssessIn) -> Case:
    return services.case_assess(
        actor=request_user(request),
        case=_case(request, case_id),
        risk_level=payload.risk_level,
        assessment=payload.assessment,
    )


@router.post(
    "/cases/{int:case_id}/approve-assessment",
    response={200: CaseStateOut, **ERRORS},
    tags=["cases"],
    summary="Approve the assessment (supervisor): identified → assessed",
)
def case_approve_assessment(request: HttpRequest, case_id: int) -> Case:
    return services.case_approve_assessment(
        actor=request_user(request), case=_case(request, case_id)
    )


class CaseConsentIn(Schema):
    child_consent: bool
    guardian_consent: bool


@router.post(
    "/cases/{int:case_id}/consent",
    response={200: CaseStateOut, **ERRORS},
    tags=["cases"],
    summary="Record the child's and the guardian's consent",
)
def case_consent(request: HttpRequest, case_id: int, payload: CaseConsentIn) -> Case:
    return services.case_record_consent(
        actor=request_user(request),
        case=_case(request, case_id),
        child_consent=payload.child_consent,
        guardian_consent=payload.guardian_consent,
    )


class CaseAssignIn(Schema):
    user_id: int


@router.post(
    "/cases/{int:case_id}/assign",
    response={200: CaseStateOut, **ERRORS},
    tags=["cases"],
    summary="Assign the case to a caseworker of its organisation (supervisor)",
)
def case_assign(request: HttpRequest, case_id: int, payload: CaseAssignIn) -> Case:
    case = _case(request, case_id)
    assignee = (
        selectors.caseworkers_of(organisation_id=case.organisation_id)
        .filter(pk=payload.user_id)
        .first()
    )
    if assignee is None:
        raise InvalidInput({"user_id": [services.ASSIGNEE_INVALID]})
    with fields_named(assignee="user_id"):
        return services.case_assign(actor=request_user(request), case=case, assignee=assignee)


class ReferralSendIn(Schema):
    service: ServiceType
    provider_id: int
    note: str = Field(default="", max_length=5000)


class ReferralOut(Schema):
    """A referral as the referring caseworkers see it."""

    audience: Literal["casework"] = "casework"
    id: int
    case_id: int
    case_status: str
    verdict: str
    child: ChildSummaryOut
    commune: CommuneOut
    service: str
    provider: OrganisationOut
    status: str
    note: str
    sent_on: date
    sent_by: UserOut
    responded_on: date | None
    refusal_reason: str
    delivered_on: date | None
    delivery_note: str

    @staticmethod
    def resolve_case_status(obj: Referral) -> str:
        return obj.case.status

    @staticmethod
    def resolve_verdict(obj: Referral) -> str:
        return obj.case.verdict

    @staticmethod
    def resolve_child(obj: Referral) -> Child:
        return obj.case.child

    @staticmethod
    def resolve_commune(obj: Referral) -> Any:
        return obj.case.commune


def _provider(provider_id: int) -> Organisation:
    # Providers are configuration, seen by every caseworker (as in the directory).
    provider = Organisation.objects.filter(pk=provider_id, kind__in=list(PROVIDER_KINDS)).first()
    if provider is None:
        raise InvalidInput({"provider_id": [services.UNKNOWN_CODE % {"value": provider_id}]})
    return provider


@router.post(
    "/cases/{int:case_id}/referrals",
    response={201: ReferralOut, **ERRORS},
    tags=["referrals"],
    summary="Refer the child to a service provider",
)
def referral_send(request: HttpRequest, case_id: int, payload: ReferralSendIn) -> Any:
    case = _case(request, case_id)
    with fields_named(provider="provider_id"):
        referral = services.referral_send(
            actor=request_user(request),
            case=case,
            service=payload.service,
            provider=_provider(payload.provider_id),
            note=payload.note,
        )
    return Status(201, referral)


class ObservationFieldsIn(Schema):
    """The observation fields of the rules specification (shared with the inspection API)."""

    place: str = Field(default="", max_length=200)
    age_reported: int | None = None
    economic_hours_week: float | None = None
    chores_hours_week: float | None = None
    sector: str = Field(default="", max_length=20)
    domestic_worker: bool = False
    usual_start: time | None = None
    usual_end: time | None = None
    night_work: bool = False
    hazards: list[str] = Field(default_factory=list)
    worst_forms: list[str] = Field(default_factory=list)
    guardian_authorisation: bool = False
    apprenticeship: bool = False
    in_school_or_training: bool | None = None
    notes: str = Field(default="", max_length=10000)


class ObservationCreateIn(ObservationFieldsIn):
    """What was seen at a visit; classified by the rules engine."""

    observed_on: date
    commune: str = Field(
        default="", max_length=12, description="Where, if not the household's commune."
    )

    def data(self) -> services.ObservationIn:
        return services.ObservationIn(**self.model_dump())


class FollowUpRecordIn(ObservationCreateIn):
    in_school_or_training: bool


@router.post(
    "/cases/{int:case_id}/follow-ups",
    response={201: ObservationOut, **ERRORS},
    tags=["cases"],
    summary="Record a follow-up visit (classified again)",
)
def follow_up_record(request: HttpRequest, case_id: int, payload: FollowUpRecordIn) -> Any:
    observation = services.follow_up_record(
        actor=request_user(request), case=_case(request, case_id), observation=payload.data()
    )
    return Status(201, observation)


class CaseStartMonitoringIn(Schema):
    note: str = Field(default="", max_length=5000)


@router.post(
    "/cases/{int:case_id}/start-monitoring",
    response={200: CaseStateOut, **ERRORS},
    tags=["cases"],
    summary="Start monitoring the case (caseworker): in remediation → monitoring",
)
def case_start_monitoring(
    request: HttpRequest, case_id: int, payload: CaseStartMonitoringIn | None = None
) -> Case:
    return services.case_start_monitoring(
        actor=request_user(request),
        case=_case(request, case_id),
        note=payload.note if payload else "",
    )


class CaseClosureRequestIn(Schema):
    reason: ClosureReason
    note: str = Field(default="", max_length=5000)
    transferred_to_id: int | None = Field(
        default=None, description="The receiving organisation, when the reason is 'moved'."
    )
    transferred_commune: str = Field(
        default="",
        max_length=12,
        description="HCP code of the commune the child moved to, when the reason is 'moved'; "
        "it must lie within the receiving organisation's territory. On approval, the case "
        "is closed here and opened there.",
    )


@router.post(
    "/cases/{int:case_id}/request-closure",
    response={200: CaseStateOut, **ERRORS},
    tags=["cases"],
    summary="Ask to close the case (a supervisor's request closes it at once)",
)
def case_request_closure(request: HttpRequest, case_id: int, payload: CaseClosureRequestIn) -> Case:
    case = _case(request, case_id)
    transferred_to = None
    if payload.transferred_to_id is not None:
        transferred_to = (
            selectors.casework_organisations().filter(pk=payload.transferred_to_id).first()
        )
        if transferred_to is None:
            raise InvalidInput({"transferred_to_id": [services.TRANSFER_REQUIRED]})
    with fields_named(transferred_to="transferred_to_id"):
        return services.case_request_closure(
            actor=request_user(request),
            case=case,
            reason=payload.reason,
            note=payload.note,
            transferred_to=transferred_to,
            transferred_commune=payload.transferred_commune,
        )


@router.post(
    "/cases/{int:case_id}/approve-closure",
    response={200: CaseStateOut, **ERRORS},
    tags=["cases"],
    summary="Approve the requested closure (supervisor); a move transfers the case",
)
def case_approve_closure(request: HttpRequest, case_id: int) -> Case:
    return services.case_approve_closure(actor=request_user(request), case=_case(request, case_id))


class CaseClosureRejectIn(Schema):
    note: str = Field(default="", max_length=5000)


@router.post(
    "/cases/{int:case_id}/reject-closure",
    response={200: CaseStateOut, **ERRORS},
    tags=["cases"],
    summary="Reject the requested closure (supervisor)",
)
def case_reject_closure(
    request: HttpRequest, case_id: int, payload: CaseClosureRejectIn | None = None
) -> Case:
    return services.case_reject_closure(
        actor=request_user(request),
        case=_case(request, case_id),
        note=payload.note if payload else "",
    )


# --- Identifications ---------------------------------------------------------------------


class HouseholdCreateIn(Schema):
    commune: str = Field(..., max_length=12, description="HCP commune code")
    guardian_name: str = Field(..., max_length=200)
    address: str = Field(default="", max_length=300)
    guardian_phone: str = Field(default="", max_length=20)
    guardian_cnie: str = Field(default="", max_length=10)
    rsu_number: str = Field(default="", max_length=20)


class ChildCreateIn(Schema):
    first_name_ar: str = Field(..., max_length=100)
    family_name_ar: str = Field(..., max_length=100)
    first_name_latin: str = Field(..., max_length=100)
    family_name_latin: str = Field(..., max_length=100)
    sex: Sex
    birth_date: date
    birth_date_estimated: bool = False
    massar_code: str = Field(default="", max_length=10)


class IdentificationCreateIn(Schema):
    """A new child (``household`` and ``child``), or ``child_id`` for a child already
    registered (then ``household`` and ``child`` are ignored)."""

    child_id: int | None = None
    household: HouseholdCreateIn | None = None
    child: ChildCreateIn | None = None
    observation: ObservationCreateIn


class IdentificationPreviewIn(Schema):
    """The observation, with ``child_id`` or the child's sex and birth date."""

    child_id: int | None = None
    sex: Sex | None = None
    birth_date: date | None = None
    birth_date_estimated: bool = False
    observation: ObservationCreateIn


class ClassificationOut(Schema):
    ruleset: str
    verdict: str
    verdict_label: str
    rules: list[str]
    citations: list[str]
    age: int | None
    explanation: list[str] = Field(..., description="One sentence per rule, in your language.")


def _classified(result: Classification, **extra: Any) -> dict[str, Any]:
    """A classification as ``ClassificationOut``, in the request's language."""
    language = _language()
    return {
        "ruleset": result.ruleset,
        "verdict": result.verdict,
        "verdict_label": result.verdict_label(language),
        "rules": list(result.rules),
        "citations": list(result.citations),
        "age": result.age,
        "explanation": result.explanation(language),
        **extra,
    }


class IdentificationOut(ClassificationOut):
    child_id: int
    observation_id: int
    case_id: int | None = Field(..., description="The case opened or updated; null if none.")


def identified_child(
    user: User,
    child_id: int | None,
    household: HouseholdCreateIn | None,
    child: ChildCreateIn | None,
) -> dict[str, Any]:
    """Who an identification is about, as ``identification_record`` takes it: a child
    already registered (``child_id``, in the user's scope) or a new household and child
    (both then required)."""
    if child_id is not None:
        return {"existing_child": selectors.child_get_for_user(user=user, child_id=child_id)}
    if household is None or child is None:
        raise InvalidInput(
            {
                name: [services.REQUIRED]
                for name, value in (("household", household), ("child", child))
                if value is None
            }
        )
    return {
        "household": services.HouseholdIn(**household.model_dump()),
        "child": services.ChildIn(**child.model_dump()),
    }


@router.post(
    "/identifications",
    response={201: IdentificationOut, **ERRORS},
    tags=["identifications"],
    summary="Identify a child at work: register, classify, open a case if child labour",
)
def identification_create(request: HttpRequest, payload: IdentificationCreateIn) -> Any:
    user = request_user(request)
    result = services.identification_record(
        actor=user,
        observation=payload.observation.data(),
        **identified_child(user, payload.child_id, payload.household, payload.child),
    )
    return Status(
        201,
        _classified(
            result.classification,
            child_id=result.child.pk,
            observation_id=result.observation.pk,
            case_id=result.case.pk if result.case else None,
        ),
    )


@router.post(
    "/identifications/preview",
    response={200: ClassificationOut, **ERRORS},
    tags=["identifications"],
    summary="Classify an observation without saving anything",
)
def identification_preview(request: HttpRequest, payload: IdentificationPreviewIn) -> Any:
    birth, estimated, sex = payload.birth_date, payload.birth_date_estimated, payload.sex or ""
    if payload.child_id is not None:
        child = selectors.child_get_for_user(user=request_user(request), child_id=payload.child_id)
        birth, estimated, sex = child.birth_date, child.birth_date_estimated, child.sex
    result = services.observation_classify(
        data=payload.observation.data(), birth_date=birth, estimated=estimated, sex=sex
    )
    return _classified(result)


# --- Providers --------------------------------------------------------------------------


class ProviderOut(Schema):
    id: int
    name: str
    name_ar: str
    kind: str
    service: str | None
    territory_code: str


class ProviderFilterIn(Schema):
    service: ServiceType
    case_id: int


@router.get(
    "/providers",
    response={200: list[ProviderOut], **ERRORS},
    tags=["providers"],
    summary="Providers of a service that serve a case's commune",
)
def provider_list(request: HttpRequest, filters: Query[ProviderFilterIn]) -> Any:
    case = _case(request, filters.case_id)
    return list(selectors.provider_directory(service=filters.service, commune=case.commune))


# --- Referrals (providers' side, and caseworkers') ----------------------------------------


class ReferralChildOut(Schema):
    """What a provider needs to know about the child: no verdict, hazards,
    household identifiers or assessment."""

    first_name_ar: str
    family_name_ar: str
    first_name_latin: str
    family_name_latin: str
    sex: str
    age: int

    @staticmethod
    def resolve_age(obj: Child) -> int:
        return workflow.age_on(obj.birth_date, services.today())


class ReferringOrganisationOut(Schema):
    name: str
    name_ar: str


class _ReferralRestricted(Schema):
    id: int
    child: ReferralChildOut
    commune: CommuneOut
    service: str
    note: str
    referring_organisation: ReferringOrganisationOut
    status: str
    sent_on: date
    responded_on: date | None
    refusal_reason: str
    delivered_on: date | None
    delivery_note: str

    @staticmethod
    def resolve_child(obj: Referral) -> Child:
        return obj.case.child

    @staticmethod
    def resolve_commune(obj: Referral) -> Any:
        return obj.case.commune

    @staticmethod
    def resolve_referring_organisation(obj: Referral) -> Organisation:
        return obj.case.organisation


class ReferralForProviderOut(_ReferralRestricted):
    """A referral as the provider it is addressed to sees it."""

    audience: Literal["provider"] = "provider"


class ReferralItemOut(_ReferralRestricted):
    """A referral in a list (the same fields for everybody), with the provider and,
    for caseworkers only, the case."""

    provider: OrganisationOut
    case_id: int | None

    @staticmethod
    def resolve_case_id(obj: Referral, context: Any) -> int | None:
        user = request_user(context["request"])
        return obj.case_id if user.role != Role.PROVIDER else None


ReferralDetailOut = Annotated[ReferralForProviderOut | ReferralOut, Field(discriminator="audience")]


def _referral_for(user: Any, referral: Referral) -> _Shown:
    """Tagged with the schema its reader may see (the response is a tagged union)."""
    return _Shown(referral, audience="provider" if user.role == Role.PROVIDER else "casework")


class ReferralFilterIn(Schema):
    status: ReferralStatus | None = None


def _referral_child(referral: Referral) -> int:
    return referral.case.child_id


@router.get(
    "/referrals/",
    response={200: list[ReferralItemOut], **ERRORS},
    tags=["referrals"],
    summary="Referrals: addressed to my organisation (providers), or of my cases",
)
@paginate(Pages, event=AuditEvent.REFERRAL_LIST_VIEWED, child_of=_referral_child)
def referral_list(request: HttpRequest, filters: Query[ReferralFilterIn]) -> QuerySet[Referral]:
    return selectors.referral_inbox(
        user=request_user(request), status=filters.status or ""
    ).select_related("case__organisation")


@router.get(
    "/referrals/{int:referral_id}",
    response={200: ReferralDetailOut, **ERRORS},
    tags=["referrals"],
    summary="A referral (providers see only what they need)",
)
def referral_detail(request: HttpRequest, referral_id: int) -> Any:
    user = request_user(request)
    return _referral_for(user, services.referral_view(user=user, referral_id=referral_id))


def _referral(request: HttpRequest, referral_id: int) -> Referral:
    return selectors.referral_get_for_user(user=request_user(request), referral_id=referral_id)


@router.post(
    "/referrals/{int:referral_id}/accept",
    response={200: ReferralForProviderOut, **ERRORS},
    tags=["referrals"],
    summary="Accept a referral (provider)",
)
def referral_accept(request: HttpRequest, referral_id: int) -> Any:
    return services.referral_accept(
        actor=request_user(request), referral=_referral(request, referral_id)
    )


class ReferralRefuseIn(Schema):
    reason: str = Field(..., max_length=5000)


@router.post(
    "/referrals/{int:referral_id}/refuse",
    response={200: ReferralForProviderOut, **ERRORS},
    tags=["referrals"],
    summary="Refuse a referral, with a reason (provider)",
)
def referral_refuse(request: HttpRequest, referral_id: int, payload: ReferralRefuseIn) -> Any:
    return services.referral_refuse(
        actor=request_user(request),
        referral=_referral(request, referral_id),
        reason=payload.reason,
    )


class ReferralDeliverIn(Schema):
    delivered_on: date | None = Field(default=None, description="Today if not given.")
    note: str = Field(default="", max_length=5000)


@router.post(
    "/referrals/{int:referral_id}/deliver",
    response={200: ReferralForProviderOut, **ERRORS},
    tags=["referrals"],
    summary="Record the service delivered (provider)",
)
def referral_deliver(
    request: HttpRequest, referral_id: int, payload: ReferralDeliverIn | None = None
) -> Any:
    payload = payload or ReferralDeliverIn(delivered_on=None, note="")
    return services.referral_deliver(
        actor=request_user(request),
        referral=_referral(request, referral_id),
        delivered_on=payload.delivered_on,
        note=payload.note,
    )


# --- Dashboard ---------------------------------------------------------------------------


class CaseloadOut(Schema):
    """Counts only, never a name."""

    total: int
    by_status: dict[str, int]
    by_verdict: dict[str, int]
    by_region: dict[str, int]
    by_province: dict[str, int]
    overdue: int


@router.get(
    "/dashboard",
    response={200: CaseloadOut, **ERRORS},
    tags=["dashboard"],
    summary="Caseload counts (supervisors: their organisation; analysts: all)",
)
def dashboard(request: HttpRequest) -> Any:
    user = request_user(request)
    if user.role not in (Role.SUPERVISOR, Role.ANALYST):
        raise NotFound()
    return selectors.caseload_counts(user=user, on=services.today())
