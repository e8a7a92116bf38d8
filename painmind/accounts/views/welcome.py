"""A new patient's first steps after signing up: what PainMind is, their country and time zone,
then their reminders (the experience issue polishes these pages)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from painmind.accounts.actions import do_update_profile
from painmind.accounts.audit import Actor
from painmind.accounts.http import AuthedRequest
from painmind.accounts.views.profile import ProfileForm
from painmind.lib.errors import ActionError
from painmind.lib.forms import add_action_errors


@login_required
def welcome(request: AuthedRequest) -> HttpResponse:
    """Step 1 and 2: what PainMind is, and where you are (country: which crisis services you see;
    time zone: your diary's dates). Saving goes on to step 3, reminders."""
    user = request.user
    initial = {"display_name": user.display_name, "time_zone": user.time_zone, "country": str(user.country)}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            do_update_profile(Actor.from_request(request, "web"), **form.cleaned_data)
        except ActionError as exc:
            add_action_errors(form, exc.errors)
        else:
            return redirect("reminders:settings" if user.is_patient else "home")
    return render(request, "accounts/welcome.html", {"form": form}, status=400 if form.errors else 200)
