"""The labour inspectorate's API: the register, visits, enforcement documents.

Mounted at ``/api/inspection/``. For the staff of an inspection office only
(labour inspectors and their supervisors): anybody else gets 404 on every
endpoint, as on the pages. Within an office, ``inspection.selectors`` apply
the scope (the office's records in the user's territory): a record outside it
is 404, never 403. Every change goes through ``inspection.services``.

No child is named in any response: a child found in a visit is given by its
ids, its verdict, whether it was removed from work, and the case opened.

Names never go into URLs: searching the register by name or ICE number is
``POST /api/inspection/establishments/search``.
"""

from collections import Counter
from datetime import date
from typing import Any, Literal

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PaginationBase, paginate

from himaya.accounts.api import ERRORS, request_user
from himaya.accounts.models import User
from himaya.cases import services as case_services
from himaya.cases.api import (
    MAX_PAGE,
    MAX_PAGE_SIZE,
    PAGE_SIZE,
    ChildCreateIn,
    CommuneOut,
    HouseholdCreateIn,
    ObservationFieldsIn,
    PageIn,
    identified_child,
)
from himaya.core.errors import InvalidInput, NotFound, fields_named
from himaya.inspection import selectors
from himaya.inspection.models import (
    BREACH_CHOICES,
    EnforcementDocument,
    Establishment,
    Stage,
    Violation,
    Visit,
    VisitKind,
    VisitStatus,
)
from himaya.inspection.services import enforcement, establishments, visits

router = Router()

NAMES_NOT_IN_URLS = _(
    "Names are not accepted in the address: search with POST /api/inspection/establishments/search."
)


def _staff(request: HttpRequest) -> User:
    """The user, if on the staff of an inspection office; anybody else: not found."""
    user = request_user(request)
    if not selectors.is_inspection_staff(user):
        raise NotFound()
    return user


# --- Pagination --------------------------------------------------------------------


class Pages(PaginationBase):
    """Page-number pagination, as the casework API's (no child is listed here,
    so a page shown is not audited)."""

    Input = PageIn

    class Output(Schema):
        items: list[Any]
        count: int
        page: int
        page_size: int

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Any, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        return _page(queryset, page=pagination.page, page_size=pagination.page_size)


def _page(queryset: QuerySet[Any], *, page: int, page_size: int) -> dict[str, Any]:
    offset = (page - 1) * page_size
    items = list(queryset[offset : offset + page_size])
    return {"items": items, "count": queryset.count(), "page": page, "page_size": page_size}


# --- Output schemas -------------------------------------------------------------------


_BREACH_LABELS = dict(BREACH_CHOICES)


class EstablishmentItemOut(Schema):
    id: int
    name: str
    ice: str
    informal: bool = Field(..., description="No ICE number.")
    sector: str
    commune: CommuneOut
    workers: int | None
    last_visit_on: date | None


class EstablishmentRefOut(Schema):
    id: int
    name: str
    ice: str


class VisitItemOut(Schema):
    id: int
    establishment: EstablishmentRefOut
    commune: CommuneOut
    kind: str
    status: str
    scheduled_on: date
    visited_on: date | None


class FoundChildOut(Schema):
    """A child found at work: ids and verdict only, never a name."""

    id: int
    child_id: int
    observation_id: int
    case_id: int | None = Field(..., description="The case opened or updated; null if none.")
    verdict: str
    removed: bool = Field(..., description="Removed from work at once.")


class ViolationOut(Schema):
    id: int
    visit_id: int
    breach: str
    breach_label: str
    article: str
    children: int = Field(..., description="How many children the breach concerns.")
    found_on: date
    stage: str
    stage_label: str
    deadline: date | None
    repeat: bool
    fine_minimum: int | None = Field(..., description="MAD; null if the breach is not fined.")
    fine_maximum: int | None
    fine_reference: str = Field(..., description="The article that sets the fine.")
    notice_id: int | None
    report_id: int | None
    follow_up_id: int | None = Field(..., description="The follow-up visit.")
    closed_on: date | None

    @staticmethod
    def resolve_breach_label(obj: Violation) -> str:
        return str(_BREACH_LABELS.get(obj.breach, obj.breach))

    @staticmethod
    def resolve_stage_label(obj: Violation) -> str:
        return str(Stage(obj.stage).label)


class DocumentOut(Schema):
    id: int
    kind: str
    number: str
    issued_on: date
    deadline: date | None
    download_path: str = Field(
        ..., description="The PDF; ?language=fr or ar (by default the request's language)."
    )

    @staticmethod
    def resolve_download_path(obj: EnforcementDocument) -> str:
        return reverse("api:inspection_document_pdf", kwargs={"document_id": obj.pk})


class NoticeOut(DocumentOut):
    follow_up_id: int = Field(..., description="The follow-up visit planned on the deadline.")


class VisitOut(VisitItemOut):
    """A visit in full: its checklist, inspectors, children found (no names),
    violations found and the documents issued at it."""

    partners: str
    checklist: dict[str, str] = Field(..., description="Question → yes, no or na.")
    notes: str
    inspector_ids: list[int]
    children_found: list[FoundChildOut]
    violations: list[ViolationOut] = Field(..., description="The breaches found at this visit.")
    follow_up_of: list[ViolationOut] = Field(
        ..., description="The breaches this visit is the follow-up of."
    )
    documents: list[DocumentOut]


class EstablishmentOut(EstablishmentItemOut):
    """An establishment of the register, with its history."""

    address: str
    contact_name: str
    contact_phone: str
    children_found: int = Field(..., description="Children found in past visits.")
    repeat_offences: int
    visits: list[VisitItemOut]
    violations: list[ViolationOut]
    violations_by_stage: dict[str, int]


class _Shown:
    """A record with more attributes for its output schema (read through the selectors)."""

    def __init__(self, record: Any, **extra: Any) -> None:
        self._record = record
        self.__dict__.update(extra)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._record, name)


def _visit_detail(user: User, visit: Visit) -> _Shown:
    violations = selectors.violation_visible_to(user).order_by("found_on", "id")
    return _Shown(
        visit,
        inspector_ids=sorted(visit.inspectors.values_list("pk", flat=True)),
        children_found=list(visit.found.order_by("id")),
        violations=list(violations.filter(visit=visit)),
        follow_up_of=list(violations.filter(follow_up=visit)),
        documents=list(
            selectors.document_visible_to(user).filter(visit=visit).order_by("issued_on", "id")
        ),
    )


def _establishment_detail(user: User, establishment: Establishment) -> _Shown:
    violations = list(
        selectors.violation_visible_to(user)
        .filter(establishment=establishment)
        .order_by("found_on", "id")
    )
    return _Shown(
        establishment,
        visits=list(
            selectors.visit_visible_to(user)
            .filter(establishment=establishment)
            .select_related("establishment", "commune")
        ),
        violations=violations,
        violations_by_stage=dict(Counter(v.stage for v in violations)),
    )


def _visit(request: HttpRequest, visit_id: int) -> Visit:
    return selectors.visit_get_for_user(user=_staff(request), visit_id=visit_id)


# --- Establishments -----------------------------------------------------------------


class EstablishmentFilterIn(Schema):
    sector: str = Field(default="", max_length=20)
    commune: str = Field(default="", max_length=12, description="HCP commune code")
    informal: bool | None = Field(default=None, description="Without (true) or with an ICE.")

    def selector_filters(self, q: str = "") -> selectors.EstablishmentFilters:
        return selectors.EstablishmentFilters(
            q=q, sector=self.sector, commune=self.commune, informal=self.informal
        )


class EstablishmentSearchIn(Schema):
    q: str = Field(default="", max_length=200, description="Words of the name, or the ICE.")
    filters: EstablishmentFilterIn = Field(default_factory=EstablishmentFilterIn)
    page: int = Field(default=1, ge=1, le=MAX_PAGE)
    page_size: int = Field(default=PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class EstablishmentPageOut(Schema):
    items: list[EstablishmentItemOut]
    count: int
    page: int
    page_size: int


@router.get(
    "/establishments/",
    response={200: list[EstablishmentItemOut], **ERRORS},
    tags=["establishments"],
    summary="List the establishments of my office's register",
)
@paginate(Pages)
def establishment_list(
    request: HttpRequest, filters: Query[EstablishmentFilterIn]
) -> QuerySet[Establishment]:
    """By name. No search by name here (names never go in URLs): use
    ``POST /api/inspection/establishments/search``."""
    user = _staff(request)
    if "q" in request.GET:
        raise InvalidInput({"q": [NAMES_NOT_IN_URLS]})
    return selectors.establishment_list_for_user(user=user, filters=filters.selector_filters())


@router.post(
    "/establishments/search",
    response={200: EstablishmentPageOut, **ERRORS},
    tags=["establishments"],
    summary="Search my office's register by name or ICE number",
)
def establishment_search(request: HttpRequest, payload: EstablishmentSearchIn) -> dict[str, Any]:
    found = selectors.establishment_list_for_user(
        user=_staff(request), filters=payload.filters.selector_filters(q=payload.q)
    )
    return _page(found, page=payload.page, page_size=payload.page_size)


@router.get(
    "/establishments/{int:establishment_id}",
    response={200: EstablishmentOut, **ERRORS},
    tags=["establishments"],
    summary="An establishment, with its visits and violations",
)
def establishment_detail(request: HttpRequest, establishment_id: int) -> Any:
    user = _staff(request)
    establishment = selectors.establishment_get_for_user(
        user=user, establishment_id=establishment_id
    )
    return _establishment_detail(user, establishment)


class EstablishmentCreateIn(Schema):
    """Lengths, the ICE number and the phone are checked by the register's service."""

    name: str
    sector: str = Field(..., max_length=20)
    commune: str = Field(..., max_length=12, description="HCP commune code")
    ice: str = Field(default="", description="15 digits; blank for an informal workplace.")
    address: str = ""
    workers: int | None = None
    contact_name: str = ""
    contact_phone: str = ""


@router.post(
    "/establishments/",
    response={201: EstablishmentOut, **ERRORS},
    tags=["establishments"],
    summary="Add an establishment to my office's register",
)
def establishment_create(request: HttpRequest, payload: EstablishmentCreateIn) -> Any:
    user = _staff(request)
    establishment = establishments.establishment_create(
        actor=user, data=establishments.EstablishmentIn(**payload.model_dump())
    )
    return Status(201, _establishment_detail(user, establishment))


# --- Visits ---------------------------------------------------------------------------


class VisitFilterIn(Schema):
    status: VisitStatus | None = None
    kind: VisitKind | None = None
    from_: date | None = Field(
        default=None, alias="from", description="Visits on or after this day."
    )
    to: date | None = Field(default=None, description="Visits on or before this day.")


def _on_or_after(day: date) -> Q:
    """The visit's day (made, else planned) is ``day`` or later."""
    return Q(visited_on__gte=day) | Q(visited_on__isnull=True, scheduled_on__gte=day)


def _on_or_before(day: date) -> Q:
    return Q(visited_on__lte=day) | Q(visited_on__isnull=True, scheduled_on__lte=day)


@router.get(
    "/visits/",
    response={200: list[VisitItemOut], **ERRORS},
    tags=["visits"],
    summary="List my office's visits, latest first",
)
@paginate(Pages)
def visit_list(request: HttpRequest, filters: Query[VisitFilterIn]) -> QuerySet[Visit]:
    """``from`` and ``to`` bound the day of the visit: the day it was made, or
    else the day it is planned."""
    found = selectors.visit_visible_to(_staff(request))
    if filters.status:
        found = found.filter(status=filters.status)
    if filters.kind:
        found = found.filter(kind=filters.kind)
    if filters.from_:
        found = found.filter(_on_or_after(filters.from_))
    if filters.to:
        found = found.filter(_on_or_before(filters.to))
    return found.select_related("establishment", "commune").order_by("-scheduled_on", "-id")


@router.get(
    "/visits/{int:visit_id}",
    response={200: VisitOut, **ERRORS},
    tags=["visits"],
    summary="A visit: checklist, inspectors, children found, violations, documents",
)
def visit_detail(request: HttpRequest, visit_id: int) -> Any:
    user = _staff(request)
    return _visit_detail(user, visits.visit_view(user=user, visit_id=visit_id))


class VisitPlanIn(Schema):
    establishment_id: int
    kind: VisitKind
    scheduled_on: date
    inspector_ids: list[int] = Field(..., description="Labour inspectors of my office.")
    partners: str = Field(default="", description="Required for a joint visit.")


@router.post(
    "/visits/",
    response={201: VisitOut, **ERRORS},
    tags=["visits"],
    summary="Plan a visit of an establishment of the register",
)
def visit_plan(request: HttpRequest, payload: VisitPlanIn) -> Any:
    user = _staff(request)
    with fields_named(establishment="establishment_id", inspectors="inspector_ids"):
        visit = visits.visit_plan(actor=user, data=visits.VisitIn(**payload.model_dump()))
    return Status(201, _visit_detail(user, visit))


class VisitRecordIn(Schema):
    visited_on: date
    checklist: dict[str, str] = Field(
        ...,
        description=(
            "Every question of the checklist answered yes, no or na; an error names "
            "the question as check_<question>."
        ),
    )
    notes: str = Field(default="", max_length=10000, description="The findings.")


@router.post(
    "/visits/{int:visit_id}/record",
    response={200: VisitOut, **ERRORS},
    tags=["visits"],
    summary="Record a visit: its date, the checklist, the findings",
)
def visit_record(request: HttpRequest, visit_id: int, payload: VisitRecordIn) -> Any:
    visit = _visit(request, visit_id)
    user = request_user(request)
    visit = visits.visit_record(
        actor=user, visit=visit, data=visits.VisitRecordIn(**payload.model_dump())
    )
    return _visit_detail(user, visit)


class FoundObservationIn(ObservationFieldsIn):
    """The casework API's ``ObservationCreateIn`` without its date and commune,
    which are the visit's. The place and the sector default to the establishment's."""

    def data(self) -> case_services.ObservationIn:
        return case_services.ObservationIn(observed_on=None, **self.model_dump())


class VisitChildFoundIn(Schema):
    """A new child (``household`` and ``child``, as for ``POST /api/identifications``),
    or ``child_id`` for a child already registered by my office."""

    child_id: int | None = None
    household: HouseholdCreateIn | None = None
    child: ChildCreateIn | None = None
    observation: FoundObservationIn = Field(default_factory=FoundObservationIn)


@router.post(
    "/visits/{int:visit_id}/children",
    response={201: FoundChildOut, **ERRORS},
    tags=["visits"],
    summary="Record a child found at work: classified, a case opened, violations added",
)
def visit_child_found(request: HttpRequest, visit_id: int, payload: VisitChildFoundIn) -> Any:
    visit = _visit(request, visit_id)
    user = request_user(request)
    found = visits.visit_child_found(
        actor=user,
        visit=visit,
        observation=payload.observation.data(),
        **identified_child(user, payload.child_id, payload.household, payload.child),
    )
    return Status(201, found)


# --- Enforcement ------------------------------------------------------------------------


class VisitNoticeIn(Schema):
    violation_ids: list[int] = Field(..., description="Breaches of the visit at the advice stage.")
    deadline: date | None = Field(
        default=None, description="By default HIMAYA_NOTICE_DAYS (30) after the visit."
    )


@router.post(
    "/visits/{int:visit_id}/notice",
    response={201: NoticeOut, **ERRORS},
    tags=["enforcement"],
    summary="Serve a formal notice with a deadline, and plan the follow-up visit",
)
def visit_notice(request: HttpRequest, visit_id: int, payload: VisitNoticeIn) -> Any:
    visit = _visit(request, visit_id)
    user = request_user(request)
    with fields_named(violations="violation_ids"):
        document = enforcement.notice_issue(
            actor=user, visit=visit, violation_ids=payload.violation_ids, deadline=payload.deadline
        )
    follow_up = (
        selectors.violation_visible_to(user)
        .filter(notice=document)
        .values_list("follow_up_id", flat=True)
        .first()
    )
    return Status(201, _Shown(document, follow_up_id=follow_up))


class VisitFollowUpIn(Schema):
    corrected_violation_ids: list[int] = Field(
        default_factory=list,
        description="The breaches found corrected; the others under a formal notice persist.",
    )


@router.post(
    "/visits/{int:visit_id}/follow-up",
    response={200: list[ViolationOut], **ERRORS},
    tags=["enforcement"],
    summary="Conclude a follow-up visit: each breach corrected or persisting",
)
def visit_follow_up(request: HttpRequest, visit_id: int, payload: VisitFollowUpIn) -> Any:
    visit = _visit(request, visit_id)
    with fields_named(violations="corrected_violation_ids"):
        return enforcement.follow_up_conclude(
            actor=request_user(request),
            visit=visit,
            corrected_ids=payload.corrected_violation_ids,
        )


@router.post(
    "/visits/{int:visit_id}/report",
    response={201: DocumentOut, **ERRORS},
    tags=["enforcement"],
    summary="Write the violation report of the breaches persisting",
)
def visit_report(request: HttpRequest, visit_id: int) -> Any:
    visit = _visit(request, visit_id)
    return Status(201, enforcement.report_issue(actor=request_user(request), visit=visit))


# --- Documents ------------------------------------------------------------------------------


class DocumentLanguageIn(Schema):
    language: Literal["fr", "ar"] | None = Field(
        default=None, description="French or Arabic; by default the request's language."
    )


@router.get(
    "/documents/{int:document_id}.pdf",
    response=ERRORS,
    tags=["enforcement"],
    summary="A formal notice or violation report as PDF, in French or Arabic",
    url_name="inspection_document_pdf",
    openapi_extra={
        "responses": {
            200: {
                "description": "The PDF file.",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def document_pdf(
    request: HttpRequest, document_id: int, options: Query[DocumentLanguageIn]
) -> HttpResponse:
    user = _staff(request)
    document = selectors.document_get_for_user(user=user, document_id=document_id)
    language = options.language or ("ar" if (get_language() or "")[:2] == "ar" else "fr")
    name, pdf = enforcement.document_download(actor=user, document=document, language=language)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
