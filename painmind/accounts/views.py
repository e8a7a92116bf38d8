"""Sign-in, the role-based start page, personal settings and the patient's sharing (consent) page."""

from __future__ import annotations

import zoneinfo

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from painmind.accounts.access import get_consents_for_user, get_own_patient
from painmind.accounts.actions import ActionError, do_grant_consent, do_revoke_consent, do_update_profile
from painmind.accounts.audit import Actor
from painmind.accounts.models import Role
from painmind.care.views_panel import panel


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
        return redirect("accounts:clinician_home")
    return render(request, "accounts/home_other.html")


@login_required
def clinician_home(request: HttpRequest) -> HttpResponse:
    return panel(request)  # the clinician panel (painmind.care.views_panel)


class GrantForm(forms.Form):
    clinician_email = forms.EmailField(
        label="Clinician's email", widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )


@login_required
def sharing(request: HttpRequest) -> HttpResponse:
    actor = Actor.from_request(request, "web")
    get_own_patient(actor)
    form = GrantForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                consent, created = do_grant_consent(actor, form.cleaned_data["clinician_email"])
            except ActionError as exc:
                for field, reasons in exc.errors.items():
                    for reason in reasons:
                        form.add_error(field if field in form.fields else None, reason)
            else:
                name = consent.clinician.display_name or consent.clinician.email
                if created:
                    messages.success(request, f"{name} can now see your diary.")
                else:
                    messages.info(request, f"{name} already had access.")
                return redirect("accounts:sharing")
        status = 400
    consents = list(get_consents_for_user(actor))
    ctx = {
        "form": form,
        "active": [c for c in consents if c.is_active],
        "past": [c for c in consents if not c.is_active],
    }
    return render(request, "accounts/sharing.html", ctx, status=status)


@login_required
@require_POST
def revoke(request: HttpRequest, consent_id: int) -> HttpResponse:
    consent = do_revoke_consent(Actor.from_request(request, "web"), consent_id)
    name = consent.clinician.display_name or consent.clinician.email
    messages.success(request, f"{name} can no longer see your diary.")
    return redirect("accounts:sharing")


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
            for field, reasons in exc.errors.items():
                for reason in reasons:
                    form.add_error(field if field in form.fields else None, reason)
        else:
            messages.success(request, "Settings saved.")
            return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form}, status=400 if form.errors else 200)
