"""A clinician's sign-up links (PAINMIND_SIGNUP_MODE=invitation only): make a link that lets one
new patient make an account (shown once, optionally e-mailed), see your links, revoke one.

Post/redirect/get: the POST makes the link and redirects; the link waits in the session for the
next GET, which shows it once and forgets it, so a reload neither mints another nor shows it
again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from painmind.accounts.actions import do_create_signup_link, do_revoke_signup_link, signup_links_made_by
from painmind.accounts.actions.signup_links import SIGNUP_LINK_DAYS, is_inviting_clinician
from painmind.accounts.audit import Actor
from painmind.accounts.http import AuthedRequest
from painmind.lib.errors import ActionError
from painmind.lib.forms import add_action_errors

# The session key that carries a just-made link from the POST to the one GET that shows it.
NEW_LINK_KEY = "painmind_new_signup_link"

STATUS_WORDS = {"live": "not used yet", "used": "used", "expired": "expired", "revoked": "revoked"}


class PatientLinkForm(forms.Form):
    email = forms.EmailField(
        label="Patient's e-mail address",
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    send = forms.BooleanField(label="Also send the link to this address by e-mail", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("send") and not data.get("email") and "email" not in self.errors:
            self.add_error("email", "Enter the address to send the link to, or untick sending it by e-mail.")
        return data


def _clinician_actor(request: AuthedRequest) -> Actor:
    """The acting clinician; 404 for anyone else, and in any sign-up mode but invitation."""
    actor = Actor.from_request(request, "web")
    if settings.PAINMIND_SIGNUP_MODE != "invitation" or not is_inviting_clinician(actor):
        raise Http404("No such page.")
    return actor


def _page(request: HttpRequest, actor: Actor, form: PatientLinkForm, *, status: int = 200) -> HttpResponse:
    ctx = {
        "form": form,
        "new": request.session.pop(NEW_LINK_KEY, None) if request.method == "GET" else None,
        "links": [{"link": link, "status": STATUS_WORDS[link.status]} for link in signup_links_made_by(actor)],
        "days": SIGNUP_LINK_DAYS,
    }
    return render(request, "accounts/clinician_signup_links.html", ctx, status=status)


@never_cache
@login_required
def clinician_signup_links(request: AuthedRequest) -> HttpResponse:
    actor = _clinician_actor(request)
    if request.method != "POST":
        return _page(request, actor, PatientLinkForm())
    form = PatientLinkForm(request.POST)
    if form.is_valid():
        try:
            link, token = do_create_signup_link(
                actor, role="patient", email=form.cleaned_data["email"], send_mail=form.cleaned_data["send"]
            )
        except ActionError as exc:
            add_action_errors(form, exc.errors, {"signup_link": "__all__"})
        else:
            url = request.build_absolute_uri(reverse("accounts:signup_link", args=[token]))
            request.session[NEW_LINK_KEY] = {
                "id": link.pk,
                "url": url,
                "email": link.email,
                "emailed": bool(link.emailed_at),
            }
            return redirect("accounts:clinician_signup_links")
    return _page(request, actor, form, status=400)


@login_required
@require_POST
def revoke_clinician_signup_link(request: AuthedRequest, link_id: int) -> HttpResponse:
    link, changed = do_revoke_signup_link(_clinician_actor(request), link_id)
    if changed:
        messages.success(request, f"The sign-up link {link.token_prefix}… no longer works.")
    else:
        messages.info(request, f"The sign-up link {link.token_prefix}… was already revoked.")
    return redirect("accounts:clinician_signup_links")
