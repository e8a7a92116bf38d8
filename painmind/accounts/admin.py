"""Account administration. No diary data is registered here: admins manage accounts, not care.

The two pages that show patient-related data, care relationships (consents) and the audit log,
record a view for each patient they show, as every other reader's does (via "admin"); the audit
log's `detail` (which may name a medicine, a goal or a side effect) is never shown here.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from painmind.accounts.actions.signup_links import (
    SIGNUP_LINK_DAYS,
    SIGNUP_LINK_MAX_DAYS,
    SIGNUP_LINK_MAX_USES,
    do_create_signup_link,
    do_revoke_signup_link,
)
from painmind.accounts.audit import Actor, record_many
from painmind.accounts.models import ApiToken, AuditAction, AuditEvent, Consent, SignupLink, SignupLinkEvent, User
from painmind.lib import mail
from painmind.lib.errors import ActionError


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


class SignupLinkForm(forms.ModelForm[SignupLink]):
    days = forms.IntegerField(min_value=1, max_value=SIGNUP_LINK_MAX_DAYS, initial=SIGNUP_LINK_DAYS)
    uses = forms.IntegerField(min_value=1, max_value=SIGNUP_LINK_MAX_USES, initial=1)

    class Meta:
        model = SignupLink
        fields = ["role", "discipline", "email"]

    def clean_email(self) -> str:
        email = str(self.cleaned_data.get("email") or "").strip().lower()
        if email and User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this email already exists.")
        return email


@admin.register(SignupLink)
class SignupLinkAdmin(admin.ModelAdmin[SignupLink]):
    """Sign-up links: made here (the link is shown once, in the message after saving) and
    revoked with the list's action; never edited or deleted (their trail stays)."""

    form = SignupLinkForm
    list_display = [
        "token_prefix",
        "role",
        "discipline",
        "email",
        "created_by",
        "uses",
        "max_uses",
        "status",
        "expires_at",
    ]
    list_filter = ["role"]
    actions = ["revoke"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None  # the list (for the revoke action), never a stored link's form

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: SignupLink, form: Any, change: bool) -> None:
        data = form.cleaned_data
        try:
            link, token = do_create_signup_link(
                Actor.from_request(request, "admin"),
                role=data["role"],
                discipline=data.get("discipline") or "",
                email=data.get("email") or "",
                days=data["days"],
                uses=data["uses"],
            )
        except ActionError as exc:
            messages.error(request, exc.sentence)
            return
        obj.__dict__.update({k: v for k, v in link.__dict__.items() if not k.startswith("_")})
        url = mail.absolute_url("accounts:signup_link", token)
        messages.success(request, f"The sign-up link (shown only now): {url}")

    @admin.action(description="Revoke the selected sign-up links")
    def revoke(self, request: HttpRequest, queryset: QuerySet[SignupLink]) -> None:
        actor = Actor.from_request(request, "admin")
        ended = sum(do_revoke_signup_link(actor, pk)[1] for pk in queryset.values_list("pk", flat=True))
        messages.success(request, f"{ended} sign-up link(s) revoked.")


@admin.register(SignupLinkEvent)
class SignupLinkEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "link", "actor_label", "account", "via", "ip"]
    list_filter = ["kind"]
