"""The annual report of the labour inspection (ILO C81, art. 21): a page and its
CSV and PDF downloads, for any period (by default the last calendar year).

The figures are read by ``inspection.report.annual_report`` within the user's
scope; every reading and every download is audited. A bad period is refused
(400) with a message naming the field.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from himaya.audit.events import AuditEvent
from himaya.cases.forms import DateInput
from himaya.cases.services import today
from himaya.inspection import report as annual
from himaya.inspection.views.common import inspection_staff_required, user_of

PERIOD_REVERSED = _("The end of the period is before its start.")
UNKNOWN_LANGUAGE = _("The report is drawn up in French (fr) or in Arabic (ar).")
LANGUAGE = _("Language")


class PeriodForm(forms.Form):
    """The period of the report: ``from`` and ``to`` (query parameters), both
    inclusive; a date left out is the last calendar year's."""

    def __init__(self, query: Any, *, default: tuple[date, date]) -> None:
        data = {"from": default[0].isoformat(), "to": default[1].isoformat()}
        data.update({name: query[name] for name in ("from", "to") if name in query})
        super().__init__(data)
        self.fields["from"] = forms.DateField(label=_("From"), widget=DateInput())
        self.fields["to"] = forms.DateField(label=_("To"), widget=DateInput())

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        start, end = cleaned.get("from"), cleaned.get("to")
        if start is not None and end is not None and end < start:
            self.add_error("to", PERIOD_REVERSED)
        return cleaned

    def period(self) -> tuple[date, date]:
        return self.cleaned_data["from"], self.cleaned_data["to"]

    def error_items(self) -> list[tuple[str, str]]:
        """Each error, as ("<field label>: <message>", the field's id or "")."""
        return [
            (f"{self[name].label}: {message}", self[name].auto_id or "")
            if name in self.fields
            else (str(message), "")
            for name, errors in self.errors.items()
            for message in errors
        ]

    def messages(self) -> list[str]:
        return [message for message, _target in self.error_items()]


def _period_form(request: HttpRequest) -> PeriodForm:
    return PeriodForm(request.GET, default=annual.last_calendar_year(today()))


def _refused(form: PeriodForm) -> HttpResponse:
    """A download refused: its reasons as plain text."""
    text = "\n".join(form.messages()) + "\n"
    return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")


@login_required
@inspection_staff_required
@require_GET
def annual_report(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    form = _period_form(request)
    if not form.is_valid():
        context = {"form": form, "errors": form.error_items(), "report": None}
        return render(request, "inspection/annual_report.html", context, status=400)
    start, end = form.period()
    report = annual.annual_report(user=user, start=start, end=end)
    annual.report_audit(user, AuditEvent.ANNUAL_REPORT_VIEWED, report)
    language = (get_language() or "fr")[:2]
    context = {
        "form": form,
        "errors": [],
        "report": report,
        "tables": annual.report_tables(report),
        "period": annual.period_text(report),
        "scope": annual.scope_text(report),
        "query": f"from={start.isoformat()}&to={end.isoformat()}",
        "pdf_languages": [("fr", "Français"), ("ar", "العربية")],
        "pdf_language": language if language in annual.PDF_LANGUAGES else "fr",
    }
    return render(request, "inspection/annual_report.html", context)


@login_required
@inspection_staff_required
@require_GET
def annual_report_csv(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    form = _period_form(request)
    if not form.is_valid():
        return _refused(form)
    start, end = form.period()
    report = annual.annual_report(user=user, start=start, end=end)
    content = annual.report_csv(report)
    annual.report_audit(user, AuditEvent.ANNUAL_REPORT_EXPORTED, report, format="csv")
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    name = annual.report_file_name(report, "csv")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@inspection_staff_required
@require_GET
def annual_report_pdf(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    form = _period_form(request)
    active = (get_language() or "fr")[:2]
    language = request.GET.get("language") or (active if active in annual.PDF_LANGUAGES else "fr")
    valid = form.is_valid()
    if language not in annual.PDF_LANGUAGES:
        form.add_error(None, f"{LANGUAGE}: {UNKNOWN_LANGUAGE}")
        valid = False
    if not valid:
        return _refused(form)
    start, end = form.period()
    report, content = annual.report_pdf(user=user, start=start, end=end, language=language)
    annual.report_audit(
        user, AuditEvent.ANNUAL_REPORT_EXPORTED, report, format="pdf", language=language
    )
    response = HttpResponse(content, content_type="application/pdf")
    name = annual.report_file_name(report, "pdf", language)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


urlpatterns = [
    path("annual-report/", annual_report, name="annual_report"),
    path("annual-report/csv/", annual_report_csv, name="annual_report_csv"),
    path("annual-report/pdf/", annual_report_pdf, name="annual_report_pdf"),
]
