"""The analysts' pages of survey estimates, under /<lang>/statistics/.

Thin: reads through ``survey.selectors`` (an analyst sees their organisation's
runs; anybody else: "not found"), changes through ``survey.services``.
"""

from __future__ import annotations

import mimetypes
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from himaya.cases.views import _error_summary, _take_errors, not_found_as_404
from himaya.core.errors import ApplicationError
from himaya.core.pages import only_for, page_user, polled
from himaya.geography.maps import region_map_context
from himaya.survey import selectors, services
from himaya.survey.forms import SurveyForm
from himaya.survey.models import SurveyRun, SurveyStatus

STAGE_LABELS = {
    "estimating": gettext_lazy("Reading, classifying and estimating"),
    "writing": gettext_lazy("Writing the tables, charts and files"),
}


#: Pages for analysts; anybody else gets "not found".
analyst_required = only_for(selectors.is_analyst)


@login_required
@analyst_required
@require_http_methods(["GET", "POST"])
def survey_list(request: HttpRequest) -> HttpResponse:
    """The runs of the analyst's organisation, and the form to send a file."""
    user = page_user(request)
    form = SurveyForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            survey = services.survey_run_start(
                actor=user, source=upload, file_name=upload.name or "", data=form.to_survey()
            )
        except ApplicationError as error:
            errors = _take_errors([form], error)
        else:
            return HttpResponseRedirect(reverse("survey:detail", args=[survey.pk]))
    context = {
        "form": form,
        "error_summary": _error_summary([form], errors),
        "surveys": selectors.survey_list_for_user(user=user),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "survey/list.html", context, status=status)


def _progress_context(survey: SurveyRun) -> dict[str, Any]:
    return {"survey": survey, "stage": STAGE_LABELS.get(survey.stage, "")}


@login_required
@analyst_required
@require_GET
@never_cache
@not_found_as_404
def survey_detail(request: HttpRequest, survey_id: int) -> HttpResponse:
    """A run: its progress while it runs; then its tables, charts, map and files."""
    survey = services.survey_view(user=page_user(request), survey_id=survey_id)
    context = _progress_context(survey)
    if survey.status == SurveyStatus.DONE:
        context |= {
            "tables": selectors.survey_tables(survey),
            "charts": [name for name in survey.outputs if name.endswith(".svg")],
            "files": survey.outputs,
            "map_label": _("Child labour (SDG 8.7.1) by region, %"),
            "map_value_label": _("Child labour, %"),
            **region_map_context(selectors.region_values(survey)),
        }
    return render(request, "survey/detail.html", context)


@login_required
@analyst_required
@require_GET
@never_cache
@not_found_as_404
def survey_progress(request: HttpRequest, survey_id: int) -> HttpResponse:
    """The run's progress, fetched by HTMX while it runs; once it has ended the page
    reloads whole, to show the results."""
    survey = selectors.survey_get_for_user(user=page_user(request), survey_id=survey_id)
    response = render(request, "survey/_progress.html", _progress_context(survey))
    return polled(request, response, ended=not survey.in_progress)


@login_required
@analyst_required
@require_GET
@not_found_as_404
def survey_file(request: HttpRequest, survey_id: int, name: str) -> HttpResponse:
    """One output of a run: charts shown in the page, the rest downloaded."""
    path = services.survey_output_open(user=page_user(request), survey_id=survey_id, name=name)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    inline = name.endswith((".svg", ".png"))
    response = FileResponse(
        path.open("rb"), as_attachment=not inline, filename=name, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; style-src 'unsafe-inline'"
    return cast(HttpResponse, response)
