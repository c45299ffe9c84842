from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from himaya.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    """Search the audit log; nobody can add, change or delete an entry."""

    list_display = ["at", "actor_username", "event", "object_type", "object_id", "child_id", "ip"]
    list_filter = ["event", "object_type"]
    search_fields = ["actor_username", "object_id", "=child_id", "ip"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
