"""What a locked-out sign-in sees (django-axes calls this)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def lockout_response(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    minutes = round(float(settings.AXES_COOLOFF_TIME) * 60)
    detail = f"Too many failed sign-in attempts. Try again in {minutes} minutes."
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": detail, "errors": []}, status=429)
    return render(request, "accounts/locked_out.html", {"detail": detail}, status=429)
