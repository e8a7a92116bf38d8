"""The clinician's alert list and acknowledging an alert."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from painmind.accounts.actions import ActionError
from painmind.accounts.audit import Actor
from painmind.care.access import get_alerts_for_user
from painmind.care.actions import do_acknowledge_alert


@login_required
def alerts(request: HttpRequest) -> HttpResponse:
    """Open alerts for every patient who shares with this clinician, critical first."""
    return render(request, "care/alerts.html", {"alerts": get_alerts_for_user(Actor.from_request(request, "web"))})


@login_required
@require_POST
def acknowledge(request: HttpRequest, alert_id: int) -> HttpResponse:
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
