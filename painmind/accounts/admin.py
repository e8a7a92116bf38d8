"""Account administration. No diary data is registered here: admins manage accounts, not care.

The two pages that show patient-related data, care relationships (consents) and the audit log,
record a view for each patient they show, as every other reader's does (via "admin"); the audit
log's `detail` (which may name a medicine, a goal or a side effect) is never shown here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import HttpRequest, HttpResponse

from painmind.accounts.audit import Actor, record_many
from painmind.accounts.models import ApiToken, AuditAction, AuditEvent, Consent, User


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


class AuditedReadOnlyAdmin(ReadOnlyAdmin):
    """A read-only page of rows that each belong to a patient: every list page and every row
    opened records one view per patient shown (`audit_object_type`, via "admin")."""

    audit_object_type = ""

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if response.status_code == 200 and changelist is not None:
            self._record(request, list(changelist.result_list), "admin list")
        return response

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        obj = self.get_object(request, unquote(object_id))
        if response.status_code == 200 and obj is not None:
            self._record(request, [obj], "admin page", object_id=obj.pk)
        return response

    def _record(self, request: HttpRequest, rows: list[Any], detail: str, object_id: object = "") -> None:
        # A row whose patient deleted their account names a pseudonym: nobody's data to record.
        patients = {row.patient_id: row.patient for row in rows if row.patient_id is not None}
        actor = Actor.from_request(request, "admin")
        record_many(
            actor, patients.values(), AuditAction.VIEW, self.audit_object_type, object_id=object_id, detail=detail
        )


@admin.register(AuditEvent)
class AuditEventAdmin(AuditedReadOnlyAdmin):
    audit_object_type = "access_log"
    list_display = [
        "at",
        "actor_label",
        "actor_role",
        "action",
        "object_type",
        "patient",
        "patient_pseudonym",
        "via",
        "ip",
    ]
    list_filter = ["action", "via", "actor_role"]
    search_fields = ["actor_label", "patient__email"]
    date_hierarchy = "at"
    list_select_related = ["patient"]
    # `detail` may carry clinical text (a medicine's name, a goal): not for the admin's eyes.
    exclude = ["detail"]


@admin.register(Consent)
class ConsentAdmin(AuditedReadOnlyAdmin):
    audit_object_type = "consent"
    list_display = ["patient", "clinician", "granted_at", "revoked_at"]
    list_filter = ["revoked_at"]
    list_select_related = ["patient", "clinician"]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "expires_at", "revoked_at"]
    exclude = ["digest"]
