"""The first-sign-in walk-through, by role, shown once per account (then reachable from Settings).

A patient: what PainMind is; country (which crisis services they see) and time zone (their
diary's dates); then their first check-in, reminders and sharing. A clinician: the second step at
sign-in and their panel. Every step can be skipped. Each sign-in leads here until the page has
been shown (`User.welcomed_at`, set by `do_mark_welcomed`; signin.adapter.get_login_redirect_url).
A patient who signed up through a clinician's sign-up link is offered (never made) to share with
that clinician on both patient pages (`actions.signup_offer`).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from painmind.accounts.actions import (
    do_mark_welcomed,
    do_share_with_inviting_clinician,
    do_update_profile,
    inviting_clinician,
)
from painmind.accounts.audit import Actor
from painmind.accounts.http import AuthedRequest
from painmind.accounts.signin.mfa import has_second_factor, mfa_required
from painmind.accounts.views.profile import ProfileForm
from painmind.lib.errors import ActionError
from painmind.lib.forms import add_action_errors


@login_required
def welcome(request: AuthedRequest) -> HttpResponse:
    """Patients, steps 1 and 2: what PainMind is, and where you are; saving goes on to the next
    steps. Everyone else: one page for their role."""
    user = request.user
    actor = Actor.from_request(request, "web")
    if user.welcomed_at is None:
        do_mark_welcomed(actor)
    if not user.is_patient:
        staff = {"has_second_factor": has_second_factor(user), "mfa_required": mfa_required(user)}
        return render(request, "accounts/welcome_staff.html", staff)
    initial = {"display_name": user.display_name, "time_zone": user.time_zone, "country": str(user.country)}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            do_update_profile(actor, **form.cleaned_data)
        except ActionError as exc:
            add_action_errors(form, exc.errors)
        else:
            return redirect("accounts:welcome_next")
    context = {"form": form, "inviter": inviting_clinician(user)}
    return render(request, "accounts/welcome.html", context, status=400 if form.errors else 200)


@login_required
def welcome_next(request: AuthedRequest) -> HttpResponse:
    """Patients, step 3: a first check-in, reminders, and who sees the diary."""
    if not request.user.is_patient:
        return redirect("home")
    return render(request, "accounts/welcome_next.html", {"inviter": inviting_clinician(request.user)})


@login_required
@require_POST
def share_with_inviter(request: AuthedRequest) -> HttpResponse:
    """The patient accepts the offer to share with the clinician who invited them."""
    try:
        consent, _ = do_share_with_inviting_clinician(Actor.from_request(request, "web"))
    except ActionError as exc:
        messages.error(request, exc.sentence)
    else:
        name = consent.clinician.display_name or consent.clinician.email
        messages.success(request, f"{name} can now see your diary. You can stop this at any time on Sharing.")
    return redirect("accounts:welcome_next")
