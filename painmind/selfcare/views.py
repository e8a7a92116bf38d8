"""The self-management pages: the tools home (with per-tool sharing), thought records (form and
history) and pacing plans (list, new plan, plan page with the session log). Plain forms that
work without JavaScript; a clinician's page shows only what the patient shares."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from painmind.accounts.access import get_patient_for_user
from painmind.accounts.audit import Actor
from painmind.accounts.http import AuthedRequest
from painmind.core.selfcare import pacing
from painmind.core.selfcare.thought_records import (
    CATASTROPHIZING_FACETS,
    DISTORTIONS,
    FORMS,
    emotion_changes,
    most_tagged,
    record_change,
    weekly_changes,
)
from painmind.lib.errors import ActionError
from painmind.selfcare.access import (
    get_activities_for_user,
    get_pacing_plan_for_user,
    get_pacing_plans_for_user,
    get_relaxation_sessions_for_user,
    get_sharing_for_user,
    get_thought_record_for_user,
    get_thought_records_for_user,
    sharing_of,
)
from painmind.selfcare.actions import (
    do_create_pacing_plan,
    do_create_thought_record,
    do_log_pacing_session,
    do_rerate_thought_record,
    do_set_sharing,
)
from painmind.selfcare.models import ThoughtRecord, Tool

FORM_ROWS = 3  # emotion and thought rows on the plain form


def _patient_only(request: AuthedRequest) -> None:
    if not getattr(request.user, "is_patient", False):
        raise Http404("Only patients keep these tools.")


@login_required
def tools(request: AuthedRequest) -> HttpResponse:
    """The tools and who sees each: a checkbox per tool (POST saves)."""
    _patient_only(request)
    actor = Actor.from_request(request, "web")
    if request.method == "POST":
        for tool in Tool:
            do_set_sharing(actor, tool.value, request.POST.get(tool.value) == "on")
        messages.success(request, "Sharing saved.")
        return redirect("selfcare:tools")
    _, sharing = get_sharing_for_user(actor)
    rows = [(t.value, t.label, sharing[t.value]) for t in Tool]
    return render(request, "selfcare/tools.html", {"sharing": rows})


# --- thought records -------------------------------------------------------------------------


def _record_rows(records: list[ThoughtRecord]) -> list[dict[str, Any]]:
    return [
        {
            "record": r,
            "changes": emotion_changes(r.emotions),
            "change": record_change(r.emotions),
            "distortions": [DISTORTIONS[d][0] for d in r.distortions if d in DISTORTIONS],
            "facets": [CATASTROPHIZING_FACETS[f][0] for f in r.facets if f in CATASTROPHIZING_FACETS],
        }
        for r in records
    ]


def _history_context(records: list[ThoughtRecord]) -> dict[str, Any]:
    return {
        "rows": _record_rows(records),
        "weeks": list(reversed(weekly_changes((r.local_on, r.emotions) for r in records))),
        "top": [(DISTORTIONS[d][0], n) for d, n in most_tagged(r.distortions for r in records)],
    }


@login_required
def thought_records(request: AuthedRequest) -> HttpResponse:
    """The patient's history: change per record and per week, the distortions tagged most."""
    _patient_only(request)
    _, records = get_thought_records_for_user(Actor.from_request(request, "web"))
    return render(request, "selfcare/thought_records.html", {"own": True, **_history_context(records)})


def _posted_record(request: AuthedRequest, form: str) -> dict[str, Any]:
    post = request.POST
    emotions = [
        {
            "name": post.get(f"emotion_{i}", ""),
            "before": post.get(f"before_{i}", ""),
            "after": post.get(f"after_{i}", ""),
        }
        for i in range(FORM_ROWS)
        if post.get(f"emotion_{i}", "").strip() or post.get(f"before_{i}", "").strip()
    ]
    hot = post.get("hot", "")
    thoughts = [
        {"text": post.get(f"thought_{i}", ""), "belief": post.get(f"belief_{i}", ""), "hot": hot == str(i)}
        for i in range(FORM_ROWS)
        if post.get(f"thought_{i}", "").strip() or post.get(f"belief_{i}", "").strip()
    ]
    return {
        "form": form,
        "situation": post.get("situation", ""),
        "emotions": emotions,
        "thoughts": thoughts,
        "evidence_for": post.get("evidence_for", ""),
        "evidence_against": post.get("evidence_against", ""),
        "balanced_thought": post.get("balanced_thought", ""),
        "balanced_belief": post.get("balanced_belief", ""),
        "distortions": post.getlist("distortions"),
        "facets": post.getlist("facets"),
    }


@login_required
def thought_record_new(request: AuthedRequest) -> HttpResponse:
    """The 7-column record, or the 5-column form with ``?form=five``."""
    _patient_only(request)
    form = request.GET.get("form") or request.POST.get("form") or "seven"
    if form not in FORMS:
        form = "seven"
    post = request.POST if request.method == "POST" else None
    errors: dict[str, list[str]] = {}
    status = 200
    if post is not None:
        try:
            do_create_thought_record(Actor.from_request(request, "web"), _posted_record(request, form))
        except ActionError as exc:
            errors, status = exc.errors, 400
        else:
            messages.success(request, "Thought record saved.")
            return redirect("selfcare:thought_records")
    rows = range(FORM_ROWS)
    src: Mapping[str, Any] = post if post is not None else {}
    chosen = (post.getlist("distortions"), post.getlist("facets")) if post is not None else ([], [])
    ctx = {
        "form": form,
        "post": post or {},
        "errors": errors,
        "emotion_rows": [
            {
                "i": i,
                "name": src.get(f"emotion_{i}", ""),
                "before": src.get(f"before_{i}", ""),
                "after": src.get(f"after_{i}", ""),
            }
            for i in rows
        ],
        "thought_rows": [
            {
                "i": i,
                "text": src.get(f"thought_{i}", ""),
                "belief": src.get(f"belief_{i}", ""),
                "hot": src.get("hot", "0") == str(i),
            }
            for i in rows
        ],
        "distortions": [(k, label, why, k in chosen[0]) for k, (label, why) in DISTORTIONS.items()],
        "facets": [(k, label, why, k in chosen[1]) for k, (label, why) in CATASTROPHIZING_FACETS.items()],
    }
    return render(request, "selfcare/thought_record_form.html", ctx, status=status)


@login_required
def thought_record_rerate(request: AuthedRequest, record_id: int) -> HttpResponse:
    """Column 7 after the fact: re-rate each emotion of a saved record (0–100)."""
    _patient_only(request)
    actor = Actor.from_request(request, "web")
    _, item = get_thought_record_for_user(actor, record_id)
    errors: dict[str, list[str]] = {}
    status = 200
    posted = [request.POST.get(f"after_{i}", "") for i in range(len(item.emotions))]
    if request.method == "POST":
        try:
            do_rerate_thought_record(actor, item.pk, posted)
        except ActionError as exc:
            errors, status = exc.errors, 400
        else:
            messages.success(request, "Re-rating saved.")
            return redirect("selfcare:thought_records")
    rows = [
        {
            "i": i,
            "name": e["name"],
            "before": e["before"],
            "after": posted[i] if request.method == "POST" else ("" if e.get("after") is None else e["after"]),
            "errors": errors.get(f"after.{i}", []),
        }
        for i, e in enumerate(item.emotions)
    ]
    ctx = {"record": item, "rows": rows, "errors": errors.get("after", [])}
    return render(request, "selfcare/thought_record_rerate.html", ctx, status=status)


# --- pacing ----------------------------------------------------------------------------------

PLAN_FIELDS = ("activity", "unit", "baseline", "step_percent", "goal", "start_on", "sessions_per_week")


@login_required
def pacing_plans(request: AuthedRequest) -> HttpResponse:
    """The patient's plans and the form for a new one."""
    _patient_only(request)
    actor = Actor.from_request(request, "web")
    values: dict[str, Any] = {"unit": "minutes", "step_percent": "10", "sessions_per_week": "7"}
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in PLAN_FIELDS}
        try:
            plan = do_create_pacing_plan(actor, values)
        except ActionError as exc:
            errors, status = exc.errors, 400
        else:
            messages.success(request, "Pacing plan saved.")
            return redirect("selfcare:pacing_plan", plan_id=plan.pk)
    _, plans = get_pacing_plans_for_user(actor)
    ctx = {
        "plans": plans,
        "values": values,
        "errors": errors,
        "units": [(u, u) for u in pacing.UNITS],
        "steps": [(str(p), f"{p} %") for p in range(pacing.STEP_PERCENT_MIN, pacing.STEP_PERCENT_MAX + 1, 5)],
    }
    return render(request, "selfcare/pacing_plans.html", ctx, status=status)


@login_required
def pacing_plan(request: AuthedRequest, plan_id: int) -> HttpResponse:
    """One plan: this week's quota, the weeks, the session log, the held-week and boom-and-bust
    notes. POST logs a session."""
    _patient_only(request)
    actor = Actor.from_request(request, "web")
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    status = 200
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in ("done", "pain_before", "pain_after", "on")}
        try:
            do_log_pacing_session(actor, plan_id, values)
        except ActionError as exc:
            errors, status = exc.errors, 400
        else:
            messages.success(request, "Session logged.")
            return redirect("selfcare:pacing_plan", plan_id=plan_id)
    view = get_pacing_plan_for_user(actor, plan_id)
    sessions = [(s, view.quota_on(s.local_on)) for s in reversed(view.sessions)]
    ctx = {"view": view, "plan": view.plan, "sessions": sessions, "values": values, "errors": errors, "own": True}
    return render(request, "selfcare/pacing_plan.html", ctx, status=status)


# --- the clinician's view ------------------------------------------------------------------


@login_required
def patient_tools(request: AuthedRequest, patient_id: int) -> HttpResponse:
    """A consenting clinician's view of the tools a patient shares (each read audited)."""
    if not getattr(request.user, "is_clinician", False):
        raise Http404("No such patient.")
    actor = Actor.from_request(request, "web")
    patient = get_patient_for_user(actor, patient_id)
    shared = sharing_of(patient)
    ctx: dict[str, Any] = {"patient": patient, "shared": shared, "own": False}
    if shared[Tool.THOUGHT_RECORDS]:
        _, records = get_thought_records_for_user(actor, patient.pk)
        ctx.update(_history_context(records))
    if shared[Tool.PACING]:
        _, plans = get_pacing_plans_for_user(actor, patient.pk)
        ctx["plans"] = [get_pacing_plan_for_user(actor, p.pk, patient.pk, with_diary=False) for p in plans]
    if shared[Tool.RELAXATION]:
        _, ctx["relaxation"] = get_relaxation_sessions_for_user(actor, patient.pk)
    if shared[Tool.ACTIVITIES]:
        _, ctx["activities"] = get_activities_for_user(actor, patient.pk)
    return render(request, "selfcare/patient_tools.html", ctx)
