"""Sign-in, the role-based start page and personal settings (sharing lives in views_sharing)."""

from __future__ import annotations

import zoneinfo

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from painmind.accounts.actions import do_update_profile
from painmind.accounts.audit import Actor
from painmind.accounts.models import Role
from painmind.lib.errors import ActionError
from painmind.lib.forms import add_action_errors


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    def clean_username(self) -> str:
        return str(self.cleaned_data["username"]).strip().lower()


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@login_required
def home(request: HttpRequest) -> HttpResponse:
    role = request.user.role  # type: ignore[union-attr]
    if role == Role.PATIENT:
        return redirect("diary:home")
    if role == Role.CLINICIAN:
        return redirect("care:panel")
    return render(request, "accounts/home_other.html")


class ProfileForm(forms.Form):
    display_name = forms.CharField(label="Your name (as your care team sees it)", max_length=120, required=False)
    time_zone = forms.ChoiceField(label="Time zone", choices=[(z, z) for z in sorted(zoneinfo.available_timezones())])
    country = forms.CharField(
        label="Country (two-letter code, e.g. GB, US)",
        max_length=2,
        help_text="Decides which crisis services PainMind shows you.",
    )


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """Name, time zone (your diary's dates follow it) and country (which crisis services you see)."""
    user = request.user
    initial = {"display_name": user.display_name, "time_zone": user.time_zone, "country": user.country}  # type: ignore[union-attr]
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
