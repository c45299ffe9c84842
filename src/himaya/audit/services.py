"""The one way to write to the audit log."""

from __future__ import annotations

from typing import Any

from django.db import models

from himaya.audit.context import current_ip
from himaya.audit.events import AuditEvent
from himaya.audit.models import AuditEntry


def audit_record(
    *,
    event: AuditEvent,
    actor: Any,
    obj: models.Model | None = None,
    child_id: int | None = None,
    detail: dict[str, Any] | None = None,
    username: str = "",
) -> AuditEntry:
    """Append one entry. ``actor`` may be an anonymous user (failed logins)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user,
        actor_username=(user.get_username() if user else username)[:150],
        ip=current_ip(),
        event=int(event),
        object_type=obj._meta.model_name or "" if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        child_id=child_id,
        detail=detail or {},
    )
