"""What pages of every app share: who may open them, and the user behind them."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec

from django.http import Http404, HttpRequest, HttpResponse

from himaya.accounts.models import User

P = ParamSpec("P")

View = Callable[Concatenate[HttpRequest, P], HttpResponse]


def only_for(allowed: Callable[[Any], bool]) -> Callable[[View[P]], View[P]]:
    """Pages for the users ``allowed`` accepts; anybody else gets "not found", as for a
    record outside their scope."""

    def decorator(view: View[P]) -> View[P]:
        @wraps(view)
        def wrapped(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            if not allowed(request.user):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def page_user(request: HttpRequest) -> User:
    """The user of a page behind ``login_required`` and ``only_for``."""
    user = request.user
    if not isinstance(user, User):  # never behind those decorators, but typed
        raise Http404
    return user


def polled(request: HttpRequest, response: HttpResponse, *, ended: bool) -> HttpResponse:
    """The partial a page polls (HTMX) while its background work runs: once the work
    has ended, HTMX reloads the whole page, to show what the work found."""
    if ended and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response
