"""Pages that gather work across records: my work, the referral inbox and page,
the dashboard.

Records are read only through ``cases.selectors`` (which apply the scope) and
changed only through ``cases.services``; these views choose the page for the
role (``workspace.access``: any other role gets 404), parse input and render.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from himaya.accounts.models import Role, User, territory_level
from himaya.audit.events import AuditEvent
from himaya.cases import selectors, services, workflow
from himaya.cases.models import CaseStatus, Referral, ReferralStatus, Verdict
from himaya.core.errors import ApplicationError, InvalidInput, NotFound
from himaya.geography import selectors as geography
from himaya.geography.maps import region_map_context
from himaya.geography.models import Province
from himaya.workspace import access
from himaya.workspace.forms import DeliverForm, InboxFilterForm, RefuseForm, show_errors

#: Rows of each "my work" section; the rest is behind "see all".
MY_WORK_CAP = 50
INBOX_PAGE_SIZE = 25


def _user_allowed(request: HttpRequest, allowed: Callable[[User], bool]) -> User:
    user = request.user
    if not isinstance(user, User) or not allowed(user):
        raise Http404
    return user


# --- My work -------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    key: str
    title: Promise
    empty: Promise
    rows: QuerySet[Any]

    @property
    def template(self) -> str:
        return f"workspace/_rows_{self.key}.html"


def _sections(user: User) -> list[Section]:
    sections = [
        Section(
            "overdue",
            _("Overdue follow-ups"),
            _("No follow-up visit is overdue."),
            selectors.overdue_follow_ups(user=user, on=services.today()),
        ),
        Section(
            "referrals",
            _("Referrals waiting for an answer"),
            _("No referral is waiting for an answer."),
            selectors.referrals_waiting(user=user),
        ),
    ]
    if user.role == Role.SUPERVISOR:
        sections.append(
            Section(
                "approvals",
                _("Approvals waiting"),
                _("Nothing is waiting for your approval."),
                selectors.approvals_waiting(user=user),
            )
        )
    return sections


def _child_ids(rows: Iterable[Any]) -> list[int]:
    """The children shown, in order, once each (rows are cases or referrals)."""
    ids = (row.case.child_id if isinstance(row, Referral) else row.child_id for row in rows)
    return list(dict.fromkeys(ids))


@login_required
@require_GET
def my_work(request: HttpRequest) -> HttpResponse:
    user = _user_allowed(request, access.does_casework)
    shown: list[dict[str, Any]] = []
    rows_shown: list[Any] = []
    for section in _sections(user):
        rows = list(section.rows[:MY_WORK_CAP])
        # Counted only when the cap is reached.
        count = len(rows) if len(rows) < MY_WORK_CAP else section.rows.count()
        shown.append({"section": section, "rows": rows, "count": count})
        rows_shown += rows
    services.list_view_record(
        user=user,
        event=AuditEvent.CHILD_LIST_VIEWED,
        child_ids=_child_ids(rows_shown),
        detail={"page": "my_work"},
    )
    return render(request, "workspace/my_work.html", {"sections": shown})


@login_required
@require_GET
def my_work_section(request: HttpRequest, section: str) -> HttpResponse:
    """One section of "my work" in full, 50 rows a page."""
    user = _user_allowed(request, access.does_casework)
    found = next((s for s in _sections(user) if s.key == section), None)
    if found is None:
        raise Http404
    page = Paginator(found.rows, MY_WORK_CAP).get_page(request.GET.get("page"))
    services.list_view_record(
        user=user,
        event=AuditEvent.CHILD_LIST_VIEWED,
        child_ids=_child_ids(page),
        detail={"page": "my_work", "section": found.key, "page_number": page.number},
    )
    return render(request, "workspace/my_work_section.html", {"section": found, "page_obj": page})


# --- Referral inbox and referral page (service providers) ------------------------


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    user = _user_allowed(request, access.is_provider)
    form = InboxFilterForm(request.GET)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    referrals = selectors.referral_inbox(user=user, status=status).select_related(
        "case__organisation"
    )
    page = Paginator(referrals, INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    services.list_view_record(
        user=user,
        event=AuditEvent.REFERRAL_LIST_VIEWED,
        child_ids=_child_ids(page),
        detail={"page": "inbox", "status": status, "page_number": page.number},
    )
    return render(
        request,
        "workspace/inbox.html",
        {
            "form": form,
            "page_obj": page,
            "status": status,
            "filter_query": f"status={status}&" if status else "",
        },
    )


def _history(referral: Referral) -> list[dict[str, Any]]:
    """The referral's steps, from its own dates (nothing of the case's other records)."""
    steps: list[dict[str, Any]] = [
        {"status": ReferralStatus.SENT.label, "on": referral.sent_on, "text": ""}
    ]
    if referral.responded_on is not None:
        refused = referral.status == ReferralStatus.REFUSED
        steps.append(
            {
                "status": (ReferralStatus.REFUSED if refused else ReferralStatus.ACCEPTED).label,
                "on": referral.responded_on,
                "text": referral.refusal_reason if refused else "",
            }
        )
    if referral.delivered_on is not None:
        steps.append(
            {
                "status": ReferralStatus.DELIVERED.label,
                "on": referral.delivered_on,
                "text": referral.delivery_note,
            }
        )
    return steps


def _referral_viewed(user: User, referral_id: int) -> Referral:
    """The referral, fetched in the user's scope, its view written to the audit log."""
    try:
        return services.referral_view(user=user, referral_id=referral_id)
    except NotFound as error:
        raise Http404 from error


def _referral_page(
    request: HttpRequest,
    referral: Referral,
    *,
    refuse_form: RefuseForm | None = None,
    deliver_form: DeliverForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """Only what a provider needs: the child's names, sex, age and commune, the
    service, the note, who referred and when, and the referral's own history."""
    case = referral.case
    child = case.child
    today = services.today()
    context = {
        "referral": referral,
        "child": child,
        "age": workflow.age_on(child.birth_date, today),
        "commune": case.commune,
        "referred_by": case.organisation,
        "history": _history(referral),
        "can_answer": referral.status == ReferralStatus.SENT,
        "can_deliver": referral.status == ReferralStatus.ACCEPTED,
        "refuse_form": refuse_form or RefuseForm(),
        "deliver_form": deliver_form or DeliverForm(initial={"delivered_on": today}),
    }
    return render(request, "workspace/referral.html", context, status=status)


@login_required
@require_GET
def referral(request: HttpRequest, referral_id: int) -> HttpResponse:
    user = _user_allowed(request, access.is_provider)
    return _referral_page(request, _referral_viewed(user, referral_id))


def _referral_for_action(request: HttpRequest, referral_id: int) -> tuple[User, Referral]:
    user = _user_allowed(request, access.is_provider)
    try:
        return user, selectors.referral_get_for_user(user=user, referral_id=referral_id)
    except NotFound as error:
        raise Http404 from error


def _done(request: HttpRequest, referral_id: int, message: str | Promise) -> HttpResponse:
    messages.success(request, str(message))
    return redirect("workspace:referral", referral_id=referral_id)


def _refused(request: HttpRequest, referral_id: int, error: ApplicationError) -> HttpResponse:
    messages.error(request, str(error.message))
    return redirect("workspace:referral", referral_id=referral_id)


@login_required
@require_POST
def referral_accept(request: HttpRequest, referral_id: int) -> HttpResponse:
    user, found = _referral_for_action(request, referral_id)
    try:
        services.referral_accept(actor=user, referral=found)
    except ApplicationError as error:
        return _refused(request, referral_id, error)
    return _done(request, referral_id, _("Referral accepted."))


@login_required
@require_POST
def referral_refuse(request: HttpRequest, referral_id: int) -> HttpResponse:
    user, found = _referral_for_action(request, referral_id)
    form = RefuseForm(request.POST)
    if form.is_valid():
        try:
            services.referral_refuse(actor=user, referral=found, reason=form.cleaned_data["reason"])
        except InvalidInput as error:
            show_errors(form, error)
        except ApplicationError as error:
            return _refused(request, referral_id, error)
        else:
            return _done(request, referral_id, _("Referral refused."))
    # Shown again from the database: a refused change leaves nothing behind.
    return _referral_page(
        request, _referral_viewed(user, referral_id), refuse_form=form, status=400
    )


@login_required
@require_POST
def referral_deliver(request: HttpRequest, referral_id: int) -> HttpResponse:
    user, found = _referral_for_action(request, referral_id)
    form = DeliverForm(request.POST)
    if form.is_valid():
        try:
            services.referral_deliver(
                actor=user,
                referral=found,
                delivered_on=form.cleaned_data["delivered_on"],
                note=form.cleaned_data["note"],
            )
        except InvalidInput as error:
            show_errors(form, error)
        except ApplicationError as error:
            return _refused(request, referral_id, error)
        else:
            return _done(request, referral_id, _("Service recorded as delivered."))
    return _referral_page(
        request, _referral_viewed(user, referral_id), deliver_form=form, status=400
    )


# --- Dashboard (aggregates only: never a child's name) ----------------------------


def _bars(
    counts: dict[str, int], choices: Sequence[tuple[str, str | Promise]]
) -> list[dict[str, Any]]:
    """One row per choice, its count and its bar's length in percent of the largest."""
    top = max(counts.values(), default=0)
    return [
        {
            "code": code,
            "label": label,
            "count": counts.get(code, 0),
            # A string: a localised float ("37,5") would not be valid CSS.
            "percent": f"{100 * counts.get(code, 0) / top:.1f}" if top else "0",
        }
        for code, label in choices
    ]


def _provinces_of_territory(code: str) -> QuerySet[Province]:
    """The provinces of a region, the province of a province or commune; all for the country."""
    level = territory_level(code)
    if level == "region":
        return geography.province_list(code)
    if level in ("province", "commune"):
        return geography.province_list().filter(code=code[:6])
    return geography.province_list()


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    user = _user_allowed(request, access.sees_dashboard)
    caseload = selectors.caseload_counts(user=user, on=services.today())
    # Regions outside the user's territory have no figure ("no data"), not zero.
    region_prefix = user.territory_code[:2]
    regions = [
        (
            region,
            caseload.by_region.get(region.code, 0)
            if region.code.startswith(region_prefix)
            else None,
        )
        for region in geography.region_list()
    ]
    context: dict[str, Any] = {
        "caseload": caseload,
        "open_total": caseload.total - caseload.by_status.get(CaseStatus.CLOSED, 0),
        "by_status": _bars(caseload.by_status, CaseStatus.choices),
        "by_verdict": _bars(caseload.by_verdict, Verdict.choices),
        "map_label": _("Open cases by region"),
        "map_value_label": _("Open cases"),
        **region_map_context(regions),
    }
    if user.role == Role.SUPERVISOR:
        context["by_province"] = [
            {"name": province.name, "count": caseload.by_province.get(province.code, 0)}
            for province in _provinces_of_territory(user.territory_code)
        ]
    return render(request, "workspace/dashboard.html", context)
