"""Pages of the register of establishments (list, detail, creation, import and its jobs)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from himaya.cases.views import _error_summary, _take_errors, not_found_as_404
from himaya.core.errors import ApplicationError
from himaya.inspection import selectors, services
from himaya.inspection.forms import EstablishmentFilterForm, EstablishmentForm, ImportForm
from himaya.inspection.models import ImportStatus
from himaya.inspection.services import import_jobs
from himaya.inspection.views.common import inspection_staff_required, user_of
from himaya.inspection.views.visits import violation_rows

PAGE_SIZE = 25
#: The establishment's page shows its latest visits and findings (the visit list has all).
HISTORY_VISITS = 10
HISTORY_VIOLATIONS = 50


@login_required
@inspection_staff_required
@require_GET
def establishment_list(request: HttpRequest) -> HttpResponse:
    form = EstablishmentFilterForm(request.GET or None)
    establishments = selectors.establishment_list_for_user(
        user=user_of(request), filters=form.filters()
    )
    page = Paginator(establishments, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "inspection/establishment_list.html", context)


@login_required
@inspection_staff_required
@require_GET
@not_found_as_404
def establishment_detail(request: HttpRequest, establishment_id: int) -> HttpResponse:
    """The establishment, its latest visits and its findings (every violation, newest first)."""
    user = user_of(request)
    establishment = selectors.establishment_get_for_user(
        user=user, establishment_id=establishment_id
    )
    visits = (
        selectors.visit_visible_to(user)
        .filter(establishment=establishment)
        .annotate(children=Count("found"))
        .order_by("-scheduled_on", "-id")[:HISTORY_VISITS]
    )
    violations = (
        selectors.violation_visible_to(user)
        .filter(establishment=establishment)
        .order_by("-found_on", "-id")[:HISTORY_VIOLATIONS]
    )
    context = {
        "establishment": establishment,
        "visits": list(visits),
        "violations": violation_rows(violations),
    }
    return render(request, "inspection/establishment_detail.html", context)


@login_required
@inspection_staff_required
@require_http_methods(["GET", "POST"])
def establishment_create(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    form = EstablishmentForm(request.POST or None, user=user)
    errors: list[str] = []
    if request.method == "POST" and "refresh" not in request.POST and form.is_valid():
        try:
            establishment = services.establishment_create(actor=user, data=form.to_input())
        except ApplicationError as error:
            errors = _take_errors([form], error)
        else:
            messages.success(request, _("The establishment was added to the register."))
            return HttpResponseRedirect(
                reverse("inspection:establishment", args=[establishment.pk])
            )
    refreshed = "refresh" in request.POST
    status = 400 if request.method == "POST" and not refreshed else 200
    context = {
        "form": form,
        "error_summary": [] if refreshed else _error_summary([form], errors),
        "refresh": True,
    }
    return render(request, "inspection/establishment_form.html", context, status=status)


@login_required
@inspection_staff_required
@require_http_methods(["GET", "POST"])
def establishment_import(request: HttpRequest) -> HttpResponse:
    """The import form. A file refused as a whole is said at once; a good one is
    imported in the background, on the job's page."""
    user = user_of(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = import_jobs.establishment_import_start(
                actor=user, source=upload, file_name=upload.name or ""
            )
        except ApplicationError as error:
            errors = _take_errors([form], error)
        else:
            url = reverse("inspection:establishment_import_job", args=[job.pk])
            return HttpResponseRedirect(url)
    context = {
        "form": form,
        "error_summary": _error_summary([form], errors),
        "jobs": selectors.establishment_import_list_for_user(user=user),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "inspection/establishment_import.html", context, status=status)


def _job_context(request: HttpRequest, import_id: int) -> dict[str, Any]:
    job = selectors.establishment_import_get_for_user(user=user_of(request), import_id=import_id)
    done = selectors.establishment_import_progress(job)
    return {
        "job": job,
        "done": done,
        "percent": done * 100 // job.rows_total if job.rows_total else 0,
        "report": job.report if job.status == ImportStatus.DONE else None,
        "stalled": selectors.establishment_import_stalled(job),
        "stalled_minutes": int(selectors.IMPORT_STALLED_AFTER.total_seconds() // 60),
    }


@login_required
@inspection_staff_required
@require_GET
@never_cache
@not_found_as_404
def establishment_import_job(request: HttpRequest, import_id: int) -> HttpResponse:
    """An import job: its progress bar (refreshed by HTMX while it runs), then its report."""
    context = _job_context(request, import_id)
    return render(request, "inspection/establishment_import_job.html", context)


@login_required
@inspection_staff_required
@require_GET
@never_cache
@not_found_as_404
def establishment_import_progress(request: HttpRequest, import_id: int) -> HttpResponse:
    """The job's progress and, once it has ended, its report: the part of the job's
    page that HTMX fetches every second while the job runs."""
    context = _job_context(request, import_id)
    return render(request, "inspection/_import_job.html", context)


urlpatterns = [
    path("establishments/", establishment_list, name="establishments"),
    path("establishments/new/", establishment_create, name="establishment_create"),
    path("establishments/import/", establishment_import, name="establishment_import"),
    path(
        "establishments/import/<int:import_id>/",
        establishment_import_job,
        name="establishment_import_job",
    ),
    path(
        "establishments/import/<int:import_id>/progress/",
        establishment_import_progress,
        name="establishment_import_progress",
    ),
    path("establishments/<int:establishment_id>/", establishment_detail, name="establishment"),
]
