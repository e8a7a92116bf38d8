"""The patient's sharing page: who can see the diary and until when; grants, invitations, revoking."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from painmind.accounts.access import (
    get_consents_for_user,
    get_invites_for_user,
    get_own_patient,
    get_share_links_for_user,
)
from painmind.accounts.actions import (
    do_cancel_invite,
    do_create_invite,
    do_grant_consent,
    do_revoke_consent,
    format_invite_code,
)
from painmind.accounts.audit import Actor
from painmind.accounts.http import AuthedRequest
from painmind.accounts.models import Consent, User
from painmind.accounts.phrasing import end_of_day, until_text
from painmind.accounts.revocation import revoke_notes
from painmind.lib.errors import ActionError
from painmind.lib.forms import DayField, add_action_errors

# Post/redirect/get: the new code waits in the session for the one page that shows it, and is
# removed when read, so reloading that page shows nothing secret and creates nothing.
_NEW_CODE = "painmind.invite_code_once"


class GrantForm(forms.Form):
    clinician_email = forms.EmailField(
        label="Clinician's email", widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )


class InviteForm(forms.Form):
    how = forms.ChoiceField(
        choices=[("email", "Send an invitation by email"), ("code", "Create a code to give them")],
        initial="email",
    )
    email = forms.EmailField(required=False)
    share_until = DayField(required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("how") == "email" and not data.get("email") and "email" not in self.errors:
            self.add_error("email", "Enter the clinician's email address, or choose to create a code.")
        return data


def _grant_rows(consents: list[Consent], patient: User) -> list[dict[str, Any]]:
    return [{"consent": c, "until": until_text(c.expires_at, patient)} for c in consents]


def _sharing_page(
    request: HttpRequest,
    actor: Actor,
    *,
    form: GrantForm | None = None,
    invite_form: InviteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    patient = get_own_patient(actor)
    consents = list(get_consents_for_user(actor))
    invites = list(get_invites_for_user(actor))
    live_links = [link for link, _ in get_share_links_for_user(actor) if link.status == "active"]
    ctx = {
        "form": form or GrantForm(),
        "invite_form": invite_form or InviteForm(),
        "active": _grant_rows([c for c in consents if c.is_active], patient),
        "past": _grant_rows([c for c in consents if not c.is_active], patient),
        "pending": [
            {"invite": i, "until": until_text(i.consent_expires_at, patient)} for i in invites if i.status == "pending"
        ],
        "today": timezone.localdate(timezone=patient.tzinfo).isoformat(),
        # The page's first sentence must stay true while a share link is live (issue 16).
        "links_until": until_text(max(link.expires_at for link in live_links), patient) if live_links else "",
        "n_live_links": len(live_links),
    }
    return render(request, "accounts/sharing.html", ctx, status=status)


@login_required
def sharing(request: AuthedRequest) -> HttpResponse:
    """Who can see the diary, until when; grant by email, invite, revoke."""
    actor = Actor.from_request(request, "web")
    get_own_patient(actor)
    if request.method != "POST":
        return _sharing_page(request, actor)
    form = GrantForm(request.POST)
    if form.is_valid():
        try:
            consent, created = do_grant_consent(actor, form.cleaned_data["clinician_email"])
        except ActionError as exc:
            add_action_errors(form, exc.errors)
        else:
            name = consent.clinician.display_name or consent.clinician.email
            if created:
                messages.success(request, f"{name} can now see your diary.")
            else:
                messages.info(request, f"{name} already had access.")
            return redirect("accounts:sharing")
    return _sharing_page(request, actor, form=form, status=400)


@login_required
def revoke(request: AuthedRequest, consent_id: int) -> HttpResponse:
    """GET: what stopping will and will not change (e.g. an open alert stays with a clinician who
    was told about it); POST: stop sharing."""
    actor = Actor.from_request(request, "web")
    if request.method != "POST":
        get_own_patient(actor)
        consent = get_consents_for_user(actor).filter(pk=consent_id, revoked_at__isnull=True).first()
        if consent is None:
            raise Http404("No such consent.")
        ctx = {"consent": consent, "notes": revoke_notes(consent)}
        return render(request, "accounts/revoke_confirm.html", ctx)
    consent = do_revoke_consent(actor, consent_id)
    name = consent.clinician.display_name or consent.clinician.email
    messages.success(request, f"{name} can no longer see your diary.")
    return redirect("accounts:sharing")


@login_required
@require_POST
def invite(request: AuthedRequest) -> HttpResponse:
    """Create an invitation, then redirect to the page that shows its code once."""
    actor = Actor.from_request(request, "web")
    patient = get_own_patient(actor)
    form = InviteForm(request.POST)
    if form.is_valid():
        by_email = form.cleaned_data["how"] == "email"
        until = form.cleaned_data["share_until"]
        try:
            created, code = do_create_invite(
                actor,
                email=form.cleaned_data["email"] if by_email else "",
                consent_expires_at=end_of_day(until, patient) if until else None,
            )
        except ActionError as exc:
            add_action_errors(form, exc.errors, {"consent_expires_at": "share_until"})
        else:
            request.session[_NEW_CODE] = {"invite": created.pk, "code": format_invite_code(code)}
            return redirect("accounts:invite_created", invite_id=created.pk)
    return _sharing_page(request, actor, invite_form=form, status=400)


@login_required
def invite_created(request: AuthedRequest, invite_id: int) -> HttpResponse:
    """The new invitation: its code the first time this page is shown after creating it, never
    again (a reload says so); whether its e-mail went out (sent after the commit, lib.mail)."""
    actor = Actor.from_request(request, "web")
    patient = get_own_patient(actor)
    created = get_invites_for_user(actor).filter(pk=invite_id).first()
    if created is None:
        raise Http404("No such invitation.")
    once = request.session.get(_NEW_CODE)
    code = ""
    if isinstance(once, dict) and once.get("invite") == created.pk:
        code = str(once.get("code", ""))
        del request.session[_NEW_CODE]
    ctx = {"invite": created, "code": code, "until": until_text(created.consent_expires_at, patient)}
    return render(request, "accounts/invite_created.html", ctx)


@login_required
@require_POST
def cancel_invite(request: AuthedRequest, invite_id: int) -> HttpResponse:
    try:
        do_cancel_invite(Actor.from_request(request, "web"), invite_id)
    except ActionError as exc:
        messages.error(request, exc.sentence)
    else:
        messages.success(request, "Invitation cancelled: its code no longer works.")
    return redirect("accounts:sharing")
