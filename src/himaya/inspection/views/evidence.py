"""The evidence of a visit: its photos and documents, and their download.

``visit_evidence`` is a panel: HTMX fetches it into a visit's page, and
without JavaScript it is a page of its own. Its upload form is an ordinary
``multipart/form-data`` form: the page is drawn again after a refusal (400),
and the browser is sent back to the panel after an upload.

``evidence_download`` serves a file as an attachment, never cached, with a
content type the browser may not second-guess and a sandbox should it be
shown all the same. Files live outside the web root
(``services.evidence.evidence_root``) and are read only through this view.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from himaya.accounts.models import User
from himaya.cases.forms import CaseForm
from himaya.cases.services import REQUIRED
from himaya.cases.views import _error_summary, _htmx, _take_errors, not_found_as_404
from himaya.core.errors import ApplicationError
from himaya.inspection import selectors
from himaya.inspection.models import Evidence, Visit
from himaya.inspection.services import evidence as services
from himaya.inspection.views.common import inspection_staff_required, user_of

TWO_FILES = gettext_lazy("Choose a file or take a photo, not both.")


class EvidenceForm(CaseForm):
    """A file, or a photo taken there and then (phones open the camera), and
    what it shows. The services check the content."""

    file = forms.FileField(
        label=gettext_lazy("File"),
        required=False,
        allow_empty_file=True,  # the service says why an empty file is refused
        widget=forms.FileInput(attrs={"accept": services.ACCEPT}),
    )
    photo = forms.FileField(
        label=gettext_lazy("Or take a photo"),
        required=False,
        allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    description = forms.CharField(
        label=gettext_lazy("Description"),
        required=False,
        max_length=services.DESCRIPTION_MAX,
        help_text=gettext_lazy("What the file shows, e.g. the register of employees."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext_lazy(
            "A photo (JPEG, PNG, WebP, HEIC) or a PDF document, at most %(size)s."
        ) % {"size": filesizeformat(settings.HIMAYA_EVIDENCE_MAX_BYTES)}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("file") and data.get("photo"):
            self.add_error("photo", TWO_FILES)
        elif not data.get("file") and not data.get("photo"):
            self.add_error("file", REQUIRED)
        return data

    def upload(self) -> Any:
        return self.cleaned_data.get("file") or self.cleaned_data.get("photo")

    def add_service_errors(self, errors: Any) -> dict[str, list[str]]:
        """The service names the file ``file``; put its errors on the field used."""
        errors = dict(errors)
        if not self.cleaned_data.get("file") and "file" in errors:
            errors["photo"] = errors.pop("file")
        return super().add_service_errors(errors)


@dataclass
class EvidenceRow:
    evidence: Evidence
    kind: str
    added_by: str


def _kind(content_type: str) -> str:
    if content_type == "application/pdf":
        return _("PDF document")
    return _("Photo (%(format)s)") % {"format": content_type.removeprefix("image/").upper()}


def _rows(user: User, visit: Visit) -> list[EvidenceRow]:
    evidence = (
        selectors.evidence_visible_to(user)
        .filter(visit=visit)
        .select_related("uploaded_by")
        .order_by("uploaded_at", "id")
    )
    return [
        EvidenceRow(
            evidence=item,
            kind=_kind(item.content_type),
            added_by=item.uploaded_by.get_full_name() or item.uploaded_by.get_username(),
        )
        for item in evidence
    ]


@login_required
@inspection_staff_required
@require_http_methods(["GET", "POST"])
@not_found_as_404
def visit_evidence(request: HttpRequest, visit_id: int) -> HttpResponse:
    user = user_of(request)
    visit = selectors.visit_get_for_user(user=user, visit_id=visit_id)
    form = EvidenceForm()
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        form = EvidenceForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.evidence_add(
                    actor=user,
                    visit=visit,
                    upload=form.upload(),
                    description=form.cleaned_data["description"],
                )
            except ApplicationError as error:
                errors = _take_errors([form], error)
            else:
                messages.success(request, _("The file was added to the visit's evidence."))
                return HttpResponseRedirect(reverse("inspection:visit_evidence", args=[visit.pk]))
        status = 400
    context = {
        "visit": visit,
        "rows": _rows(user, visit),
        "form": form,
        "error_summary": _error_summary([form], errors),
    }
    template = (
        "inspection/_evidence_panel.html" if _htmx(request) else "inspection/_evidence_page.html"
    )
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@inspection_staff_required
@require_GET
@not_found_as_404
def evidence_download(request: HttpRequest, evidence_id: int) -> HttpResponse:
    user = user_of(request)
    evidence = selectors.evidence_get_for_user(user=user, evidence_id=evidence_id)
    handle, content_type, filename = services.evidence_open(actor=user, evidence=evidence)
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    # A streamed response: the shared decorators are typed for HttpResponse only.
    return cast(HttpResponse, response)


urlpatterns = [
    path("visits/<int:visit_id>/evidence/", visit_evidence, name="visit_evidence"),
    path("evidence/<int:evidence_id>/", evidence_download, name="evidence_download"),
]
