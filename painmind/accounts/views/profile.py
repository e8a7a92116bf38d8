"""A person's own settings: name, time zone and country."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django_countries import countries

from painmind.accounts.actions import do_update_profile
from painmind.accounts.audit import Actor
from painmind.accounts.http import AuthedRequest
from painmind.accounts.models import default_time_zone
from painmind.accounts.timezones import time_zone_choices
from painmind.lib.errors import ActionError
from painmind.lib.forms import add_action_errors


class ProfileForm(forms.Form):
    display_name = forms.CharField(label="Your name (as your care team sees it)", max_length=120, required=False)
    time_zone = forms.ChoiceField(
        label="Time zone",
        help_text="Your diary's days start and end at midnight in this zone.",
        widget=forms.Select(attrs={"data-time-zone": ""}),
    )
    # Names to choose from, ISO 3166 codes stored (django-countries keeps the list current).
    country = forms.ChoiceField(
        label="Country",
        choices=lambda: [(c.code, c.name) for c in countries],
        help_text="Decides which crisis services PainMind shows you.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = self.initial.get("time_zone")
        field = self.fields["time_zone"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = time_zone_choices(current)
        # Project rule (docs/settings.md): while someone still has the site's default zone and
        # is not correcting a submitted form, app.js preselects the browser's own zone (if it is
        # offered) and says so; nothing is saved until they press Save. Without JS: the plain list.
        if not self.is_bound and current == default_time_zone():
            field.widget.attrs["data-time-zone"] = "preselect"


@login_required
def profile(request: AuthedRequest) -> HttpResponse:
    """Name, time zone (your diary's dates follow it) and country (which crisis services you see)."""
    user = request.user
    initial = {"display_name": user.display_name, "time_zone": user.time_zone, "country": str(user.country)}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            do_update_profile(Actor.from_request(request, "web"), **form.cleaned_data)
        except ActionError as exc:
            add_action_errors(form, exc.errors)
        else:
            messages.success(request, "Settings saved.")
            return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form}, status=400 if form.errors else 200)
