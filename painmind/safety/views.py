"""The clinician's alert list (filters, history), acknowledging alerts one by one or several
of one patient's together, and the help page (open to everyone)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_countries import countries

from painmind.accounts.access import get_patients_for_user
from painmind.accounts.audit import Actor
from painmind.accounts.http import AuthedRequest
from painmind.lib.errors import ActionError
from painmind.safety.access import get_alerts_for_user
from painmind.safety.actions import do_acknowledge_alert, do_acknowledge_alerts
from painmind.safety.crisis import crisis_help
from painmind.safety.filters import STATUSES, parse_alert_filters
from painmind.safety.models import AlertKind, Severity


@login_required
def alerts(request: AuthedRequest) -> HttpResponse:
    """Alerts for every patient who shares with this clinician, filtered by status (open, the
    closed history, or both), severity, kind and patient; 400 naming a bad filter (then ignored)."""
    actor = Actor.from_request(request, "web")
    if not request.user.is_clinician:
        raise Http404("No alerts here.")
    patients = get_patients_for_user(actor)
    filters, errors = parse_alert_filters(request.GET, {p.pk for p in patients})
    found = get_alerts_for_user(actor, filters=filters)
    n_open = sum(a.is_open for a in found)
    ctx = {
        "alerts": found,
        "filters": filters,
        "errors": errors,
        "patients": patients,
        "statuses": STATUSES.items(),
        "severities": Severity.choices,
        "kinds": AlertKind.choices,
        # Several of one patient's open alerts: acknowledge them together with one note.
        "bulk": filters.patient_id is not None and n_open > 1,
        "bulk_patient_id": filters.patient_id,
    }
    return render(request, "safety/alerts.html", ctx, status=400 if errors else 200)


def _next_url(request: AuthedRequest) -> str:
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/clinician/alerts/"
    return next_url


@login_required
@require_POST
def acknowledge(request: AuthedRequest, alert_id: int) -> HttpResponse:
    try:
        do_acknowledge_alert(Actor.from_request(request, "web"), alert_id, request.POST.get("note", ""))
    except ActionError as exc:
        messages.error(request, exc.sentence)
    else:
        messages.success(request, "Alert acknowledged.")
    return redirect(_next_url(request))


@login_required
@require_POST
def acknowledge_many(request: AuthedRequest) -> HttpResponse:
    """Several of one patient's open alerts (``alert``, repeated), one ``note`` for them all."""
    actor = Actor.from_request(request, "web")
    try:
        done = do_acknowledge_alerts(
            actor, request.POST.get("patient", ""), request.POST.getlist("alert"), request.POST.get("note", "")
        )
    except ActionError as exc:
        messages.error(request, exc.sentence)
    else:
        messages.success(request, f"{len(done)} alert{pluralize(len(done))} acknowledged with one note.")
    return redirect(_next_url(request))


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
