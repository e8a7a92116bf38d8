"""Relaxation pages (clinical-reference §9.4): the history with what a session usually does,
the slow-breathing pacer (a CSS animation without JavaScript; a timer with it) and the short
muscle-relaxation guide, each ending in the before/after form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from painmind.accounts.audit import Actor
from painmind.accounts.http import AuthedRequest
from painmind.core.selfcare import relaxation as rx
from painmind.lib.errors import ActionError
from painmind.selfcare.access import get_relaxation_sessions_for_user
from painmind.selfcare.actions import do_log_relaxation_session
from painmind.selfcare.views import _patient_only

RATING_FIELDS = ("tension_before", "pain_before", "tension_after", "pain_after")


def _posted(request: AuthedRequest, kind: str) -> dict[str, Any]:
    p = request.POST
    return {
        "kind": kind,
        "minutes": p.get("minutes", ""),
        "rate": p.get("rate", "") if kind == "breathing" else None,
        "before": {"tension": p.get("tension_before", ""), "pain": p.get("pain_before", "")},
        "after": {"tension": p.get("tension_after", ""), "pain": p.get("pain_after", "")},
    }


def _flat_errors(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """`before.tension` → `tension_before`, as the form names its fields."""
    out: dict[str, list[str]] = {}
    for field, reasons in errors.items():
        when, _, measure = field.partition(".")
        key = f"{measure}_{when}" if measure else field
        out.setdefault(key, []).extend(reasons)
    return out


def _session_page(request: AuthedRequest, kind: str, template: str, extra: dict[str, Any]) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    status = 200
    values: dict[str, Any] = {"minutes": extra.get("minutes", "")}
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in ("minutes", *RATING_FIELDS)}
        try:
            do_log_relaxation_session(Actor.from_request(request, "web"), _posted(request, kind))
        except ActionError as exc:
            errors, status = _flat_errors(exc.errors), 400
        else:
            messages.success(request, "Session saved. Well done for taking the time.")
            return redirect("selfcare:relaxation")
    measures = [("tension", "Tension"), ("pain", "Pain")]
    ctx = {**extra, "values": values, "errors": errors, "measures": measures}
    return render(request, template, ctx, status=status)


@login_required
def relaxation(request: AuthedRequest) -> HttpResponse:
    """The relaxation home: the two skills and what a session usually does for this person."""
    _patient_only(request)
    _, sessions = get_relaxation_sessions_for_user(Actor.from_request(request, "web"))
    changes = [
        rx.usual_change(((getattr(s, f"{m}_before"), getattr(s, f"{m}_after")) for s in sessions), m)
        for m in rx.MEASURES
    ]
    ctx = {"sessions": sessions[:20], "changes": changes, "kinds": rx.KINDS}
    return render(request, "selfcare/relaxation.html", ctx)


def _choice(raw: str | None, allowed: list[str], default: str) -> str:
    return raw if raw in allowed else default


@login_required
def breathing(request: AuthedRequest) -> HttpResponse:
    """The pacer at the chosen rate (``?rate=``) and length (``?minutes=``); POST saves."""
    _patient_only(request)
    rates = [format(r.normalize(), "f") for r in rx.RATES]
    rate = _choice(request.POST.get("rate") or request.GET.get("rate"), rates, format(rx.RATE_DEFAULT, "f"))
    lengths = [str(m) for m in range(rx.TIMER_MINUTES_MIN, rx.TIMER_MINUTES_MAX + 1)]
    minutes = _choice(request.GET.get("minutes"), lengths, str(rx.TIMER_MINUTES_DEFAULT))
    extra = {"pace": rx.pace(rate), "rates": rates, "rate": rate, "lengths": lengths, "minutes": minutes}
    return _session_page(request, "breathing", "selfcare/breathing.html", extra)


@login_required
def muscle(request: AuthedRequest) -> HttpResponse:
    """Short progressive muscle relaxation, 4 or 7 groups (``?groups=``); POST saves."""
    _patient_only(request)
    groups = int(_choice(request.GET.get("groups"), ["4", "7"], "4"))
    extra = {
        "groups": groups,
        "group_names": rx.MUSCLE_GROUPS[groups],
        "tense": rx.TENSE_SECONDS,
        "release": rx.RELEASE_SECONDS,
        "minutes": rx.muscle_minutes(groups),
    }
    return _session_page(request, "muscle", "selfcare/muscle.html", extra)
