"""The care-plan pages: the patient's "My care plan" and the clinician's plan of one patient,
with plain forms (no JavaScript needed) to add and edit goals and interventions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from painmind.accounts.access import care_team, get_own_patient, get_patient_for_user
from painmind.accounts.audit import Actor, record
from painmind.accounts.http import AuthedRequest
from painmind.accounts.models import AuditAction, User
from painmind.careplan.access import (
    get_care_plan_for_user,
    get_goal_for_user,
    get_intervention_for_user,
    measure_catalog,
    person_label,
)
from painmind.careplan.actions import (
    GOAL_FIELDS,
    INTERVENTION_FIELDS,
    do_create_goal,
    do_create_intervention,
    do_update_goal,
    do_update_intervention,
)
from painmind.careplan.cleaning import DESCRIPTION_MAX_CHARS, DETAIL_MAX_CHARS, TITLE_MAX_CHARS
from painmind.careplan.models import Comparator, Goal, GoalStatus, Intervention, InterventionStatus, Strategy
from painmind.core.selfcare.tools import PER_WEEK_MAX, PER_WEEK_MIN, TOOL_LABELS
from painmind.lib.errors import ActionError


def _clinician_only(request: AuthedRequest) -> None:
    # The clinician pages are for clinicians; a patient's own plan lives at /me/plan/.
    if not getattr(request.user, "is_clinician", False):
        raise Http404("No such patient.")


def _plan_url(patient: User, own: bool) -> str:
    return reverse("careplan:my_plan") if own else reverse("careplan:patient_plan", args=[patient.pk])


@login_required
def my_plan(request: AuthedRequest) -> HttpResponse:
    """The patient's own care plan: goals they can edit, the team's interventions, history."""
    plan = get_care_plan_for_user(Actor.from_request(request, "web"))
    return render(request, "careplan/plan.html", {"plan": plan})


@login_required
def patient_plan(request: AuthedRequest, patient_id: int) -> HttpResponse:
    """A clinician's view of a consenting patient's care plan (audited)."""
    _clinician_only(request)
    plan = get_care_plan_for_user(Actor.from_request(request, "web"), patient_id)
    return render(request, "careplan/plan.html", {"plan": plan})


def _goal_form_context(
    values: dict[str, Any], errors: dict[str, list[str]], *, goal: Goal | None, patient: User, own: bool
) -> dict[str, Any]:
    return {
        "goal": goal,
        "patient": patient,
        "own": own,
        "values": values,
        "errors": errors,
        "measures": [(m.id, m.choice_label) for m in measure_catalog().values()],
        "strategies": Strategy.choices,
        "comparators": Comparator.choices,
        "statuses": GoalStatus.choices,
        "description_max": DESCRIPTION_MAX_CHARS,
        "cancel_url": _plan_url(patient, own),
    }


def _goal_initial(goal: Goal | None) -> dict[str, Any]:
    if goal is None:
        return {"status": GoalStatus.ACTIVE}
    values: dict[str, Any] = {name: getattr(goal, name) for name in GOAL_FIELDS}
    values["target"] = "" if goal.target is None else f"{goal.target:f}".removesuffix(".0")
    values["target_on"] = goal.target_on.isoformat() if goal.target_on else ""
    values["updated_at"] = goal.updated_at.isoformat()
    return values


def _goal_page(request: AuthedRequest, patient_id: int | None, goal_id: int | None) -> HttpResponse:
    actor = Actor.from_request(request, "web")
    own = patient_id is None
    patient = get_own_patient(actor) if own else get_patient_for_user(actor, patient_id)  # type: ignore[arg-type]
    goal = None
    if goal_id is not None and request.method != "POST":
        _, goal = get_goal_for_user(actor, patient.pk, goal_id)
    if request.method == "POST":
        posted = {name: request.POST.get(name, "") for name in GOAL_FIELDS}
        try:
            if goal_id is None:
                do_create_goal(actor, patient.pk, posted)
                messages.success(request, "Goal added.")
            else:
                do_update_goal(
                    actor, patient.pk, goal_id, posted, expected_updated_at=request.POST.get("updated_at", "")
                )
                messages.success(request, "Goal saved.")
        except ActionError as exc:
            if goal_id is not None:
                _, goal = get_goal_for_user(actor, patient.pk, goal_id)
            else:
                record(actor, patient, AuditAction.VIEW, "goal_form")
            values = {**posted, "updated_at": request.POST.get("updated_at", "")}
            ctx = _goal_form_context(values, exc.errors, goal=goal, patient=patient, own=own)
            return render(request, "careplan/plan_goal_form.html", ctx, status=400)
        return redirect(_plan_url(patient, own))
    if goal_id is None:
        # The new-goal form shows a clinician the patient: a read like any other (an edit form's
        # read is recorded by get_goal_for_user; a patient's own read is never recorded).
        record(actor, patient, AuditAction.VIEW, "goal_form")
    ctx = _goal_form_context(_goal_initial(goal), {}, goal=goal, patient=patient, own=own)
    return render(request, "careplan/plan_goal_form.html", ctx)


@login_required
def my_goal(request: AuthedRequest, goal_id: int | None = None) -> HttpResponse:
    """The patient adds (no id) or edits one of their goals."""
    return _goal_page(request, None, goal_id)


@login_required
def patient_goal(request: AuthedRequest, patient_id: int, goal_id: int | None = None) -> HttpResponse:
    """A clinician with consent adds or edits a patient's goal."""
    _clinician_only(request)
    return _goal_page(request, patient_id, goal_id)


def _intervention_initial(item: Intervention | None, actor_user: User) -> dict[str, Any]:
    if item is None:
        return {"status": InterventionStatus.PLANNED, "owner": str(actor_user.pk)}
    values: dict[str, Any] = {name: getattr(item, name) for name in INTERVENTION_FIELDS}
    values["owner"] = str(item.owner_id or "")
    values["review_on"] = item.review_on.isoformat() if item.review_on else ""
    values["updated_at"] = item.updated_at.isoformat()
    return values


@login_required
def patient_intervention(request: AuthedRequest, patient_id: int, intervention_id: int | None = None) -> HttpResponse:
    """A clinician with consent adds or edits an intervention (owner defaults to them)."""
    _clinician_only(request)
    actor = Actor.from_request(request, "web")
    patient = get_patient_for_user(actor, patient_id)
    item = None
    if intervention_id is not None and request.method != "POST":
        _, item = get_intervention_for_user(actor, patient.pk, intervention_id)
    errors: dict[str, list[str]] = {}
    values = _intervention_initial(item, request.user)
    if request.method == "POST":
        posted = {name: request.POST.get(name, "") for name in INTERVENTION_FIELDS}
        try:
            if intervention_id is None:
                do_create_intervention(actor, patient.pk, posted)
                messages.success(request, "Intervention added.")
            else:
                do_update_intervention(
                    actor, patient.pk, intervention_id, posted, expected_updated_at=request.POST.get("updated_at", "")
                )
                messages.success(request, "Intervention saved.")
        except ActionError as exc:
            errors = exc.errors
            values = {**posted, "updated_at": request.POST.get("updated_at", "")}
            if intervention_id is not None:
                _, item = get_intervention_for_user(actor, patient.pk, intervention_id)
        else:
            return redirect(_plan_url(patient, own=False))
    if intervention_id is None:
        # The new-intervention form shows the patient and their care team: audited like any read
        # (an edit form's read is recorded by get_intervention_for_user).
        record(actor, patient, AuditAction.VIEW, "intervention_form")
    team = care_team(patient.pk)
    owners = [(str(u.pk), person_label(u)) for u in team]
    if item is not None and item.owner is not None and all(u.pk != item.owner_id for u in team):
        owners.append((str(item.owner_id), f"{person_label(item.owner)} (no longer on the team)"))
    ctx = {
        "item": item,
        "patient": patient,
        "values": values,
        "errors": errors,
        "owners": owners,
        "strategies": Strategy.choices,
        "statuses": InterventionStatus.choices,
        "tools": list(TOOL_LABELS.items()),
        "per_week_hint": f"optional, {PER_WEEK_MIN}–{PER_WEEK_MAX}, with a tool",
        "title_max": TITLE_MAX_CHARS,
        "detail_max": DETAIL_MAX_CHARS,
        "cancel_url": _plan_url(patient, own=False),
    }
    return render(request, "careplan/plan_intervention_form.html", ctx, status=400 if errors else 200)
