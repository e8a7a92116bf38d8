"""The patient's share links: make a read-only link (its address shown once), see its views, revoke it."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from painmind.accounts.access import get_own_patient, get_share_links_for_user
from painmind.accounts.actions import SHARE_LINK_MAX_DAYS, do_create_share_link, do_revoke_share_link
from painmind.accounts.audit import Actor
from painmind.accounts.http import AuthedRequest
from painmind.accounts.models import SHARE_SCOPES
from painmind.accounts.phrasing import until_text
from painmind.lib.errors import ActionError
from painmind.lib.forms import add_action_errors

# Post/redirect/get: the new link's address waits in the session for the next page, which
# removes it when shown; reloading that page shows nothing secret and creates nothing.
_NEW_LINK = "painmind.share_link_once"
SCOPE_LABELS = {"checkins": "Check-ins", "questionnaires": "Questionnaire scores", "cycle": "Pain–mood cycle"}
assert set(SCOPE_LABELS) == set(SHARE_SCOPES)


class ShareLinkForm(forms.Form):
    # Limits are checked by do_create_share_link, so the web and the API give the same errors.
    label = forms.CharField(required=False)
    scopes = forms.MultipleChoiceField(choices=list(SCOPE_LABELS.items()), required=False)
    days = forms.IntegerField(initial=7, error_messages={"invalid": "Enter a whole number of days."})


def _links_page(request: HttpRequest, actor: Actor, form: ShareLinkForm, *, status: int = 200) -> HttpResponse:
    patient = get_own_patient(actor)
    rows = get_share_links_for_user(actor)
    new = None
    once = request.session.pop(_NEW_LINK, None) if request.method == "GET" else None
    if isinstance(once, dict):
        link = next((link for link, _ in rows if link.pk == once.get("link")), None)
        if link is not None:
            new = {"link": link, "url": str(once.get("url", "")), "until": until_text(link.expires_at, patient)}
    ctx = {
        "form": form,
        "links": [
            {
                "link": link,
                "n_views": n,
                "scopes": [SCOPE_LABELS[s] for s in SHARE_SCOPES if getattr(link, s)],
                "until": until_text(link.expires_at, patient),
            }
            for link, n in rows
        ],
        "scope_labels": list(SCOPE_LABELS.items()),
        "chosen": form["scopes"].value() or [],
        "max_days": SHARE_LINK_MAX_DAYS,
        "new": new,
    }
    return render(request, "accounts/share_links.html", ctx, status=status)


@login_required
def share_links(request: AuthedRequest) -> HttpResponse:
    """Create a read-only link (post/redirect/get: its address is shown once, on the next page),
    list links with their views, revoke."""
    actor = Actor.from_request(request, "web")
    get_own_patient(actor)
    if request.method != "POST":
        return _links_page(request, actor, ShareLinkForm())
    form = ShareLinkForm(request.POST)
    if form.is_valid():
        try:
            link, token = do_create_share_link(
                actor,
                label=form.cleaned_data["label"],
                scopes=form.cleaned_data["scopes"],
                days=form.cleaned_data["days"],
            )
        except ActionError as exc:
            add_action_errors(form, exc.errors)
        else:
            url = request.build_absolute_uri(reverse("care:shared", args=[token]))
            request.session[_NEW_LINK] = {"link": link.pk, "url": url}
            return redirect("accounts:share_links")
    return _links_page(request, actor, form, status=400)


@login_required
@require_POST
def revoke_share_link(request: AuthedRequest, link_id: int) -> HttpResponse:
    link = do_revoke_share_link(Actor.from_request(request, "web"), link_id)
    messages.success(request, f'The link "{link.label}" no longer works.')
    return redirect("accounts:share_links")
