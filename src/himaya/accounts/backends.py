"""Password login, refused while the username or address is throttled."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import HttpRequest

from himaya.accounts import services


class ThrottledModelBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if username and services.login_throttled(username=username):
            services.login_failure_record(username=username, throttled=True)
            # PermissionDenied stops authentication at once (no other backend tried).
            raise PermissionDenied("throttled")
        return super().authenticate(request, username=username, password=password, **kwargs)


@receiver(user_login_failed)
def _failed(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    username = str(credentials.get("username") or "")
    if username and not services.login_throttled(username=username):
        services.login_failure_record(username=username)


@receiver(user_logged_in)
def _logged_in(sender: Any, user: Any, **kwargs: Any) -> None:
    services.login_success_record(user=user)


@receiver(user_logged_out)
def _logged_out(sender: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        services.logout_record(user=user)
