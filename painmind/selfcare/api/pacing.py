"""Pacing plans (clinical-reference §9.2): the plan with its weeks up to the goal, and sessions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from ninja import Field, Router, Schema, Status

from painmind.accounts.api import actor
from painmind.accounts.http import AuthedRequest
from painmind.lib.api import ErrorOut
from painmind.lib.schemas import Day, In, Text
from painmind.selfcare.access import PlanView, get_pacing_plan_for_user, get_pacing_plans_for_user
from painmind.selfcare.actions import do_create_pacing_plan, do_log_pacing_session

router = Router(tags=["self-management"])


class PacingPlanIn(In):
    activity: Text
    unit: Text = Field(description="`minutes`, `metres` or `repetitions`.")
    baseline: float | None = Field(None, description="Omit to use the mean of your last 3–5 sessions of it.")
    step_percent: int = Field(description="Weekly rise, 10–20 % of baseline.")
    goal: float
    start_on: Day | None = None
    sessions_per_week: int = 7


class SessionIn(In):
    done: float
    pain_before: int | None = None
    pain_after: int | None = None
    on: Day | None = Field(None, description="The day of the session; default today.")


class WeekOut(Schema):
    week: int
    starts_on: date
    quota: float
    state: str = Field(description="met, held, current or planned.")
    sessions_done: int
    sessions_needed: int


class SessionOut(Schema):
    id: int
    on: date
    done: float
    quota: float | None
    pain_before: int | None
    pain_after: int | None


class PacingPlanOut(Schema):
    id: int
    activity: str
    unit: str
    baseline: float | None
    baseline_from_sessions: bool
    step_percent: int
    goal: float
    start_on: date
    sessions_per_week: int
    measuring: bool
    weeks: list[WeekOut]
    this_week: WeekOut | None
    sessions: list[SessionOut]


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def plan_out(view: PlanView) -> dict[str, Any]:
    plan = view.plan

    def week(w: Any) -> dict[str, Any]:
        return {
            "week": w.week,
            "starts_on": w.starts_on,
            "quota": float(w.quota),
            "state": w.state,
            "sessions_done": w.done,
            "sessions_needed": w.needed,
        }

    return {
        "id": plan.pk,
        "activity": plan.activity,
        "unit": plan.unit,
        "baseline": _num(plan.baseline),
        "baseline_from_sessions": plan.baseline_from_sessions,
        "step_percent": plan.step_percent,
        "goal": float(plan.goal),
        "start_on": plan.start_on,
        "sessions_per_week": plan.sessions_per_week,
        "measuring": view.measuring,
        "weeks": [week(w) for w in view.weeks],
        "this_week": week(view.this_week) if view.this_week is not None else None,
        "sessions": [
            {
                "id": s.pk,
                "on": s.local_on,
                "done": float(s.done),
                "quota": _num(view.quota_on(s.local_on)),
                "pain_before": s.pain_before,
                "pain_after": s.pain_after,
            }
            for s in view.sessions
        ],
    }


PLAN_RESPONSES = {200: PacingPlanOut, 201: PacingPlanOut, 404: ErrorOut, 422: ErrorOut}


@router.post("/pacing-plans", response=PLAN_RESPONSES)
def create_pacing_plan(request: AuthedRequest, payload: PacingPlanIn) -> Status[Any]:
    """Patients: a quota pacing plan; the answer lists its weeks up to the goal."""
    who = actor(request)
    plan = do_create_pacing_plan(who, payload.model_dump())
    return Status(201, plan_out(get_pacing_plan_for_user(who, plan.pk, with_diary=False)))


@router.get("/pacing-plans", response={200: list[PacingPlanOut], 404: ErrorOut})
def my_pacing_plans(request: AuthedRequest) -> list[dict[str, Any]]:
    """Patients: your pacing plans, newest first."""
    who = actor(request)
    _, plans = get_pacing_plans_for_user(who)
    return [plan_out(get_pacing_plan_for_user(who, p.pk, with_diary=False)) for p in plans]


@router.get("/pacing-plans/{plan_id}", response=PLAN_RESPONSES)
def pacing_plan(request: AuthedRequest, plan_id: int) -> dict[str, Any]:
    """Patients: one plan, its weeks (held weeks shift the rest) and its sessions."""
    return plan_out(get_pacing_plan_for_user(actor(request), plan_id, with_diary=False))


@router.post("/pacing-plans/{plan_id}/sessions", response={201: SessionOut, 404: ErrorOut, 422: ErrorOut})
def log_pacing_session(request: AuthedRequest, plan_id: int, payload: SessionIn) -> Status[Any]:
    """Patients: log a session (amount done, pain before and after 0–10)."""
    who = actor(request)
    session = do_log_pacing_session(who, plan_id, payload.model_dump())
    view = get_pacing_plan_for_user(who, plan_id, with_diary=False)
    return Status(
        201,
        {
            "id": session.pk,
            "on": session.local_on,
            "done": float(session.done),
            "quota": _num(view.quota_on(session.local_on)),
            "pain_before": session.pain_before,
            "pain_after": session.pain_after,
        },
    )


@router.get("/patients/{patient_id}/pacing-plans/{plan_id}", response=PLAN_RESPONSES)
def patient_pacing_plan(request: AuthedRequest, patient_id: int, plan_id: int) -> dict[str, Any]:
    """Clinicians with consent, while the patient shares pacing (the default). Audited."""
    return plan_out(get_pacing_plan_for_user(actor(request), plan_id, patient_id, with_diary=False))
