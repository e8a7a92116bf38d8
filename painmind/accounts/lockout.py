"""django-axes: whose sign-in attempts count together, and what a locked-out sign-in sees.

Lockouts are keyed on the account *and* the client's address (settings AXES_LOCKOUT_PARAMETERS),
so wrong passwords from one place never lock the same account out from another. Behind a
reverse proxy every request arrives from the proxy's address; with PAINMIND_TRUST_X_FORWARDED_FOR
on, the client's address is the one the proxy appended to X-Forwarded-For (`client_address`).
"""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def client_address(request: HttpRequest) -> str | None:
    """The address a sign-in attempt came from, for django-axes and allauth's rate limits.

    Project rule (docs/accounts.md): behind the trusted proxy, the *last* address in
    X-Forwarded-For, the one our proxy wrote; the ones before it were sent by the client and
    could be anything, so keying lockouts on them would let one attacker try without limit.
    Without the setting, or without the header, the connection's own address.
    """
    raw = request.META.get("REMOTE_ADDR", "")
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded[-1]:
            raw = forwarded[-1]
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None


def attempted_login(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The account a sign-in attempt names, lower-cased: allauth passes `email`, the API token
    endpoint `username`, and a request django-axes checks before authenticating has `login`."""
    credentials = credentials or {}
    raw = credentials.get("email") or credentials.get("username")
    if raw is None and request is not None:
        raw = request.POST.get("login") or request.POST.get("username")
    return str(raw).strip().lower() if raw else None


def lockout_response(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    minutes = round(float(settings.AXES_COOLOFF_TIME) * 60)
    detail = f"Too many failed sign-in attempts. Try again in {minutes} minutes."
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": detail, "errors": []}, status=429)
    return render(request, "accounts/locked_out.html", {"detail": detail}, status=429)
