"""Behavioural activation pages (clinical-reference §9.3): plan activities for coming days,
log what was done with mastery and pleasure 0–10, mark plans done, and see planned vs done."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from painmind.accounts.audit import Actor
from painmind.accounts.http import AuthedRequest
from painmind.core.selfcare.activation import LIFE_AREAS, planned_vs_done
from painmind.lib.errors import ActionError
from painmind.selfcare.access import get_activities_for_user
from painmind.selfcare.actions import do_add_activity, do_mark_activity_done
from painmind.selfcare.activation_review import week_review
from painmind.selfcare.views import _patient_only

FIELDS = ("name", "life_area", "planned_on", "done_on", "mastery", "pleasure")


@login_required
def activities(request: AuthedRequest) -> HttpResponse:
    """Plans ahead, plans due, what was done; POST adds one (or, with ``activity``, marks one done)."""
    _patient_only(request)
    actor = Actor.from_request(request, "web")
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    status = 200
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in FIELDS}
        try:
            if request.POST.get("activity"):
                do_mark_activity_done(actor, request.POST["activity"], values)
                messages.success(request, "Marked done.")
            else:
                do_add_activity(actor, values)
                messages.success(request, "Activity saved.")
        except ActionError as exc:
            errors, status = exc.errors, 400
        else:
            return redirect("selfcare:activities")
    patient, items = get_activities_for_user(actor)
    today = timezone.localdate(timezone=patient.tzinfo)
    ctx = {
        "planned": sorted((a for a in items if a.done_on is None), key=lambda a: (a.planned_on, a.pk)),
        "done": [a for a in items if a.done_on is not None][:30],
        "counts": planned_vs_done(((a.planned_on, a.done_on) for a in items), today),
        "areas": list(LIFE_AREAS.items()),
        "area_names": LIFE_AREAS,
        "values": values,
        "errors": errors,
        "today": today,
        "ratings": [(str(i), str(i)) for i in range(11)],
    }
    return render(request, "selfcare/activities.html", ctx, status=status)


@login_required
def activity_week(request: AuthedRequest) -> HttpResponse:
    """One week's activities and which activities went with better next days (``?week=`` any day
    of an earlier week; this week by default). A bad ``week`` is named and this week shown."""
    _patient_only(request)
    raw = request.GET.get("week", "")
    error = ""
    day = None
    if raw:
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            error = "week: must be a date (YYYY-MM-DD)"
    review = week_review(Actor.from_request(request, "web"), day)
    ctx = {"review": review, "error": error}
    return render(request, "selfcare/activity_week.html", ctx, status=400 if error else 200)
