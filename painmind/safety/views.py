"""The clinician's alert list, acknowledging an alert, and the help page (open to everyone)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_countries import countries

from painmind.accounts.audit import Actor
from painmind.accounts.http import AuthedRequest
from painmind.lib.errors import ActionError
from painmind.safety.access import get_alerts_for_user
from painmind.safety.actions import do_acknowledge_alert
from painmind.safety.crisis import crisis_help


@login_required
def alerts(request: AuthedRequest) -> HttpResponse:
    """Open alerts for every patient who shares with this clinician, critical first."""
    return render(request, "safety/alerts.html", {"alerts": get_alerts_for_user(Actor.from_request(request, "web"))})


@login_required
@require_POST
def acknowledge(request: AuthedRequest, alert_id: int) -> HttpResponse:
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/clinician/alerts/"
    try:
        do_acknowledge_alert(Actor.from_request(request, "web"), alert_id, request.POST.get("note", ""))
    except ActionError as exc:
        messages.error(request, exc.sentence)
    else:
        messages.success(request, "Alert acknowledged.")
    return redirect(next_url)


def help_page(request: HttpRequest) -> HttpResponse:
    """Crisis services, signed in or not: for ``?country=XX``, else the signed-in person's
    country, else the site's default. Always renders the services, even for a bad code."""
    code, error = _country_from(request)
    found = crisis_help(code)
    ctx = {
        "help": found,
        "country_name": countries.name(found.country) or found.country,
        "choices": [(c.code, c.name) for c in countries],
        "error": error,
    }
    return render(request, "safety/help.html", ctx, status=400 if error else 200)


def _country_from(request: HttpRequest) -> tuple[str | None, str]:
    raw = request.GET.get("country", "").strip()
    if raw:
        if raw.upper() in countries:
            return raw.upper(), ""
        return None, f"country: {raw[:20]!r} is not a country code; choose a country from the list."
    user = request.user
    if user.is_authenticated:
        return str(getattr(user, "country", "")) or None, ""
    return None, ""


def crisis(request: HttpRequest) -> HttpResponse:
    """The old address of the help page."""
    return redirect("safety:help")
