"""Login throttling, login audit and API tokens."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from himaya.accounts.models import ApiToken, LoginFailure, User
from himaya.audit.context import current_ip
from himaya.audit.events import AuditEvent
from himaya.audit.services import audit_record


def _recent_failures(username: str, ip: str | None) -> int:
    since = timezone.now() - timedelta(minutes=settings.HIMAYA_LOGIN_WINDOW_MINUTES)
    match = Q(username__iexact=username)
    if ip:
        match |= Q(ip=ip)
    return LoginFailure.objects.filter(match, at__gte=since).count()


def login_throttled(*, username: str) -> bool:
    """True when too many logins failed lately for this username or address."""
    return _recent_failures(username, current_ip()) >= settings.HIMAYA_LOGIN_MAX_FAILURES


def login_failure_record(*, username: str, throttled: bool = False) -> None:
    LoginFailure.objects.create(username=username[:150], ip=current_ip())
    event = AuditEvent.LOGIN_THROTTLED if throttled else AuditEvent.LOGIN_FAILED
    audit_record(event=event, actor=None, username=username)


def login_success_record(*, user: User) -> None:
    LoginFailure.objects.filter(username__iexact=user.get_username()).delete()
    audit_record(event=AuditEvent.LOGIN, actor=user)


def logout_record(*, user: User) -> None:
    audit_record(event=AuditEvent.LOGOUT, actor=user)


@transaction.atomic
def api_token_create(*, user: User, name: str = "") -> str:
    """Create a token and return its key; only its digest is kept."""
    key = ApiToken.new_key()
    ApiToken.objects.create(user=user, name=name[:100], digest=ApiToken.digest_of(key))
    audit_record(event=AuditEvent.API_TOKEN_CREATED, actor=user, detail={"name": name[:100]})
    return key


def api_token_user(key: str) -> Any:
    """The active user owning this key, or None."""
    try:
        token = ApiToken.objects.select_related("user").get(
            digest=ApiToken.digest_of(key), user__is_active=True
        )
    except ApiToken.DoesNotExist:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
