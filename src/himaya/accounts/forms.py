from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from himaya.accounts import services

TOO_MANY_FAILURES = _("Too many failed attempts. Wait %(minutes)s minutes before trying again.")


class ThrottledAuthenticationForm(AuthenticationForm):
    def clean(self) -> dict[str, Any]:
        from django.conf import settings

        username = self.cleaned_data.get("username") or ""
        if username and services.login_throttled(username=username):
            services.login_failure_record(username=username, throttled=True)
            raise ValidationError(
                TOO_MANY_FAILURES,
                code="throttled",
                params={"minutes": settings.HIMAYA_LOGIN_WINDOW_MINUTES},
            )
        return super().clean()
