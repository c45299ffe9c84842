"""What every page of the labour inspectorate shares.

Pages are for the staff of an inspection office only; anybody else gets "not
found". Views are thin: reads through ``inspection.selectors`` (scope), changes
through ``inspection.services`` and ``inspection.imports``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec

from django.http import Http404, HttpRequest, HttpResponse

from himaya.accounts.models import User
from himaya.inspection import selectors

P = ParamSpec("P")


def inspection_staff_required(
    view: Callable[Concatenate[HttpRequest, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """Pages for inspectors and supervisors of an inspection office; others: 404."""

    @wraps(view)
    def wrapped(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        if not selectors.is_inspection_staff(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def user_of(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):  # behind inspection_staff_required: never, but typed
        raise Http404
    return user
