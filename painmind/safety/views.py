"""The clinician's alert list, acknowledging an alert, and the crisis page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from painmind.accounts.audit import Actor
from painmind.accounts.http import AuthedRequest
from painmind.lib.errors import ActionError
from painmind.safety.access import get_alerts_for_user
from painmind.safety.actions import do_acknowledge_alert
from painmind.safety.crisis import resources_for


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


@login_required
def crisis(request: AuthedRequest) -> HttpResponse:
    """Crisis services for the signed-in person's country (always reachable from the footer)."""
    user = request.user
    country = getattr(user, "country", "")
    resources, matched = resources_for(country)
    ctx = {
        "emergency": [r for r in resources if r.emergency],
        "resources": [r for r in resources if not r.emergency],
        "matched": matched,
        "country": country,
    }
    return render(request, "safety/crisis.html", ctx)
