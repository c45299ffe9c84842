from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from himaya.accounts.models import ApiToken, Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ["name", "kind", "territory_code", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "name_ar", "territory_code"]


@admin.register(User)
class HimayaUserAdmin(UserAdmin[User]):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "organisation",
        "role",
        "territory_code",
        "is_active",
    ]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["username", "first_name", "last_name", "email", "organisation__name"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Himaya", {"fields": ("organisation", "role", "territory_code")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Tokens are created through the API or the command line; here they can be revoked."""

    list_display = ["user", "name", "created_at", "last_used_at"]
    search_fields = ["user__username", "name"]
    readonly_fields = ["user", "name", "digest", "created_at", "last_used_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
