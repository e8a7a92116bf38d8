"""The clinician's side of invitations: enter a patient's code, accept or decline one sent to you."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from painmind.accounts.access import get_invites_for_user
from painmind.accounts.actions import do_accept_invite, do_decline_invite
from painmind.accounts.audit import Actor
from painmind.accounts.http import AuthedRequest
from painmind.accounts.models import Consent
from painmind.lib.errors import ActionError
from painmind.lib.forms import add_action_errors


class CodeForm(forms.Form):
    code = forms.CharField(label="Invitation code", max_length=40)


@login_required
def clinician_invites(request: AuthedRequest) -> HttpResponse:
    """Enter a code a patient gave you; shows the pending invitations addressed to you too."""
    actor = Actor.from_request(request, "web")
    if not request.user.is_clinician:
        raise Http404("Only clinicians accept invitations.")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consent, created = do_accept_invite(actor, form.cleaned_data["code"])
        except ActionError as exc:
            add_action_errors(form, exc.errors)
        else:
            _accepted_message(request, consent, created)
            return redirect("care:panel")
    ctx = {
        "form": form,
        "invites": list(get_invites_for_user(actor)),
        "signup_links": settings.PAINMIND_SIGNUP_MODE == "invitation",
    }
    return render(request, "accounts/clinician_invites.html", ctx, status=400 if form.errors else 200)


def _accepted_message(request: HttpRequest, consent: Consent, created: bool) -> None:
    name = consent.patient.display_name or consent.patient.email
    if created:
        messages.success(request, f"{name} now shares their diary with you.")
    else:
        messages.info(request, f"{name} already shares their diary with you; nothing changed.")


@login_required
@require_POST
def accept_invite(request: AuthedRequest, invite_id: int) -> HttpResponse:
    try:
        consent, created = do_accept_invite(Actor.from_request(request, "web"), int(invite_id))
    except ActionError as exc:
        messages.error(request, exc.sentence)
    else:
        _accepted_message(request, consent, created)
    return redirect("care:panel")


@login_required
@require_POST
def decline_invite(request: AuthedRequest, invite_id: int) -> HttpResponse:
    try:
        do_decline_invite(Actor.from_request(request, "web"), invite_id)
    except ActionError as exc:
        messages.error(request, exc.sentence)
    else:
        messages.success(request, "Invitation declined.")
    return redirect("care:panel")
