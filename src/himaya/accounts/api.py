"""API authentication: bearer tokens, and the endpoint that issues them.

Every endpoint of the API needs ``Authorization: Bearer <key>`` (see
``config.api``), except ``/api/health`` and ``POST /api/auth/token``, which
trades a username and password for a new key. Sessions are not accepted on the
API, so there is no CSRF token to send.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Router, Schema, Status
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from himaya.accounts import services
from himaya.accounts.forms import TOO_MANY_FAILURES
from himaya.accounts.models import User
from himaya.core.errors import ApplicationError

router = Router(tags=["auth"])


class ApiTokenAuth(HttpBearer):
    """``Authorization: Bearer <key>``, a key made by ``POST /api/auth/token`` or
    ``himaya create-api-token``. The token's user becomes ``request.user``, so that
    selectors and services see who is asking."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = services.api_token_user(token.strip()) if token.strip() else None
        if user is None:
            return None
        request.user = user
        return user  # type: ignore[no-any-return]


def request_user(request: HttpRequest) -> User:
    """The user of a request authenticated by ``ApiTokenAuth``."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise AuthenticationError()
    return user


class TokenCreateIn(Schema):
    username: str = Field(..., min_length=1, max_length=150)
    password: str = Field(..., min_length=1, max_length=4096)
    name: str = Field(
        default="", max_length=100, description="What the token is for, e.g. 'mobile app'."
    )


class TokenOut(Schema):
    token: str = Field(..., description="The key: shown once, keep it secret.")


# --- Error documents, shared by every router (see config.api for the handlers) ---


class ErrorOut(Schema):
    detail: str = Field(..., description="What went wrong, in the request's language.")
    code: str = Field(..., description="not_found, unauthorized, forbidden, invalid, ...")


class InvalidOut(ErrorOut):
    errors: dict[str, list[str]] = Field(..., description="Each bad field and its messages.")


#: Responses every authenticated endpoint may give besides its own.
ERRORS: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: InvalidOut,
}


def _bad_credentials() -> str:
    # Django's own login message (already translated in French and Arabic).
    username = User._meta.get_field("username").verbose_name
    return gettext(
        "Please enter a correct %(username)s and password. Note that both fields may be "
        "case-sensitive."
    ) % {"username": username}


@router.post(
    "/token",
    auth=None,
    response={201: TokenOut, 401: ErrorOut, 422: InvalidOut, 429: ErrorOut},
    summary="Trade a username and password for an API token",
)
def token_create(request: HttpRequest, payload: TokenCreateIn) -> Any:
    """Returns a new bearer token for the user. Failed attempts are counted: after
    ``HIMAYA_LOGIN_MAX_FAILURES`` of them within the window, the username (and the
    address) is refused with 429 until the window has passed."""
    if services.login_throttled(username=payload.username):
        services.login_failure_record(username=payload.username, throttled=True)
        raise ApplicationError(
            TOO_MANY_FAILURES % {"minutes": settings.HIMAYA_LOGIN_WINDOW_MINUTES},
            code="throttled",
            status=429,
        )
    # The backend refuses throttled logins too (PermissionDenied, which
    # ``authenticate`` turns into None): both are a failed login here.
    user = authenticate(request, username=payload.username, password=payload.password)
    if not isinstance(user, User):
        raise ApplicationError(_bad_credentials(), code="invalid_credentials", status=401)
    services.login_success_record(user=user)
    key = services.api_token_create(user=user, name=payload.name.strip())
    return Status(201, TokenOut(token=key))
