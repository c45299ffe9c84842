"""Pages of visits: the office's list, planning, the visit page and its actions
(checklist, children found, formal notice, follow-up, violation report), the
documents' PDF files, and the inspector's day.

Every read goes through ``inspection.selectors`` (scope: a visit of another
office or territory is a 404), every change through ``inspection.services``.
Each action is a plain form (CSRF, no JavaScript needed): back to the visit with
a message, or the visit page again with the form's errors (400).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.formats import date_format, number_format
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from himaya.accounts.models import Role, User
from himaya.cases import services as case_services
from himaya.cases.forms import CaseForm, ChildForm, ConfirmForm, HouseholdForm, resubmitted
from himaya.cases.models import Verdict
from himaya.cases.selectors import case_visible_to
from himaya.cases.views import (
    ErrorItem,
    _error_summary,
    _htmx,
    _take_errors,
    not_found_as_404,
    verdict_preview,
)
from himaya.core.errors import ApplicationError, InvalidInput
from himaya.inspection import selectors
from himaya.inspection.forms import (
    FollowUpForm,
    FoundObservationForm,
    NoticeForm,
    VisitFilterForm,
    VisitPlanForm,
    VisitRecordForm,
)
from himaya.inspection.models import (
    CHECKLIST,
    ChecklistAnswer,
    EnforcementDocument,
    FoundChild,
    Stage,
    Violation,
    Visit,
    VisitKind,
    VisitStatus,
)
from himaya.inspection.services import enforcement
from himaya.inspection.services import visits as visit_services
from himaya.inspection.views.common import inspection_staff_required, user_of

PAGE_SIZE = 25
DOCUMENT_LANGUAGES = ("fr", "ar")


def _day(value: date) -> str:
    return date_format(value, "DATE_FORMAT")


def _visit_url(visit: Visit, anchor: str = "") -> str:
    url = reverse("inspection:visit", args=[visit.pk])
    return f"{url}#{anchor}" if anchor else url


# --- The list -----------------------------------------------------------------------


def _month_range(first: date) -> tuple[date, date]:
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, following - timedelta(days=1)


@login_required
@inspection_staff_required
@require_GET
@not_found_as_404
def visit_list(request: HttpRequest) -> HttpResponse:
    """The office's visits, newest first; filters by status, type and month (and,
    from an establishment's page, that establishment)."""
    user = user_of(request)
    form = VisitFilterForm(request.GET)
    form.is_valid()  # an invalid filter is shown beside its field and not applied
    data = form.cleaned_data
    visits = selectors.visit_visible_to(user)
    establishment = None
    if data.get("establishment"):
        establishment = selectors.establishment_get_for_user(
            user=user, establishment_id=data["establishment"]
        )
        visits = visits.filter(establishment=establishment)
    if data.get("status"):
        visits = visits.filter(status=data["status"])
    if data.get("kind"):
        visits = visits.filter(kind=data["kind"])
    if data.get("month"):
        span = _month_range(data["month"])
        visits = visits.filter(
            Q(visited_on__range=span) | Q(visited_on__isnull=True, scheduled_on__range=span)
        )
    visits = (
        visits.select_related("establishment", "commune")
        .prefetch_related("inspectors")
        .annotate(children=Count("found"))
        .order_by("-scheduled_on", "-id")
    )
    page = Paginator(visits, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "establishment": establishment,
    }
    return render(request, "inspection/visit_list.html", context)


# --- Planning -----------------------------------------------------------------------


def _preselected(request: HttpRequest, user: User) -> int | None:
    """``?establishment=<id>``: an establishment of the register (else 404)."""
    value = request.GET.get("establishment", "")
    if not value.isdigit():
        return None
    return selectors.establishment_get_for_user(user=user, establishment_id=int(value)).pk


@login_required
@inspection_staff_required
@require_http_methods(["GET", "POST"])
@not_found_as_404
def visit_create(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    office_id = user.organisation_id or 0
    establishments = list(
        selectors.establishment_visible_to(user).select_related("commune").order_by("name", "id")
    )
    inspectors = list(visit_services.office_inspectors(office_id))
    errors: list[str] = []
    if request.method == "POST":
        form = VisitPlanForm(request.POST, establishments=establishments, inspectors=inspectors)
        if form.is_valid():
            try:
                visit = visit_services.visit_plan(actor=user, data=form.to_input())
            except ApplicationError as error:
                errors = _take_errors([form], error)
            else:
                messages.success(
                    request,
                    _("The visit of %(establishment)s was planned for %(day)s.")
                    % {"establishment": visit.establishment.name, "day": _day(visit.scheduled_on)},
                )
                return HttpResponseRedirect(_visit_url(visit))
    else:
        initial: dict[str, Any] = {
            "establishment": _preselected(request, user),
            "kind": VisitKind.PLANNED,
            "scheduled_on": case_services.today(),
        }
        if user.role == Role.INSPECTOR:
            initial["inspectors"] = [user.pk]
        form = VisitPlanForm(initial=initial, establishments=establishments, inspectors=inspectors)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "error_summary": _error_summary([form], errors)}
    return render(request, "inspection/visit_form.html", context, status=status)


# --- The visit page -------------------------------------------------------------------


def _amount(value: int) -> str:
    """An amount in dirhams, grouped by thousands in the user's language (Arabic
    has no grouping in Django's formats: a narrow no-break space, as in the PDF)."""
    if (get_language() or "").startswith("ar"):
        return f"{value:,}".replace(",", "\u202f")
    return number_format(value, force_grouping=True)


@dataclass
class ViolationRow:
    """A violation and its fine, worded in the user's language."""

    violation: Violation
    fine: str


def violation_rows(violations: Iterable[Violation]) -> list[ViolationRow]:
    rows = []
    for violation in violations:
        fine = ""
        if violation.fine_minimum is not None and violation.fine_maximum is not None:
            fine = _("%(minimum)s to %(maximum)s MAD") % {
                "minimum": _amount(violation.fine_minimum),
                "maximum": _amount(violation.fine_maximum),
            }
        rows.append(ViolationRow(violation, fine))
    return rows


@dataclass
class FoundRow:
    """A child found, as the visit page shows it (no name: the case page has it)."""

    found: FoundChild
    verdict: str
    case_visible: bool


@dataclass
class Offers:
    """What graduated enforcement offers at a visit once recorded: breaches that may
    get a formal notice, that this visit concludes, that await the violation report."""

    notice: list[Violation] = field(default_factory=list)
    follow_up: list[Violation] = field(default_factory=list)
    report: list[Violation] = field(default_factory=list)


@dataclass
class VisitPage:
    """Everything the visit page shows, read once (a fixed number of queries)."""

    visit: Visit
    inspectors: list[User]
    found: list[FoundRow]
    violations: list[ViolationRow]  # of this visit
    earlier_violations: list[ViolationRow]  # of the establishment, found in other visits
    history: list[Visit]  # the establishment's other visits
    documents: list[EnforcementDocument]
    checklist: list[tuple[str, str, str]]
    offers: Offers
    to_report: list[ViolationRow]
    forms: dict[str, CaseForm] = field(default_factory=dict)


def _verdict_label(code: str) -> str:
    return str(dict(Verdict.choices).get(code, code))


def _found_rows(user: User, visit: Visit) -> list[FoundRow]:
    found = list(visit.found.select_related("observation"))
    case_ids = [f.case_id for f in found if f.case_id is not None]
    visible = set(case_visible_to(user).filter(pk__in=case_ids).values_list("pk", flat=True))
    return [FoundRow(f, _verdict_label(f.verdict), f.case_id in visible) for f in found]


def _notice_candidates(user: User, visit: Visit) -> list[Violation]:
    """The establishment's breaches at the advice stage, found on or before this visit."""
    return list(
        selectors.violation_visible_to(user)
        .filter(
            establishment_id=visit.establishment_id, stage=Stage.ADVICE, found_on__lte=visit.day
        )
        .order_by("found_on", "id")
    )


def _done(visit: Visit) -> bool:
    return visit.status == VisitStatus.DONE and visit.visited_on is not None


def _record_initial(visit: Visit) -> dict[str, Any]:
    today = case_services.today()
    initial: dict[str, Any] = {
        "visited_on": visit.visited_on or min(visit.scheduled_on, today),
        "notes": visit.notes,
    }
    for code, answer in (visit.checklist or {}).items():
        initial[f"check_{code}"] = answer
    return initial


def _offers(user: User, visit: Visit) -> Offers:
    if not _done(visit):
        return Offers()
    return Offers(
        notice=_notice_candidates(user, visit),
        follow_up=enforcement.awaiting_follow_up(visit),
        report=enforcement.awaiting_report(visit),
    )


#: The visit page's actions, each with its own form and URL (``visit_<name>``).
ACTIONS = ("record", "cancel", "notice", "follow_up", "report")


def _action_form(name: str, visit: Visit, offers: Offers, data: Any = None) -> CaseForm | None:
    """The form of one action, bound to what was sent, or blank when the visit
    offers that action (None when it does not)."""
    blank = data is None
    if name == "record":
        if blank and visit.status == VisitStatus.CANCELLED:
            return None
        return VisitRecordForm(data, initial=_record_initial(visit))
    if name == "cancel":
        if blank and visit.status != VisitStatus.PLANNED:
            return None
        return ConfirmForm(data, prefix="cancel")
    if name == "notice":
        if blank and not offers.notice:
            return None
        deadline = visit.day + timedelta(days=settings.HIMAYA_NOTICE_DAYS)
        return NoticeForm(data, violations=offers.notice, initial={"deadline": deadline})
    if name == "follow_up":
        if blank and not offers.follow_up:
            return None
        return FollowUpForm(data, violations=offers.follow_up)
    if name == "report":
        if blank and not offers.report:
            return None
        return ConfirmForm(data, prefix="report")
    raise Http404


def _checklist(visit: Visit) -> list[tuple[str, str, str]]:
    """The recorded answers: (question, answer code, answer label)."""
    labels = dict(ChecklistAnswer.choices)
    answers = visit.checklist or {}
    return [
        (str(label), answers.get(code, ""), str(labels.get(answers.get(code, ""), "—")))
        for code, label in CHECKLIST
    ]


def _visit_page(
    request: HttpRequest,
    user: User,
    visit: Visit,
    *,
    bound: tuple[str, CaseForm] | None = None,
    errors: Sequence[str] = (),
    status: int = 200,
) -> HttpResponse:
    establishment_violations = list(
        selectors.violation_visible_to(user)
        .filter(establishment_id=visit.establishment_id)
        .order_by("-found_on", "-id")
    )
    offers = _offers(user, visit)
    page = VisitPage(
        visit=visit,
        inspectors=list(visit.inspectors.order_by("last_name", "first_name", "username")),
        found=_found_rows(user, visit),
        violations=violation_rows(
            [v for v in establishment_violations if v.visit_id == visit.pk][::-1]
        ),
        earlier_violations=violation_rows(
            [v for v in establishment_violations if v.visit_id != visit.pk]
        ),
        history=list(
            selectors.visit_visible_to(user)
            .filter(establishment_id=visit.establishment_id)
            .exclude(pk=visit.pk)
            .order_by("-scheduled_on", "-id")
        ),
        documents=list(visit.documents.order_by("issued_on", "id")),
        checklist=_checklist(visit),
        offers=offers,
        to_report=violation_rows(offers.report),
    )
    for name in ACTIONS:
        if bound is not None and bound[0] == name:
            page.forms[name] = bound[1]
            continue
        form = _action_form(name, visit, offers)
        if form is not None:
            page.forms[name] = form
    bound_forms = [] if bound is None else [bound[1]]
    context = {
        "page": page,
        "visit": visit,
        "establishment": visit.establishment,
        "forms": page.forms,
        "open_panel": bound[0] if bound is not None else "",
        "error_summary": _error_summary(bound_forms, errors),
        "notice_days": settings.HIMAYA_NOTICE_DAYS,
    }
    return render(request, "inspection/visit_detail.html", context, status=status)


@login_required
@inspection_staff_required
@require_GET
@not_found_as_404
def visit_detail(request: HttpRequest, visit_id: int) -> HttpResponse:
    user = user_of(request)
    # The page lists the children found (age, verdict): the read is audited.
    return _visit_page(request, user, visit_services.visit_view(user=user, visit_id=visit_id))


# --- The visit page's actions ------------------------------------------------------------

Action = Callable[[User, Visit, Any], str]


def _act(request: HttpRequest, visit_id: int, name: str, action: Action) -> HttpResponse:
    user = user_of(request)
    visit = selectors.visit_get_for_user(user=user, visit_id=visit_id)
    form = _action_form(name, visit, _offers(user, visit), request.POST)
    if form is None:  # pragma: no cover - a bound form is always built
        raise Http404
    errors: list[str] = []
    if form.is_valid():
        try:
            message = action(user, visit, form)
        except ApplicationError as error:
            errors = _take_errors([form], error)
        else:
            messages.success(request, message)
            return HttpResponseRedirect(_visit_url(visit))
    fresh = selectors.visit_get_for_user(user=user, visit_id=visit.pk)
    return _visit_page(request, user, fresh, bound=(name, form), errors=errors, status=400)


def _record(user: User, visit: Visit, form: VisitRecordForm) -> str:
    visit_services.visit_record(actor=user, visit=visit, data=form.to_input())
    return _("The visit was recorded.")


def _cancel(user: User, visit: Visit, form: ConfirmForm) -> str:
    visit_services.visit_cancel(actor=user, visit=visit)
    return _("The visit was cancelled.")


def _notice(user: User, visit: Visit, form: NoticeForm) -> str:
    data = form.cleaned_data
    document = enforcement.notice_issue(
        actor=user, visit=visit, violation_ids=data["violations"], deadline=data["deadline"]
    )
    deadline = document.deadline or visit.day
    return _("Formal notice %(number)s was issued; the follow-up visit is planned for %(day)s.") % {
        "number": document.number,
        "day": _day(deadline),
    }


def _follow_up(user: User, visit: Visit, form: FollowUpForm) -> str:
    enforcement.follow_up_conclude(actor=user, visit=visit, corrected_ids=form.corrected_ids())
    return _("The findings of the follow-up were recorded.")


def _report(user: User, visit: Visit, form: ConfirmForm) -> str:
    document = enforcement.report_issue(actor=user, visit=visit)
    return _("Violation report %(number)s was issued.") % {"number": document.number}


def _action_view(name: str, action: Action) -> Callable[[HttpRequest, int], HttpResponse]:
    @login_required
    @inspection_staff_required
    @require_POST
    @not_found_as_404
    def view(request: HttpRequest, visit_id: int) -> HttpResponse:
        return _act(request, visit_id, name, action)

    view.__name__ = view.__qualname__ = f"visit_{name}"
    return view


visit_record = _action_view("record", _record)
visit_cancel = _action_view("cancel", _cancel)
visit_notice = _action_view("notice", _notice)
visit_follow_up = _action_view("follow_up", _follow_up)
visit_report = _action_view("report", _report)


# --- Children found -------------------------------------------------------------------------


@dataclass
class ChildFoundPage:
    """The identification forms of the cases app (household, child, observation),
    without what the visit fixes (the observation's date and commune)."""

    household: HouseholdForm
    child: ChildForm
    observation: FoundObservationForm
    errors: list[str] = field(default_factory=list)
    verdict: dict[str, Any] | None = None  # the verdict previewed, not saved
    preview_errors: list[ErrorItem] = field(default_factory=list)

    @classmethod
    def new(cls, user: User, visit: Visit, data: Any = None) -> ChildFoundPage:
        establishment = visit.establishment
        return cls(
            household=HouseholdForm(
                data,
                user=user,
                initial={
                    "region": visit.region_id,
                    "province": visit.province_id,
                    "commune": visit.commune_id,
                },
            ),
            child=ChildForm(data),
            observation=FoundObservationForm(
                data, initial={"place": establishment.name, "sector": establishment.sector}
            ),
        )

    @property
    def forms(self) -> list[CaseForm]:
        return [self.household, self.child, self.observation]

    def shown_again(self, user: User) -> ChildFoundPage:
        """The same values, without error messages (after a refresh of the selects)."""
        return ChildFoundPage(
            household=resubmitted(self.household, user=user),
            child=resubmitted(self.child),
            observation=resubmitted(self.observation),
            verdict=self.verdict,
            preview_errors=self.preview_errors,
        )

    def preview(self, visit: Visit) -> None:
        """Classify on the visit's date without saving: ``verdict`` or ``preview_errors``."""
        observation = self.observation
        if observation.is_valid():
            birth, estimated, sex = self.child.facts()
            data = replace(observation.to_observation(), observed_on=visit.visited_on)
            try:
                found = case_services.observation_classify(
                    data=data, birth_date=birth, estimated=estimated, sex=sex
                )
            except InvalidInput as invalid:
                rest = observation.add_service_errors(invalid.errors)
                for name, texts in rest.items():  # the child's fields (birth date, sex)
                    label = self.child[name].label if name in self.child.fields else ""
                    self.preview_errors += [
                        ErrorItem(f"{label}: {text}" if label else str(text)) for text in texts
                    ]
            else:
                self.verdict = verdict_preview(found)
        self.preview_errors = _error_summary([observation]) + self.preview_errors


def _render_child_page(
    request: HttpRequest, visit: Visit, page: ChildFoundPage, status: int = 200
) -> HttpResponse:
    context = {
        "visit": visit,
        "establishment": visit.establishment,
        "page": page,
        "verdict": page.verdict,
        "error_summary": _error_summary(page.forms, page.errors),
    }
    return render(request, "inspection/visit_child.html", context, status=status)


@login_required
@inspection_staff_required
@require_http_methods(["GET", "POST"])
@not_found_as_404
def visit_child(request: HttpRequest, visit_id: int) -> HttpResponse:
    """Add a child found at work in the visit: identified, classified, a case
    opened and the breaches added to the visit's violations."""
    user = user_of(request)
    visit = selectors.visit_get_for_user(user=user, visit_id=visit_id)
    if not _done(visit):
        messages.warning(request, str(visit_services.VISIT_NOT_RECORDED))
        return HttpResponseRedirect(_visit_url(visit, "checklist"))
    if request.method == "GET":
        return _render_child_page(request, visit, ChildFoundPage.new(user, visit))
    page = ChildFoundPage.new(user, visit, request.POST)
    if "refresh" in request.POST:  # the chained selects, without JavaScript
        return _render_child_page(request, visit, page.shown_again(user))
    if "preview" in request.POST:  # the verdict before saving
        page.preview(visit)
        if _htmx(request):
            context = {"page": page, "verdict": page.verdict}
            return render(request, "cases/_verdict_preview.html", context)
        return _render_child_page(request, visit, page.shown_again(user))
    if all([form.is_valid() for form in page.forms]):  # every form, for every error
        try:
            found = visit_services.visit_child_found(
                actor=user,
                visit=visit,
                household=page.household.to_household(),
                child=page.child.to_child(),
                observation=page.observation.to_observation(),
            )
        except ApplicationError as error:
            page.errors += _take_errors(page.forms, error)
        else:
            messages.success(request, _("The child found was recorded."))
            return HttpResponseRedirect(
                reverse("inspection:visit_child_saved", args=[visit.pk, found.pk])
            )
    return _render_child_page(request, visit, page, status=400)


def _language() -> str:
    language = (get_language() or "fr")[:2]
    return language if language in ("fr", "ar", "en") else "fr"


def _explanation(found: FoundChild) -> list[str]:
    """The verdict's explanation, in the user's language: the stored observation
    classified again (the same ruleset on the same date gives the same verdict)."""
    observation, child = found.observation, found.child
    data = case_services.ObservationIn(
        observed_on=observation.observed_on,
        commune=observation.commune_id,
        place=observation.place,
        age_reported=observation.age_reported,
        economic_hours_week=observation.economic_hours_week,
        chores_hours_week=observation.chores_hours_week,
        sector=observation.sector,
        domestic_worker=observation.domestic_worker,
        usual_start=observation.usual_start,
        usual_end=observation.usual_end,
        night_work=observation.night_work,
        hazards=list(observation.hazards),
        worst_forms=list(observation.worst_forms),
        guardian_authorisation=observation.guardian_authorisation,
        apprenticeship=observation.apprenticeship,
        in_school_or_training=observation.in_school_or_training,
    )
    try:
        classification = case_services.observation_classify(
            data=data,
            birth_date=child.birth_date,
            estimated=child.birth_date_estimated,
            sex=child.sex,
        )
    except ApplicationError:  # pragma: no cover - it was valid when saved
        return []
    if classification.verdict != found.verdict:  # pragma: no cover - rules changed since
        return []
    return classification.explanation(_language())


@login_required
@inspection_staff_required
@require_GET
@not_found_as_404
def visit_child_saved(request: HttpRequest, visit_id: int, found_id: int) -> HttpResponse:
    """After a child found was recorded: the verdict, why, and what follows."""
    user = user_of(request)
    visit = selectors.visit_get_for_user(user=user, visit_id=visit_id)
    found = visit.found.select_related("observation", "child").filter(pk=found_id).first()
    if found is None:
        raise Http404
    observation = found.observation
    if found.case_id is not None:
        note = _("A case was opened for this child.")
    else:
        note = _("The child is not in child labour: no case was opened.")
    verdict = {
        "code": found.verdict,
        "label": _verdict_label(found.verdict),
        "explanation": _explanation(found),
        "rules": list(zip(observation.rules, observation.citations, strict=False)),
        "note": note,
    }
    case_visible = (
        found.case_id is not None and case_visible_to(user).filter(pk=found.case_id).exists()
    )
    context = {
        "visit": visit,
        "establishment": visit.establishment,
        "found": found,
        "verdict": verdict,
        "case_visible": case_visible,
        "violations": violation_rows(visit.violations.order_by("found_on", "id")),
    }
    return render(request, "inspection/visit_child_saved.html", context)


# --- Documents --------------------------------------------------------------------------------


@login_required
@inspection_staff_required
@require_GET
@not_found_as_404
def document_download(request: HttpRequest, document_id: int, language: str) -> HttpResponse:
    """A formal notice or violation report as a PDF file, in French or Arabic."""
    if language not in DOCUMENT_LANGUAGES:
        raise Http404
    user = user_of(request)
    document = selectors.document_get_for_user(user=user, document_id=document_id)
    filename, pdf = enforcement.document_download(actor=user, document=document, language=language)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    response["Cache-Control"] = "no-store"
    return response


# --- The inspector's day --------------------------------------------------------------------


def _day_visits(user: User, today: date) -> QuerySet[Visit]:
    """Today's visits (planned or done today) of the inspector; for a supervisor,
    of the office. Each with the day of the establishment's visit before today."""
    visits = selectors.visit_visible_to(user).filter(
        Q(scheduled_on=today) | Q(visited_on=today),
        status__in=(VisitStatus.PLANNED, VisitStatus.DONE),
    )
    if user.role == Role.INSPECTOR:
        visits = visits.filter(inspectors=user)
    before = (
        Visit.objects.filter(
            establishment_id=OuterRef("establishment_id"),
            status=VisitStatus.DONE,
            visited_on__lt=today,
        )
        .order_by("-visited_on")
        .values("visited_on")[:1]
    )
    return (
        visits.select_related("establishment", "commune")
        .prefetch_related("inspectors")
        .annotate(previous_visit_on=Subquery(before), children=Count("found"))
    )


@login_required
@inspection_staff_required
@require_GET
def day(request: HttpRequest) -> HttpResponse:
    """The inspector's day, made for a phone: where to go, what to know there."""
    user = user_of(request)
    today = case_services.today()
    visits = sorted(
        _day_visits(user, today),
        key=lambda v: (v.status != VisitStatus.PLANNED, v.establishment.name, v.pk),
    )
    context = {
        "visits": visits,
        "today": today,
        "office": user.role != Role.INSPECTOR,
    }
    return render(request, "inspection/day.html", context)


urlpatterns = [
    path("visits/", visit_list, name="visits"),
    path("visits/new/", visit_create, name="visit_create"),
    path("visits/<int:visit_id>/", visit_detail, name="visit"),
    path("visits/<int:visit_id>/record/", visit_record, name="visit_record"),
    path("visits/<int:visit_id>/cancel/", visit_cancel, name="visit_cancel"),
    path("visits/<int:visit_id>/notice/", visit_notice, name="visit_notice"),
    path("visits/<int:visit_id>/follow-up/", visit_follow_up, name="visit_follow_up"),
    path("visits/<int:visit_id>/report/", visit_report, name="visit_report"),
    path("visits/<int:visit_id>/children/new/", visit_child, name="visit_child"),
    path(
        "visits/<int:visit_id>/children/<int:found_id>/",
        visit_child_saved,
        name="visit_child_saved",
    ),
    path(
        "documents/<int:document_id>/<str:language>.pdf",
        document_download,
        name="document",
    ),
    path("day/", day, name="day"),
]
