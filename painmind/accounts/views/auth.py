"""The role-based start page (signing in and out are django-allauth's: config.urls)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from painmind.accounts.http import AuthedRequest
from painmind.accounts.models import Role


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    role = request.user.role
    if role == Role.PATIENT:
        return redirect("diary:home")
    if role == Role.CLINICIAN:
        return redirect("care:panel")
    return render(request, "accounts/home_other.html")
