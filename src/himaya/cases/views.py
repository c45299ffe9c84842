"""The caseworker's pages: identification, the case list, the case page and its actions.

Views are thin: a form parses the input, selectors read (scoped to the user; a
record outside the scope is ``NotFound``, answered 404), services write and
audit. What a service refuses is shown beside the fields (``InvalidInput``) or
at the top (``ApplicationError``), in the user's language, and nothing is saved.

HTMX makes three things partial: the verdict preview, the case list's results
and the provider select. Every page also works without JavaScript.

No personal data in URLs: the case list's filters are sent by GET, but the
name search by POST only.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import reduce, wraps
from typing import Any, Concatenate, ParamSpec

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.forms.utils import ErrorDict
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from himaya.accounts.models import Organisation, Role, ServiceType, User
from himaya.audit.events import AuditEvent
from himaya.cases import selectors, services, workflow
from himaya.cases.forms import (
    AssessForm,
    AssignForm,
    CaseFilterForm,
    CaseForm,
    ChildForm,
    ClosureForm,
    ConfirmForm,
    ConsentForm,
    HouseholdForm,
    ObservationForm,
    ReferForm,
    RejectClosureForm,
    resubmitted,
)
from himaya.cases.models import Case, CaseStatus, Child
from himaya.core.errors import ApplicationError, InvalidInput, NotFound
from himaya.linkage.selectors import Candidate, identification_as_record
from himaya.linkage.services import known_children_view
from himaya_rules import Classification

PAGE_SIZE = 25

P = ParamSpec("P")


# --- Plumbing -----------------------------------------------------------------------


def not_found_as_404(view: Callable[P, HttpResponse]) -> Callable[P, HttpResponse]:
    """A record outside the user's scope (selectors raise NotFound) is a 404."""

    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        try:
            return view(*args, **kwargs)
        except NotFound as error:
            raise Http404(str(error.message)) from error

    return wrapped


def caseworker_required(
    view: Callable[Concatenate[HttpRequest, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """Pages that are not about one record (identify, the list): caseworkers only."""

    @wraps(view)
    def wrapped(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        if not getattr(request.user, "does_casework", False):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):  # behind login_required: never, but typed
        raise PermissionDenied
    return user


def _htmx(request: HttpRequest) -> bool:
    """An HTMX request for a partial (a history restore wants the whole page)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def _language() -> str:
    language = (get_language() or "fr")[:2]
    return language if language in ("fr", "ar", "en") else "fr"


def _take_errors(forms: Sequence[CaseForm], error: ApplicationError) -> list[str]:
    """Put a service's refusal on the forms' fields; return what no field takes (a
    business rule's message, or a field the page does not show), for the top."""
    if not isinstance(error, InvalidInput):
        return [str(error.message)]
    rest: dict[str, list[str]] = dict(error.errors)
    for form in forms:
        rest = form.add_service_errors(rest)
    return [message for messages_ in rest.values() for message in messages_]


@dataclass
class ErrorItem:
    """One line of an error summary: the message, and the field it links to."""

    message: str
    target: str = ""


def _error_summary(forms: Sequence[BaseForm], extra: Sequence[str] = ()) -> list[ErrorItem]:
    items = [ErrorItem(message) for message in extra]
    for form in forms:
        if not form.is_bound:
            continue
        errors: ErrorDict = form.errors
        for name, messages_ in errors.items():
            if name not in form.fields:
                items += [ErrorItem(str(message)) for message in messages_]
                continue
            bound = form[name]
            items += [
                ErrorItem(f"{bound.label}: {message}", bound.auto_id or "") for message in messages_
            ]
    return items


# --- Identification -------------------------------------------------------------------


@dataclass
class IdentifyPage:
    """The identification form: household, child and observation (only the observation
    when the child is already registered)."""

    user: User
    observation: ObservationForm
    household: HouseholdForm | None = None
    child_form: ChildForm | None = None
    child: Child | None = None
    errors: list[str] = field(default_factory=list)
    preview: Classification | None = None
    preview_errors: list[ErrorItem] = field(default_factory=list)
    #: Children already known who may be this one (himaya.linkage), shown before saving.
    candidates: list[Candidate] = field(default_factory=list)

    @classmethod
    def new(cls, user: User, data: Any = None, *, child: Child | None = None) -> IdentifyPage:
        observation = ObservationForm(data, initial={"observed_on": services.today()})
        if child is not None:
            return cls(user=user, observation=observation, child=child)
        return cls(
            user=user,
            observation=observation,
            household=HouseholdForm(data, user=user),
            child_form=ChildForm(data),
        )

    @property
    def forms(self) -> list[CaseForm]:
        forms: list[CaseForm] = []
        if self.household is not None:
            forms.append(self.household)
        if self.child_form is not None:
            forms.append(self.child_form)
        return [*forms, self.observation]

    def is_valid(self) -> bool:
        return all([form.is_valid() for form in self.forms])  # every form, for every error

    def shown_again(self) -> IdentifyPage:
        """The same values, without error messages (after a preview or a refresh)."""
        household = None
        if self.household is not None:
            household = resubmitted(self.household, user=self.user)
        child_form = None
        if self.child_form is not None:
            child_form = resubmitted(self.child_form)
        return IdentifyPage(
            user=self.user,
            observation=resubmitted(self.observation),
            household=household,
            child_form=child_form,
            child=self.child,
            preview=self.preview,
            preview_errors=self.preview_errors,
            candidates=self.candidates,
        )

    def facts(self) -> tuple[date | None, bool, str]:
        if self.child is not None:
            return self.child.birth_date, self.child.birth_date_estimated, self.child.sex
        if self.child_form is None:
            return None, False, ""
        return self.child_form.facts()

    def label_of(self, name: str) -> str:
        for form in self.forms:
            if name in form.fields:
                return str(form[name].label)
        return ""


def _verdict(page: IdentifyPage) -> dict[str, Any] | None:
    """The previewed verdict, in the user's language."""
    found = page.preview
    if found is None:
        return None
    return verdict_preview(found, existing_child=page.child is not None)


def verdict_preview(found: Classification, *, existing_child: bool = False) -> dict[str, Any]:
    """A verdict not saved yet, as ``cases/_verdict_preview.html`` shows it, in the
    user's language (also the preview of a child found in an inspection visit)."""
    language = _language()
    if existing_child:
        note = _("Not saved yet.")
    elif found.verdict in workflow.CHILD_LABOUR_VERDICTS:
        note = _("Not saved yet. Saving will open a case for this child.")
    else:
        note = _("Not saved yet. No case will be opened.")
    return {
        "code": found.verdict,
        "label": found.verdict_label(language),
        "explanation": found.explanation(language),
        "rules": list(zip(found.rules, found.citations, strict=False)),
        "note": note,
    }


def _render_identify(request: HttpRequest, page: IdentifyPage, status: int = 200) -> HttpResponse:
    child = page.child
    if child is None:
        action = reverse("cases:identify")
        preview_url = reverse("cases:identify_preview")
    else:
        action = reverse("cases:identify_child", args=[child.pk])
        preview_url = reverse("cases:identify_child_preview", args=[child.pk])
    context = {
        "page": page,
        "child": child,
        "action": action,
        "preview_url": preview_url,
        "error_summary": _error_summary(page.forms, page.errors),
        "verdict": _verdict(page),
    }
    return render(request, "cases/identify.html", context, status=status)


def _identified(request: HttpRequest, result: services.IdentificationResult) -> HttpResponse:
    verdict = result.observation.get_verdict_display()
    if result.case is not None:
        messages.success(
            request,
            _("The identification was saved (verdict: %(verdict)s).") % {"verdict": verdict},
        )
        return redirect("cases:detail", case_id=result.case.pk)
    return redirect("cases:identification_saved", observation_id=result.observation.pk)


def _known_children(user: User, data: Any) -> list[Candidate]:
    """The children already known who may be the one described by the form's data
    (valid or not), each shown to the user, so audited."""
    return known_children_view(user=user, record=identification_as_record(data))


#: A new child probably one of those known is saved only once the user says it is
#: another child (``different_child``).
CONFIRM_PROBABILITY = 0.5
PROBABLY_KNOWN = gettext_lazy(
    "This child may be already known (see the children below). If so, record the "
    "observation for that child; if not, tick “It is another child” and save again."
)


def _save_identification(request: HttpRequest, page: IdentifyPage, user: User) -> HttpResponse:
    if page.is_valid() and page.child is None and not request.POST.get("different_child"):
        page.candidates = _known_children(user, request.POST)
        if any(c.probability >= CONFIRM_PROBABILITY for c in page.candidates):
            again = page.shown_again()
            again.errors.append(str(PROBABLY_KNOWN))
            return _render_identify(request, again, status=400)
    if page.is_valid():
        try:
            if page.child is not None:
                result = services.identification_record(
                    actor=user,
                    existing_child=page.child,
                    observation=page.observation.to_observation(),
                )
            else:
                household, child_form = page.household, page.child_form
                if household is None or child_form is None:  # pragma: no cover
                    raise PermissionDenied
                result = services.identification_record(
                    actor=user,
                    household=household.to_household(),
                    child=child_form.to_child(),
                    observation=page.observation.to_observation(),
                )
        except ApplicationError as error:
            page.errors += _take_errors(page.forms, error)
        else:
            return _identified(request, result)
    return _render_identify(request, page, status=400)


def _preview(request: HttpRequest, page: IdentifyPage) -> HttpResponse:
    """Classify without saving: the verdict, its rules, citations and explanation."""
    observation = page.observation
    if observation.is_valid():
        birth, estimated, sex = page.facts()
        try:
            page.preview = services.observation_classify(
                data=observation.to_observation(), birth_date=birth, estimated=estimated, sex=sex
            )
        except InvalidInput as invalid:
            rest = observation.add_service_errors(invalid.errors)
            for name, messages_ in rest.items():  # the child's fields (birth date, sex)
                label = page.label_of(name)
                page.preview_errors += [
                    ErrorItem(f"{label}: {message}" if label else message) for message in messages_
                ]
    page.preview_errors = _error_summary([observation]) + page.preview_errors
    if _htmx(request):
        return render(
            request, "cases/_verdict_preview.html", {"page": page, "verdict": _verdict(page)}
        )
    return _render_identify(request, page.shown_again())


@login_required
@caseworker_required
@require_http_methods(["GET", "POST"])
def identify(request: HttpRequest) -> HttpResponse:
    """Identify a child: household, child, observation; preview the verdict; save."""
    user = _user(request)
    if request.method == "GET":
        return _render_identify(request, IdentifyPage.new(user))
    page = IdentifyPage.new(user, request.POST)
    if "refresh" in request.POST:  # the chained selects, without JavaScript
        return _render_identify(request, page.shown_again())
    return _save_identification(request, page, user)


@login_required
@caseworker_required
@require_POST
def identify_preview(request: HttpRequest) -> HttpResponse:
    return _preview(request, IdentifyPage.new(_user(request), request.POST))


@login_required
@caseworker_required
@require_POST
def identify_candidates(request: HttpRequest) -> HttpResponse:
    """The children already known who may be this one, as the form is filled in
    (HTMX); without JavaScript, saving shows them."""
    page = IdentifyPage.new(_user(request), request.POST)
    page.candidates = _known_children(page.user, request.POST)
    if _htmx(request):
        return render(request, "cases/_candidates.html", {"page": page})
    return _render_identify(request, page.shown_again())


@login_required
@require_http_methods(["GET", "POST"])
@not_found_as_404
def identify_child(request: HttpRequest, child_id: int) -> HttpResponse:
    """Identify again a child already registered: a new observation only."""
    user = _user(request)
    if request.method == "GET":
        child = services.child_view(user=user, child_id=child_id)
        return _render_identify(request, IdentifyPage.new(user, child=child))
    child = selectors.child_get_for_user(user=user, child_id=child_id)
    return _save_identification(request, IdentifyPage.new(user, request.POST, child=child), user)


@login_required
@require_POST
@not_found_as_404
def identify_child_preview(request: HttpRequest, child_id: int) -> HttpResponse:
    user = _user(request)
    child = selectors.child_get_for_user(user=user, child_id=child_id)
    return _preview(request, IdentifyPage.new(user, request.POST, child=child))


@login_required
@require_GET
@not_found_as_404
def identification_saved(request: HttpRequest, observation_id: int) -> HttpResponse:
    """After an identification that opened no case: its verdict (no personal data shown)."""
    observation = selectors.observation_get_for_user(
        user=_user(request), observation_id=observation_id
    )
    return render(request, "cases/identification_saved.html", {"observation": observation})


# --- The case list -------------------------------------------------------------------


@login_required
@caseworker_required
@require_http_methods(["GET", "POST"])
def case_list(request: HttpRequest) -> HttpResponse:
    """The cases in the user's scope: filters by GET, the name search by POST."""
    user = _user(request)
    searching = request.method == "POST"
    data = request.POST if searching else request.GET.copy()
    if not searching:
        data.pop("q", None)  # a name is never read from a URL
    form = CaseFilterForm(data, user=user)
    filters = form.filters(with_name=searching)
    paginator = Paginator(selectors.case_list_for_user(user=user, filters=filters), PAGE_SIZE)
    page = paginator.get_page(data.get("page"))
    rows = list(page.object_list)
    filter_items = form.filter_items()
    services.list_view_record(
        user=user,
        event=AuditEvent.CHILD_LIST_VIEWED,
        child_ids=[case.child_id for case in rows],
        detail={"list": "cases", "page": page.number, "filters": dict(filter_items)},
    )
    context = {
        "form": form,
        "rows": rows,
        "page": page,
        "paginator": paginator,
        "q": filters.q,
        "searching": bool(filters.q),
        "filter_items": filter_items,
        "query": urlencode(filter_items) + "&" if filter_items else "",
        "error_summary": _error_summary([form]),
    }
    if _htmx(request):
        response = render(request, "cases/_case_results.html", {**context, "oob": True})
    else:
        response = render(request, "cases/case_list.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- The case page ---------------------------------------------------------------------


STEP_DONE, STEP_CURRENT, STEP_UPCOMING = "done", "current", "upcoming"


def _steps(case: Case) -> list[dict[str, Any]]:
    current = workflow.STATES.index(case.status)
    return [
        {
            "code": code,
            "label": label,
            "state": STEP_DONE
            if index < current
            else STEP_CURRENT
            if index == current
            else STEP_UPCOMING,
        }
        for index, (code, label) in enumerate(CaseStatus.choices)
    ]


def _panels(user: User, case: Case) -> dict[str, bool]:
    """Which actions the page offers this user on this case (the services decide)."""
    caseworker = user.does_casework
    supervisor = user.role == Role.SUPERVISOR
    is_open = case.is_open
    identified = case.status == CaseStatus.IDENTIFIED
    closing = bool(case.closure_requested_reason)
    return {
        "assess": caseworker and identified,
        "approve_assessment": supervisor
        and identified
        and case.assessment_submitted
        and CaseStatus.ASSESSED in workflow.allowed_targets(case.status, user.role),
        "start_monitoring": caseworker
        and case.status == CaseStatus.IN_REMEDIATION
        and CaseStatus.MONITORING in workflow.allowed_targets(case.status, user.role),
        "consent": caseworker and is_open,
        "refer": caseworker and is_open and not identified,
        "follow_up": caseworker and is_open and not identified,
        "request_closure": caseworker and is_open and not closing,
        "approve_closure": supervisor
        and is_open
        and closing
        and CaseStatus.CLOSED in workflow.allowed_targets(case.status, user.role),
        "reject_closure": supervisor and is_open and closing,
        "assign": supervisor and is_open,
    }


def _providers(case: Case, service: str) -> list[Organisation]:
    """Providers serving the case's commune: of one service, else of every service."""
    if service in ServiceType.values:
        return list(selectors.provider_directory(service=service, commune=case.commune))
    every = reduce(
        operator.or_,
        (selectors.provider_directory(service=s, commune=case.commune) for s in ServiceType.values),
    )
    return list(every.order_by("name"))


def _panel_form(name: str, user: User, case: Case, data: Any = None) -> CaseForm:
    """The form of one action panel, blank or bound to what was sent."""
    if name == "assess":
        return AssessForm(
            data,
            prefix="assess",
            initial={"risk_level": case.risk_level, "assessment": case.assessment},
        )
    if name == "consent":
        return ConsentForm(
            data,
            prefix="consent",
            initial={
                "child_consent": case.child_consent,
                "guardian_consent": case.guardian_consent,
            },
        )
    if name == "refer":
        service = data.get("refer-service", "") if data is not None else ""
        return ReferForm(
            data,
            prefix="refer",
            providers=_providers(case, service),
            providers_url=reverse("cases:providers", args=[case.pk]),
        )
    if name == "follow_up":
        return ObservationForm(
            data, prefix="follow_up", follow_up=True, initial={"observed_on": services.today()}
        )
    if name == "request_closure":
        return _closure_form(case, data)
    if name == "reject_closure":
        return RejectClosureForm(data, prefix="reject_closure")
    if name == "assign":
        return AssignForm(
            data,
            prefix="assign",
            caseworkers=selectors.caseworkers_of(organisation_id=case.organisation_id),
            initial={"assignee": case.assigned_to_id},
        )
    return ConfirmForm(data, prefix=name)


def _closure_form(case: Case, data: Any = None, **kwargs: Any) -> ClosureForm:
    return ClosureForm(
        data,
        prefix="closure",
        organisations=selectors.casework_organisations().exclude(pk=case.organisation_id),
        communes_url=reverse("cases:transfer_communes", args=[case.pk]),
        **kwargs,
    )


#: Panels whose form is drawn only when the panel is opened (``case_panel``): their
#: selects come from the directory and their widgets cost more to render than the
#: rest of the page. The small ones (consent, approvals) are drawn with the page.
LAZY_PANELS = ("assess", "refer", "follow_up", "request_closure", "assign")


@dataclass(frozen=True)
class LazyPanel:
    name: str
    title: str
    template: str
    form: CaseForm | None = None  # given when the panel comes back with errors


def _panel_title(name: str, user: User) -> str:
    supervisor = user.role == Role.SUPERVISOR
    titles = {
        "assess": _("Record the assessment"),
        "refer": _("Refer to a service"),
        "follow_up": _("Record a follow-up visit"),
        "request_closure": _("Close the case") if supervisor else _("Request the closure"),
        "assign": _("Reassign the case"),
    }
    return str(titles[name])


def _lazy_panel(name: str, user: User, form: CaseForm | None = None) -> LazyPanel:
    return LazyPanel(name, _panel_title(name, user), f"cases/panels/{name}.html", form)


def _case_page(
    request: HttpRequest,
    user: User,
    case: Case,
    *,
    bound: tuple[str, CaseForm] | None = None,
    errors: Sequence[str] = (),
    status: int = 200,
) -> HttpResponse:
    panels = _panels(user, case)
    forms: dict[str, CaseForm] = {}
    lazy: dict[str, LazyPanel] = {}
    for name, shown in panels.items():
        if not shown or (name == "refer" and not case.consent_given):
            continue
        form = bound[1] if bound is not None and bound[0] == name else None
        if name in LAZY_PANELS:
            lazy[name] = _lazy_panel(name, user, form)
        else:
            forms[name] = form or _panel_form(name, user, case)
    observations = selectors.case_observations(case)
    latest = observations[-1] if observations else None
    latest_rules = list(zip(latest.rules, latest.citations, strict=False)) if latest else []
    context = {
        "case": case,
        "child": case.child,
        "household": case.child.household,
        "steps": _steps(case),
        "timeline": selectors.case_timeline(case),
        "observations": observations,
        "latest": latest,
        "latest_rules": latest_rules,
        "referrals": selectors.case_referrals(case),
        "panels": panels,
        "any_panel": any(panels.values()),
        "forms": forms,
        "lazy": lazy,
        "open_panel": bound[0] if bound is not None else "",
        "error_summary": _error_summary([bound[1]] if bound else [], errors),
        "transferred_to": case.transferred_to if case.transferred_to_id else None,
        "transferred_from": selectors.transfer_origin(case),
    }
    return render(request, "cases/case_detail.html", context, status=status)


@login_required
@require_GET
@not_found_as_404
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    """The case page: summary, verdict, status, timeline, observations, referrals, actions."""
    user = _user(request)
    return _case_page(request, user, services.case_view(user=user, case_id=case_id))


Action = Callable[[User, Case, Any], str]


def _act(request: HttpRequest, case_id: int, panel: str, action: Action) -> HttpResponse:
    """Run one action of the case page: back to the page with a message, or the page
    again with the form and its errors (nothing saved)."""
    user = _user(request)
    case = selectors.case_get_for_user(user=user, case_id=case_id)
    form = _panel_form(panel, user, case, request.POST)
    errors: list[str] = []
    if form.is_valid():
        try:
            message = action(user, case, form)
        except ApplicationError as error:
            errors = _take_errors([form], error)
        else:
            messages.success(request, message)
            return HttpResponseRedirect(reverse("cases:detail", args=[case.pk]))
    fresh = services.case_view(user=user, case_id=case.pk)  # the services may have changed it
    return _case_page(request, user, fresh, bound=(panel, form), errors=errors, status=400)


def _assess(user: User, case: Case, form: AssessForm) -> str:
    data = form.cleaned_data
    services.case_assess(
        actor=user, case=case, risk_level=data["risk_level"], assessment=data["assessment"]
    )
    if case.status == CaseStatus.ASSESSED:
        return _("The assessment was recorded and approved.")
    return _("The assessment was recorded; a case supervisor will approve it.")


def _approve_assessment(user: User, case: Case, form: ConfirmForm) -> str:
    services.case_approve_assessment(actor=user, case=case)
    return _("The assessment was approved.")


def _consent(user: User, case: Case, form: ConsentForm) -> str:
    data = form.cleaned_data
    services.case_record_consent(
        actor=user,
        case=case,
        child_consent=data["child_consent"],
        guardian_consent=data["guardian_consent"],
    )
    return _("The consent was recorded.")


def _refer(user: User, case: Case, form: ReferForm) -> str:
    provider = form.chosen_provider()
    services.referral_send(
        actor=user,
        case=case,
        service=form.cleaned_data["service"],
        provider=provider,
        note=form.cleaned_data["note"],
    )
    return _("The referral was sent to %(provider)s.") % {"provider": provider.display_name}


def _follow_up(user: User, case: Case, form: ObservationForm) -> str:
    observation = services.follow_up_record(
        actor=user, case=case, observation=form.to_observation()
    )
    return _("The follow-up visit was recorded (verdict: %(verdict)s).") % {
        "verdict": observation.get_verdict_display()
    }


def _start_monitoring(user: User, case: Case, form: ConfirmForm) -> str:
    services.case_start_monitoring(actor=user, case=case)
    return _("The case is now in monitoring.")


def _request_closure(user: User, case: Case, form: ClosureForm) -> str:
    data = form.cleaned_data
    services.case_request_closure(
        actor=user,
        case=case,
        reason=data["reason"],
        note=data["note"],
        transferred_to=data["transferred_to"],
        transferred_commune=data["transferred_commune"],
    )
    if case.status == CaseStatus.CLOSED:
        return _closed_message(case)
    return _("The closure was requested; a case supervisor will approve it.")


def _approve_closure(user: User, case: Case, form: ConfirmForm) -> str:
    services.case_approve_closure(actor=user, case=case)
    return _closed_message(case)


def _closed_message(case: Case) -> str:
    if case.transferred_to_id and case.closure_reason == "moved":
        return _("The case was closed and transferred to %(organisation)s.") % {
            "organisation": case.transferred_to.display_name if case.transferred_to else ""
        }
    return _("The case was closed.")


def _reject_closure(user: User, case: Case, form: RejectClosureForm) -> str:
    services.case_reject_closure(actor=user, case=case, note=form.cleaned_data["note"])
    return _("The closure was refused; the case stays open.")


def _assign(user: User, case: Case, form: AssignForm) -> str:
    assignee = form.cleaned_data["assignee"]
    services.case_assign(actor=user, case=case, assignee=assignee)
    return _("The case was assigned to %(user)s.") % {
        "user": assignee.get_full_name() or assignee.get_username()
    }


def _action_view(panel: str, action: Action) -> Callable[[HttpRequest, int], HttpResponse]:
    @login_required
    @require_POST
    @not_found_as_404
    def view(request: HttpRequest, case_id: int) -> HttpResponse:
        return _act(request, case_id, panel, action)

    view.__name__ = view.__qualname__ = f"case_{panel}"
    return view


@login_required
@require_GET
@not_found_as_404
def case_panel(request: HttpRequest, case_id: int, panel: str) -> HttpResponse:
    """One action panel's form: the case page loads it when the panel is opened
    (HTMX), or it is a page of its own without JavaScript."""
    user = _user(request)
    if panel not in LAZY_PANELS:
        raise Http404
    case = services.case_view(user=user, case_id=case_id)  # the assessment form shows case data
    if not _panels(user, case).get(panel) or (panel == "refer" and not case.consent_given):
        raise Http404
    form = _panel_form(panel, user, case)
    context = {"case": case, "panel": _lazy_panel(panel, user, form), "form": form}
    template = f"cases/panels/{panel}.html" if _htmx(request) else "cases/panel.html"
    return render(request, template, context)


case_assess = _action_view("assess", _assess)
case_approve_assessment = _action_view("approve_assessment", _approve_assessment)
case_consent = _action_view("consent", _consent)
case_refer = _action_view("refer", _refer)
case_follow_up = _action_view("follow_up", _follow_up)
case_start_monitoring = _action_view("start_monitoring", _start_monitoring)
case_request_closure = _action_view("request_closure", _request_closure)
case_approve_closure = _action_view("approve_closure", _approve_closure)
case_reject_closure = _action_view("reject_closure", _reject_closure)
case_assign = _action_view("assign", _assign)


@login_required
@require_GET
@not_found_as_404
def case_providers(request: HttpRequest, case_id: int) -> HttpResponse:
    """HTMX: the provider select, with the providers of the chosen service serving the
    case's commune (all services' providers, grouped, when none is chosen)."""
    case = selectors.case_get_for_user(user=_user(request), case_id=case_id)
    service = request.GET.get("refer-service", "")
    form = ReferForm(
        prefix="refer",
        providers=_providers(case, service),
        providers_url=reverse("cases:providers", args=[case.pk]),
    )
    return render(request, "cases/_provider_select.html", {"form": form})


@login_required
@require_GET
@not_found_as_404
def case_transfer_communes(request: HttpRequest, case_id: int) -> HttpResponse:
    """HTMX: the select of the communes the child may have moved to, those of the
    receiving organisation's territory (``closure-transferred_to``)."""
    case = selectors.case_get_for_user(user=_user(request), case_id=case_id)
    chosen = request.GET.get("closure-transferred_to", "")
    form = _closure_form(case, initial={"transferred_to": chosen})
    return render(request, "cases/_transfer_commune_select.html", {"form": form})
