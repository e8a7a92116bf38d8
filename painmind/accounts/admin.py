"""Account administration. No diary data is registered here: admins manage accounts, not care."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from painmind.accounts.models import ApiToken, AuditEvent, Consent, User


@admin.register(User)
class UserAdmin(admin.ModelAdmin[User]):
    list_display = ["email", "display_name", "role", "discipline", "is_active", "last_login"]
    list_filter = ["role", "discipline", "is_active"]
    search_fields = ["email", "display_name"]
    ordering = ["email"]
    # Passwords are set by their owners or `painmind createuser`, never typed in here.
    fields = [
        "email",
        "display_name",
        "role",
        "discipline",
        "time_zone",
        "country",
        "is_active",
        "last_login",
        "date_joined",
    ]
    readonly_fields = ["last_login", "date_joined"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_label", "actor_role", "action", "object_type", "patient", "via", "ip"]
    list_filter = ["action", "via", "actor_role"]
    search_fields = ["actor_label", "patient__email"]
    date_hierarchy = "at"


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ["patient", "clinician", "granted_at", "revoked_at"]
    list_filter = ["revoked_at"]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
    exclude = ["digest"]
