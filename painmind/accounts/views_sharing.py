"""The patient's sharing pages (grants, invitations, share links, access log) and the clinician's invitations."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from painmind.accounts import phrases
from painmind.accounts.access import (
    get_access_log_actors_for_user,
    get_access_log_for_user,
    get_consents_for_user,
    get_invites_for_user,
    get_own_patient,
    get_share_links_for_user,
)
from painmind.accounts.actions import do_grant_consent, do_revoke_consent
from painmind.accounts.actions_sharing import (
    SHARE_LINK_MAX_DAYS,
    do_accept_invite,
    do_cancel_invite,
    do_create_invite,
    do_create_share_link,
    do_decline_invite,
    do_revoke_share_link,
    format_invite_code,
)
from painmind.accounts.audit import Actor
from painmind.accounts.models import SHARE_SCOPES, AuditAction, Consent, User
from painmind.lib.errors import ActionError
from painmind.lib.forms import add_action_errors

LOG_PAGE_SIZE = 50
SCOPE_LABELS = {"checkins": "Check-ins", "questionnaires": "Questionnaire scores", "cycle": "Pain–mood cycle"}
assert set(SCOPE_LABELS) == set(SHARE_SCOPES)


def end_of_day(day: date, patient: User) -> datetime:
    """ "Share until 3 Jan" means through 3 Jan: access ends at the next midnight, the patient's time."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=patient.tzinfo)


def until_text(when: datetime | None, patient: User) -> str:
    """ "until 3 Jan 2027" for an end at local midnight (the day before is the last), else with the time."""
    if when is None:
        return ""
    local = timezone.localtime(when, patient.tzinfo)
    if local.time() == time.min:
        last = local - timedelta(days=1)
        return f"until {last.day} {last:%b %Y}"
    return f"until {local.day} {local:%b %Y %H:%M}"


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
    share_until = forms.DateField(required=False)

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
    ctx = {
        "form": form or GrantForm(),
        "invite_form": invite_form or InviteForm(),
        "active": _grant_rows([c for c in consents if c.is_active], patient),
        "past": _grant_rows([c for c in consents if not c.is_active], patient),
        "pending": [
            {"invite": i, "until": until_text(i.consent_expires_at, patient)} for i in invites if i.status == "pending"
        ],
        "today": timezone.localdate(timezone=patient.tzinfo).isoformat(),
    }
    return render(request, "accounts/sharing.html", ctx, status=status)


@login_required
def sharing(request: HttpRequest) -> HttpResponse:
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
@require_POST
def revoke(request: HttpRequest, consent_id: int) -> HttpResponse:
    consent = do_revoke_consent(Actor.from_request(request, "web"), consent_id)
    name = consent.clinician.display_name or consent.clinician.email
    messages.success(request, f"{name} can no longer see your diary.")
    return redirect("accounts:sharing")


@login_required
@require_POST
def invite(request: HttpRequest) -> HttpResponse:
    """Create an invitation; the code is shown on this response only, never again."""
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
            ctx = {
                "invite": created,
                "code": format_invite_code(code),
                "until": until_text(created.consent_expires_at, patient),
            }
            return render(request, "accounts/invite_created.html", ctx)
    return _sharing_page(request, actor, invite_form=form, status=400)


@login_required
@require_POST
def cancel_invite(request: HttpRequest, invite_id: int) -> HttpResponse:
    try:
        do_cancel_invite(Actor.from_request(request, "web"), invite_id)
    except ActionError as exc:
        messages.error(request, exc.sentence)
    else:
        messages.success(request, "Invitation cancelled: its code no longer works.")
    return redirect("accounts:sharing")


class ShareLinkForm(forms.Form):
    # Limits are checked by do_create_share_link, so the web and the API give the same errors.
    label = forms.CharField(required=False)
    scopes = forms.MultipleChoiceField(choices=list(SCOPE_LABELS.items()), required=False)
    days = forms.IntegerField(initial=7, error_messages={"invalid": "Enter a whole number of days."})


def _links_page(
    request: HttpRequest, actor: Actor, form: ShareLinkForm, *, new: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    patient = get_own_patient(actor)
    ctx = {
        "form": form,
        "links": [
            {
                "link": link,
                "n_views": n,
                "scopes": [SCOPE_LABELS[s] for s in SHARE_SCOPES if getattr(link, s)],
                "until": until_text(link.expires_at, patient),
            }
            for link, n in get_share_links_for_user(actor)
        ],
        "scope_labels": list(SCOPE_LABELS.items()),
        "chosen": form["scopes"].value() or [],
        "max_days": SHARE_LINK_MAX_DAYS,
        "new": new,
    }
    return render(request, "accounts/share_links.html", ctx, status=status)


@login_required
def share_links(request: HttpRequest) -> HttpResponse:
    """Create a read-only link (its address is shown once), list links with their views, revoke."""
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
            return _links_page(request, actor, ShareLinkForm(), new={"link": link, "url": url})
    return _links_page(request, actor, form, status=400)


@login_required
@require_POST
def revoke_share_link(request: HttpRequest, link_id: int) -> HttpResponse:
    link = do_revoke_share_link(Actor.from_request(request, "web"), link_id)
    messages.success(request, f'The link "{link.label}" no longer works.')
    return redirect("accounts:share_links")


class AccessLogFilter(forms.Form):
    who = forms.CharField(required=False)
    action = forms.ChoiceField(choices=[("", "Anything"), *AuditAction.choices], required=False)
    since = forms.DateField(required=False, label="From")
    until = forms.DateField(required=False, label="To")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "The end date is before the start date.")
        return data


@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    """Who viewed or changed the patient's data, in plain words, newest first; only for the patient."""
    actor = Actor.from_request(request, "web")
    patient = get_own_patient(actor)
    form = AccessLogFilter(request.GET or None)
    filters: dict[str, Any] = {}
    status = 200
    if form.is_bound:
        if form.is_valid():
            filters = {
                "who": form.cleaned_data["who"],
                "action": form.cleaned_data["action"],
                "since_on": form.cleaned_data["since"],
                "until_on": form.cleaned_data["until"],
            }
        else:
            status = 400
    _, events = get_access_log_for_user(actor, **filters)
    page = Paginator(events, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    ctx = {
        "patient": patient,
        "form": form,
        "page": page,
        "rows": [
            {"event": e, "who": phrases.who(e), "role": phrases.role(e), "what": phrases.describe(e)}
            for e in page.object_list
        ]
        if status == 200
        else [],
        "actors": [(e.actor_label, phrases.who(e)) for e in get_access_log_actors_for_user(actor)],
        "actions": AuditAction.choices,
        "query": query.urlencode(),
    }
    return render(request, "accounts/access_log.html", ctx, status=status)


# The clinician's side -------------------------------------------------------------------------


class CodeForm(forms.Form):
    code = forms.CharField(label="Invitation code", max_length=40)


@login_required
def clinician_invites(request: HttpRequest) -> HttpResponse:
    """Enter a code a patient gave you; shows the pending invitations addressed to you too."""
    actor = Actor.from_request(request, "web")
    if not request.user.is_clinician:  # type: ignore[union-attr]
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
    ctx = {"form": form, "invites": list(get_invites_for_user(actor))}
    return render(request, "accounts/clinician_invites.html", ctx, status=400 if form.errors else 200)


def _accepted_message(request: HttpRequest, consent: Consent, created: bool) -> None:
    name = consent.patient.display_name or consent.patient.email
    if created:
        messages.success(request, f"{name} now shares their diary with you.")
    else:
        messages.info(request, f"{name} already shares their diary with you; nothing changed.")


@login_required
@require_POST
def accept_invite(request: HttpRequest, invite_id: int) -> HttpResponse:
    try:
        consent, created = do_accept_invite(Actor.from_request(request, "web"), int(invite_id))
    except ActionError as exc:
        messages.error(request, exc.sentence)
    else:
        _accepted_message(request, consent, created)
    return redirect("care:panel")


@login_required
@require_POST
def decline_invite(request: HttpRequest, invite_id: int) -> HttpResponse:
    try:
        do_decline_invite(Actor.from_request(request, "web"), invite_id)
    except ActionError as exc:
        messages.error(request, exc.sentence)
    else:
        messages.success(request, "Invitation declined.")
    return redirect("care:panel")
