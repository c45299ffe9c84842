"""The client address of the request being served, for audit entries.

Set by ``AuditContextMiddleware``; services read it through ``current_ip``
so that they need not be handed the request.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

_ip: ContextVar[str | None] = ContextVar("himaya_audit_ip", default=None)


def current_ip() -> str | None:
    return _ip.get()


def client_ip(request: HttpRequest) -> str | None:
    # Behind a reverse proxy, configure it to set REMOTE_ADDR (we do not trust
    # X-Forwarded-For, which any client can write).
    return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            _ip.reset(token)
