"""The risk ranking and the monthly plan of visits, for the staff of an inspection office.

- ``risk``: the establishments of the register in the user's scope ranked by
  risk score, each with its score explained factor by factor (a ``<details>``
  element, no JavaScript), and the communes of the user's territory ranked by
  their own score; filters by sector and commune.
- ``plan`` (``?month=YYYY-MM``, next month by default): the office's plan of
  the month as ``risk.plan_month`` proposes it (``inspection.planning``), the
  capacity of each inspector, changes by hand (add, remove, move) and "save the
  plan". The whole page is one form: the capacities are its fields and the
  changes made so far travel in hidden fields, so nothing is kept on the server
  between two changes; a change refused is shown and left out (400).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.formats import date_format, number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from himaya.cases.models import SECTOR_CHOICES
from himaya.cases.services import today
from himaya.cases.views import ErrorItem, _error_summary
from himaya.core.errors import ApplicationError
from himaya.inspection import planning, risk
from himaya.inspection.plan_forms import (
    MONTH_INVALID,
    CapacityForm,
    ChangeForm,
    MonthForm,
    RiskFilterForm,
    adjustment_token,
    inspector_label,
    parse_adjustments,
)
from himaya.inspection.views.common import inspection_staff_required, user_of

PAGE_SIZE = 25
#: Establishments not selected shown on the plan page (by priority), to add by hand.
NOT_SELECTED_SHOWN = 50

SECTOR_LABELS: dict[str, Any] = dict(SECTOR_CHOICES)

FACTOR_LABELS: dict[str, Promise] = {
    "sector": gettext_lazy("Sector"),
    "past_findings": gettext_lazy("Children found in past visits"),
    "repeat_offences": gettext_lazy("Repeat offences"),
    "time_since_visit": gettext_lazy("Time since the last visit"),
    "informality": gettext_lazy("Informal workplace (no ICE number)"),
    "child_population": gettext_lazy("Children aged 5–17 in the commune"),
    "schooling_gap": gettext_lazy("Schooling rate of children aged 6–11"),
    "establishment_mean": gettext_lazy("Mean score of its establishments"),
    "establishment_max": gettext_lazy("Highest score of its establishments"),
}

REASON_LABELS: dict[str, Promise] = {
    risk.REASON_RISK_SCORE: gettext_lazy("Risk score"),
    risk.REASON_BY_HAND: gettext_lazy("Added by hand"),
    risk.UNPLANNED_NO_CAPACITY: gettext_lazy("No inspector of its territory has room left"),
    risk.UNPLANNED_PINNED_INSPECTOR_FULL: gettext_lazy("Its inspector has no room left"),
    risk.UNPLANNED_PINNED_INSPECTOR_UNKNOWN: gettext_lazy("Its inspector is not in this plan"),
    risk.UNPLANNED_REMOVED_BY_HAND: gettext_lazy("Removed by hand"),
}


def _number(value: float, digits: int = 1) -> str:
    return number_format(value, digits, use_l10n=True)


# --- Explanations ----------------------------------------------------------------------


@dataclass(frozen=True)
class FactorLine:
    label: str
    value: str
    points: str
    weight: str


def _raw_value(factor: str, raw: float | int | str | bool | None) -> str:
    """The value a factor came from, for people."""
    if factor == "sector":
        return str(SECTOR_LABELS.get(str(raw), raw))
    if factor == "time_since_visit":
        if raw is None:
            return _("Never visited")
        return _("%(months)s months") % {"months": _number(float(raw))}
    if factor == "informality":
        return _("Yes") if raw else _("No")
    if factor == "child_population":
        if raw is None:
            return _("Unknown")
        return number_format(round(float(raw)), 0, use_l10n=True, force_grouping=True)
    if factor == "schooling_gap":
        if raw is None:
            return _("Unknown: the national median is used")
        return f"{_number(float(raw))} %"
    if factor in ("establishment_mean", "establishment_max"):
        return _("No establishment") if raw is None else _number(float(raw))
    return "—" if raw is None else str(raw)


def explanation(scores: risk.RiskScores, position: int) -> list[FactorLine]:
    """The score at ``position`` factor by factor, most points first."""
    return [
        FactorLine(
            label=str(FACTOR_LABELS.get(line.factor, line.factor)),
            value=_raw_value(line.factor, line.raw),
            points=_number(line.points),
            weight=_number(line.weight, 0),
        )
        for line in risk.explain(scores, position)
    ]


# --- The risk ranking ------------------------------------------------------------------


@dataclass(frozen=True)
class EstablishmentRow:
    rank: int
    id: int
    name: str
    sector: str
    commune: str
    informal: bool
    score: str
    factors: list[FactorLine]


@dataclass(frozen=True)
class CommuneRow:
    rank: int
    code: str
    name: str
    establishments: int
    score: str
    factors: list[FactorLine]


def _commune_choices(communes: planning.CommuneTable, territory: str) -> list[tuple[str, str]]:
    positions = np.flatnonzero(communes.within(territory)).tolist()
    return sorted(
        ((str(communes.codes[p]), communes.name(p)) for p in positions), key=lambda c: c[1]
    )


@login_required
@inspection_staff_required
@require_GET
def risk_ranking(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    communes = planning.commune_table()
    form = RiskFilterForm(request.GET, communes=_commune_choices(communes, user.territory_code))
    filters = form.filters()
    register = planning.register_scores(user, on=today(), filters=filters, communes=communes)
    view = "communes" if request.GET.get("view") == "communes" else "establishments"
    query = request.GET.copy()
    query.pop("page", None)
    context: dict[str, Any] = {
        "form": form,
        "view": view,
        "query": query.urlencode(),
        "filters": filters,
        "count": len(register),
    }
    if view == "establishments":
        page = Paginator(register.ranked().tolist(), PAGE_SIZE).get_page(request.GET.get("page"))
        context["rows"] = [
            EstablishmentRow(
                rank=page.start_index() + k,
                id=int(register.inputs.ids[p]),
                name=register.names[p],
                sector=str(SECTOR_LABELS.get(str(register.inputs.sectors[p]), "")),
                commune=communes.name(register.commune_of(p)),
                informal=bool(register.inputs.informal[p]),
                score=_number(float(register.scores.score[p])),
                factors=explanation(register.scores, p),
            )
            for k, p in enumerate(page.object_list)
        ]
    else:
        scores = planning.commune_scores(register)
        shown = communes.within(user.territory_code)
        if filters.commune:
            shown &= communes.codes == filters.commune
        positions = np.flatnonzero(shown)
        order = positions[np.lexsort((communes.codes[positions], -scores.score[positions]))]
        counts = np.bincount(register.inputs.commune, minlength=len(communes))
        page = Paginator(order.tolist(), PAGE_SIZE).get_page(request.GET.get("page"))
        context["rows"] = [
            CommuneRow(
                rank=page.start_index() + k,
                code=str(communes.codes[p]),
                name=communes.name(p),
                establishments=int(counts[p]),
                score=_number(float(scores.score[p])),
                factors=explanation(scores, p),
            )
            for k, p in enumerate(page.object_list)
        ]
    context["page"] = page
    return render(request, "inspection/risk.html", context)


@login_required
@inspection_staff_required
@require_GET
def risk_establishment(request: HttpRequest, establishment_id: int) -> HttpResponse:
    """One establishment's score explained: a page of its own, or (HTMX) its table."""
    user = user_of(request)
    register = planning.register_scores(
        user, on=today(), filters=planning.RegisterFilters(establishment=establishment_id)
    )
    if not len(register):
        raise Http404
    context = {
        "establishment_id": establishment_id,
        "name": register.names[0],
        "commune": register.communes.name(register.commune_of(0)),
        "sector": str(SECTOR_LABELS.get(str(register.inputs.sectors[0]), "")),
        "score": _number(float(register.scores.score[0])),
        "factors": explanation(register.scores, 0),
    }
    template = (
        "inspection/risk_factors.html"
        if request.headers.get("HX-Request")
        else "inspection/risk_establishment.html"
    )
    return render(request, template, context)


# --- The plan ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanRow:
    establishment: int
    name: str
    sector: str
    commune: str
    score: str
    why: str
    day: date | None = None
    diary: planning.DiaryVisit | None = None
    by_hand: bool = False


@dataclass(frozen=True)
class InspectorSection:
    id: int
    name: str
    capacity: int
    load: int
    rows: list[PlanRow]


@dataclass(frozen=True)
class PlanPage:
    sections: list[InspectorSection]
    unplanned: list[PlanRow]
    not_selected: list[PlanRow]
    not_selected_count: int
    new_visits: int
    choices: list[tuple[str, list[tuple[int, str]]]]


def _day(value: date) -> str:
    return date_format(value, "DATE_FORMAT")


def _why(office: planning.OfficePlan, visit: risk.PlannedVisit) -> str:
    diary = office.diary.get(visit.establishment)
    if diary is not None:
        if diary.kind == "follow_up":
            return _("Follow-up visit due on %(day)s") % {"day": _day(diary.scheduled_on)}
        return _("Already in the diary for %(day)s") % {"day": _day(diary.scheduled_on)}
    if visit.by_hand and visit.reason != risk.REASON_BY_HAND:
        return _("Moved by hand")
    return str(REASON_LABELS.get(visit.reason, visit.reason))


def _plan_page(office: planning.OfficePlan) -> PlanPage:
    register = office.register
    communes = register.communes
    plan = office.plan

    def row(establishment: int, score: float, why: str, **extra: Any) -> PlanRow:
        p = register.positions[establishment]
        return PlanRow(
            establishment=establishment,
            name=register.names[p],
            sector=str(SECTOR_LABELS.get(str(register.inputs.sectors[p]), "")),
            commune=communes.name(register.commune_of(p)),
            score=_number(score),
            why=why,
            **extra,
        )

    now = today()
    days = planning.working_days(max(office.month_start, now), office.month_end)
    new = [v.establishment for v in office.new_visits()]
    dates = planning.visit_dates(plan, new, days) if days else {}
    load = plan.load()
    sections = [
        InspectorSection(
            id=inspector.pk,
            name=inspector_label(inspector),
            capacity=office.capacities[inspector.pk],
            load=load[inspector.pk],
            rows=[
                row(
                    v.establishment,
                    v.score,
                    _why(office, v),
                    day=dates.get(v.establishment),
                    diary=office.diary.get(v.establishment),
                    by_hand=v.by_hand,
                )
                for v in visits
            ],
        )
        for inspector, visits in zip(office.inspectors, plan.by_inspector().values(), strict=True)
    ]
    unplanned = [
        row(
            u.establishment,
            u.score,
            str(REASON_LABELS.get(u.reason, u.reason)),
            diary=office.diary.get(u.establishment),
        )
        for u in plan.unplanned
    ]
    scores = register.scores.score
    not_selected = [
        row(e, float(scores[register.positions[e]]), "")
        for e in plan.not_selected[:NOT_SELECTED_SHOWN]
    ]
    choices = [
        (
            _("In the plan"),
            [
                (r.establishment, f"{r.name} — {section.name}")
                for section in sections
                for r in section.rows
                if r.diary is None
            ],
        ),
        (_("Left out"), [(r.establishment, r.name) for r in unplanned if r.diary is None]),
        (_("Not selected"), [(r.establishment, r.name) for r in not_selected]),
    ]
    return PlanPage(
        sections=sections,
        unplanned=unplanned,
        not_selected=not_selected,
        not_selected_count=len(plan.not_selected),
        new_visits=len(new),
        choices=choices,
    )


def _plan_url(month: date) -> str:
    return f"{reverse('inspection:plan')}?month={month:%Y-%m}"


def _month_refused(request: HttpRequest, form: MonthForm) -> HttpResponse:
    context = {
        "month_form": form,
        "error_summary": [ErrorItem(f"{_('Month')}: {MONTH_INVALID}", "id_month")],
        "office": None,
    }
    return render(request, "inspection/plan.html", context, status=400)


def _action(request: HttpRequest) -> str:
    for name in ("save", "add", "move", "remove"):
        if name in request.POST:
            return name
    return "update"


@login_required
@inspection_staff_required
@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    default = f"{planning.next_month(today()):%Y-%m}"
    month_form = MonthForm({"month": request.GET.get("month", default)})
    if not month_form.is_valid():
        return _month_refused(request, month_form)
    month: date = month_form.cleaned_data["month"]
    posted = request.method == "POST"
    action = _action(request) if posted else ""
    inspectors = planning.plan_inspectors(user)
    capacity_form = CapacityForm(request.POST if posted else None, inspectors=inspectors)
    office = planning.propose(
        user=user, month=month, capacities=capacity_form.capacities(), inspectors=inspectors
    )
    carried = parse_adjustments(request.POST.getlist("adjustment")) if posted else []
    office = planning.adjust(office, carried)
    # A change carried by the page whose establishment has been put in the diary
    # since (the plan was saved) is no longer needed: it is dropped without a word.
    warnings = [r.message for r in office.refusals if r.code != planning.IN_DIARY]
    page = _plan_page(office)

    errors: list[str] = []
    change_form: ChangeForm | None = None
    change: risk.Adjustment | None = None
    if action == "remove":
        value = request.POST.get("remove", "")
        if value.isdigit():
            change = risk.Adjustment.remove(int(value))
    elif action in ("add", "move"):
        change_form = ChangeForm(
            request.POST, establishments=page.choices, inspectors=office.inspectors
        )
        if change_form.is_valid():
            change = change_form.adjustment(action)
    if change is not None:
        before = len(office.refusals)
        office = planning.adjust(office, [change])
        errors += [r.message for r in office.refusals[before:]]
        if not errors:
            page = _plan_page(office)
            change_form = None
    failed = bool(errors) or (posted and not capacity_form.is_valid())
    failed |= change_form is not None and not change_form.is_valid()

    if action == "save" and warnings:
        # The plan shown is not the one the user saw: let them look before saving.
        errors.append(_("The plan changed: check it, then save it again."))
        failed = True
    elif action == "save" and not failed:
        try:
            saved = planning.plan_save(actor=user, month=month, plan=office.plan)
        except ApplicationError as error:
            errors.append(str(error.message))
            failed = True
        else:
            messages.success(request, _saved_message(saved))
            return HttpResponseRedirect(_plan_url(month))

    bound = [f for f in (capacity_form, change_form) if f is not None and f.is_bound]
    context = {
        "month_form": month_form,
        "month": month,
        "previous_month": _plan_url(_previous_month(month)),
        "next_month": _plan_url(planning.next_month(month)),
        "plan_url": _plan_url(month),
        "office": office,
        "page": page,
        "capacity_form": capacity_form,
        "change_form": change_form
        or ChangeForm(establishments=page.choices, inspectors=office.inspectors),
        "tokens": [adjustment_token(a) for a in office.adjustments],
        "warnings": warnings,
        "error_summary": _error_summary(bound, errors),
        "month_over": office.month_end < today(),
    }
    return render(request, "inspection/plan.html", context, status=400 if failed else 200)


def _saved_message(saved: planning.SavedPlan) -> str:
    created, skipped = len(saved.visits), len(saved.skipped)
    text = ngettext(
        "%(count)s visit was put in the diary.",
        "%(count)s visits were put in the diary.",
        created,
    ) % {"count": created}
    if skipped:
        text += " " + ngettext(
            "%(count)s visit already in the diary was kept as it is.",
            "%(count)s visits already in the diary were kept as they are.",
            skipped,
        ) % {"count": skipped}
    return text


def _previous_month(month: date) -> date:
    return (month.replace(day=1) - timedelta(days=1)).replace(day=1)


urlpatterns = [
    path("risk/", risk_ranking, name="risk"),
    path("risk/<int:establishment_id>/", risk_establishment, name="risk_establishment"),
    path("plan/", plan, name="plan"),
]
