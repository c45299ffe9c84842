"""The case supervisor's pages of probable duplicates, under /<lang>/linkage/.

Thin: reads through ``linkage.selectors`` (scope: a pair shows only when both
children are in the supervisor's organisation and territory; anything else is "not
found"), changes through ``linkage.services``. Record ids only in URLs, never names.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from himaya.accounts.models import User
from himaya.cases.views import not_found_as_404
from himaya.core.errors import ApplicationError, InvalidInput
from himaya.core.pages import only_for, page_user, polled
from himaya.linkage import selectors, services
from himaya.linkage.models import DuplicateCandidate, LinkageRun
from himaya.linkage.templatetags.linkage_display import explanation_rows

#: Pairs shown on the queue page (the most probable first).
QUEUE_SIZE = 50

STAGE_LABELS = {
    "reading": gettext_lazy("Reading the children's records"),
    "linking": gettext_lazy("Training the model and comparing the records"),
    "saving": gettext_lazy("Saving the probable duplicates"),
}


#: Pages for case supervisors; anybody else gets "not found".
reviewer_required = only_for(selectors.is_reviewer)


def _run_context(run: LinkageRun | None) -> dict[str, Any]:
    return {"run": run, "stage": STAGE_LABELS.get(run.stage, "") if run else ""}


@login_required
@reviewer_required
@require_GET
@never_cache
def queue(request: HttpRequest) -> HttpResponse:
    """The open pairs in scope, the latest run and its progress, the recent merges."""
    user = page_user(request)
    context = {
        "pairs": services.review_queue_view(user=user, limit=QUEUE_SIZE),
        "total": selectors.review_queue(user=user).count(),
        "merges": selectors.recent_merges(user=user),
        **_run_context(selectors.latest_run()),
    }
    return render(request, "linkage/queue.html", context)


@login_required
@reviewer_required
@require_POST
def run_start(request: HttpRequest) -> HttpResponse:
    try:
        services.linkage_run_request(actor=page_user(request))
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The linkage run has started."))
    return redirect("linkage:queue")


@login_required
@reviewer_required
@require_GET
@never_cache
@not_found_as_404
def run(request: HttpRequest, run_id: int) -> HttpResponse:
    """A run's progress: the part of the queue page HTMX fetches while it runs. Once
    it has ended, HTMX reloads the whole page, to list the pairs it found."""
    found = selectors.run_get(run_id=run_id)
    response = render(request, "linkage/_run.html", _run_context(found))
    return polled(request, response, ended=not found.in_progress)


@login_required
@reviewer_required
@require_GET
@never_cache
@not_found_as_404
def candidate(request: HttpRequest, candidate_id: int) -> HttpResponse:
    """Two children side by side, with the model's explanation; merge or dismiss."""
    user = page_user(request)
    pair = services.candidate_view(user=user, candidate_id=candidate_id)
    context = {
        "pair": pair,
        "children": [pair.child_a, pair.child_b],
        "rows": explanation_rows(pair.explanation),
    }
    return render(request, "linkage/candidate.html", context)


def _refused(request: HttpRequest, error: ApplicationError) -> None:
    """A service's refusal, each message at the top of the next page."""
    if isinstance(error, InvalidInput):
        for messages_ in error.errors.values():
            for message in messages_:
                messages.error(request, str(message))
    else:
        messages.error(request, str(error.message))


def _review(
    request: HttpRequest, candidate_id: int, action: Callable[[User, DuplicateCandidate], object]
) -> HttpResponse | None:
    """Do ``action`` on a pair in scope: None when done, else back to the pair."""
    user = page_user(request)
    pair = selectors.candidate_get_for_user(user=user, candidate_id=candidate_id)
    try:
        action(user, pair)
    except ApplicationError as error:
        _refused(request, error)
        return redirect("linkage:candidate", candidate_id=pair.pk)
    return None


@login_required
@reviewer_required
@require_POST
@not_found_as_404
def candidate_merge(request: HttpRequest, candidate_id: int) -> HttpResponse:
    try:
        survivor = int(request.POST.get("survivor", ""))
    except ValueError:
        survivor = 0

    def merge(user: User, pair: DuplicateCandidate) -> object:
        return services.children_merge(actor=user, candidate=pair, survivor_id=survivor)

    refused = _review(request, candidate_id, merge)
    if refused is not None:
        return refused
    messages.success(
        request,
        _("The two records are now one child: its cases, referrals and visits are together."),
    )
    return redirect("linkage:queue")


@login_required
@reviewer_required
@require_POST
@not_found_as_404
def candidate_dismiss(request: HttpRequest, candidate_id: int) -> HttpResponse:
    def dismiss(user: User, pair: DuplicateCandidate) -> object:
        return services.candidate_dismiss(actor=user, candidate=pair)

    refused = _review(request, candidate_id, dismiss)
    if refused is not None:
        return refused
    messages.success(request, _("Recorded: two different children."))
    return redirect("linkage:queue")


@login_required
@reviewer_required
@require_POST
@not_found_as_404
def merge_undo(request: HttpRequest, merge_id: int) -> HttpResponse:
    user = page_user(request)
    merge = selectors.merge_get_for_user(user=user, merge_id=merge_id)
    try:
        services.children_unmerge(actor=user, merge=merge)
    except ApplicationError as error:
        _refused(request, error)
    else:
        messages.success(
            request, _("The merge was undone: two children again, each with their records.")
        )
    return redirect("linkage:queue")
