"""The single Django Ninja API of Himaya, mounted at /api/.

OpenAPI schema: /api/openapi.json; interactive docs: /api/docs.

Every endpoint needs a bearer token (``accounts.api.ApiTokenAuth``) unless it
says ``auth=None``. Errors are JSON, in the request's language (Django's
``LocaleMiddleware`` reads ``Accept-Language`` on /api/ paths, which have no
language prefix):

- ``{"detail": message, "code": code}`` for a refusal (``ApplicationError``), 404
  ``not_found`` (a record absent or outside the user's scope), 401 ``unauthorized``;
- 422 ``{"detail": first message, "code": "invalid", "errors": {field: [messages]}}``
  for bad input, whether the schema or a service rejected it.

Each app exposes one ``router`` in its own ``api.py``; add it below, in the
"App routers" section.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext, ngettext
from ninja import NinjaAPI, Schema
from ninja.errors import (
    AuthenticationError,
    HttpError,
    ValidationError,
    ValidationErrorContext,
)

from himaya.accounts.api import ApiTokenAuth
from himaya.accounts.api import router as accounts_router
from himaya.cases.api import router as cases_router
from himaya.core.errors import ApplicationError, InvalidInput, NotFound
from himaya.inspection.api import router as inspection_router


class HimayaAPI(NinjaAPI):
    def validation_error_from_error_contexts(
        self, error_contexts: list[ValidationErrorContext[Any]]
    ) -> ValidationError:
        """As Ninja's, but keeps the length of a too-long string (for its message)
        and never the value itself (it may be a child's name)."""
        errors: list[dict[str, Any]] = []
        for context in error_contexts:
            model = context.model
            flatten = getattr(model, "__ninja_flatten_map_reverse__", {})
            for error in context.pydantic_validation_error.errors(include_url=False):
                item: dict[str, Any] = {
                    "type": error["type"],
                    "loc": (model.__ninja_param_source__,)
                    + tuple(flatten.get(error["loc"], error["loc"])),
                    "msg": error["msg"],
                }
                ctx = {k: v for k, v in error.get("ctx", {}).items() if k != "error"}
                if error["type"] == "string_too_long" and isinstance(error["input"], str):
                    ctx["length"] = len(error["input"])
                if ctx:
                    item["ctx"] = ctx
                errors.append(item)
        return ValidationError(errors)


api = HimayaAPI(
    title="Himaya API",
    version="1",
    description=(
        "Information system against child labour. Authenticate with "
        "`Authorization: Bearer <token>` (POST /api/auth/token). Errors are JSON "
        "`{detail, code}` (422 adds `errors`: field → messages), in the language of "
        "`Accept-Language` (fr, ar, en)."
    ),
    urls_namespace="api",
    auth=ApiTokenAuth(),
)


# --- Errors -----------------------------------------------------------------------


def _error(request: HttpRequest, status: int, detail: Any, code: str, **extra: Any) -> HttpResponse:
    return api.create_response(
        request, {"detail": str(detail), "code": code, **extra}, status=status
    )


#: Pydantic error types → Django's own messages (translated in Django's catalogue).
_TYPE_MESSAGES = {
    "missing": "This field is required.",
    "int_parsing": "Enter a whole number.",
    "int_type": "Enter a whole number.",
    "int_from_float": "Enter a whole number.",
    "float_parsing": "Enter a number.",
    "float_type": "Enter a number.",
    "date_parsing": "Enter a valid date.",
    "date_type": "Enter a valid date.",
    "date_from_datetime_parsing": "Enter a valid date.",
    "date_from_datetime_inexact": "Enter a valid date.",
    "time_parsing": "Enter a valid time.",
    "time_type": "Enter a valid time.",
    "list_type": "Enter a list of values.",
    "enum": "Select a valid choice. That choice is not one of the available choices.",
    "literal_error": "Select a valid choice. That choice is not one of the available choices.",
}


def _message(error: dict[str, Any]) -> str:
    kind, ctx = error.get("type", ""), error.get("ctx", {})
    if kind in _TYPE_MESSAGES:
        return gettext(_TYPE_MESSAGES[kind])
    if kind in ("greater_than_equal", "greater_than"):
        limit = ctx.get("ge", ctx.get("gt"))
        return gettext("Ensure this value is greater than or equal to %(limit_value)s.") % {
            "limit_value": limit
        }
    if kind in ("less_than_equal", "less_than"):
        limit = ctx.get("le", ctx.get("lt"))
        return gettext("Ensure this value is less than or equal to %(limit_value)s.") % {
            "limit_value": limit
        }
    if kind == "string_too_long":
        limit = int(ctx.get("max_length", 0))
        return ngettext(
            "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
            "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
            limit,
        ) % {"limit_value": limit, "show_value": ctx.get("length", limit + 1)}
    if kind == "string_too_short":
        return gettext("This field is required.")
    return gettext("Enter a valid value.")


def _field(loc: tuple[Any, ...]) -> str:
    """The bad field: the last name in ``loc`` (list indexes skipped). A missing
    or malformed body as a whole is ``body``."""
    if len(loc) <= 2 and loc and loc[0] == "body":
        return "body"
    names = [part for part in loc[1:] if isinstance(part, str)]
    return names[-1] if names else "__all__"


def _errors_of(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for error in errors:
        messages = found.setdefault(_field(tuple(error.get("loc", ()))), [])
        message = _message(error)
        if message not in messages:
            messages.append(message)
    return found


@api.exception_handler(ValidationError)
def _schema_invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = _errors_of(list(exc.errors))
    first = next(iter(errors.values()), [gettext("Enter a valid value.")])[0]
    return _error(request, 422, first, "invalid", errors=errors)


@api.exception_handler(InvalidInput)
def _invalid(request: HttpRequest, exc: InvalidInput) -> HttpResponse:
    return _error(request, 422, exc.message, exc.code, errors=exc.errors)


@api.exception_handler(ApplicationError)
def _refused(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    return _error(request, exc.status, exc.message, exc.code)


@api.exception_handler(Http404)
def _http_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _refused(request, NotFound())


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(
        request,
        401,
        gettext("Authentication credentials were not provided or are not valid."),
        "unauthorized",
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = {400: "bad_request", 403: "forbidden", 405: "method_not_allowed"}
    return _error(request, exc.status_code, exc.message, code.get(exc.status_code, "error"))


# --- System -----------------------------------------------------------------------


class HealthOut(Schema):
    status: str


@api.get("/health", response=HealthOut, tags=["system"], summary="Liveness check", auth=None)
def health(request: HttpRequest) -> HealthOut:
    return HealthOut(status="ok")


# --- App routers ---------------------------------------------------------------
# One line per app, keep them sorted (cases mounts /cases/, /identifications,
# /referrals/, /providers and /dashboard itself).
api.add_router("/auth/", accounts_router)
api.add_router("/", cases_router)
api.add_router("/inspection/", inspection_router)
