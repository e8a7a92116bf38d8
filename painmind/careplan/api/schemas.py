"""The care plan's JSON shapes: what the API returns (and how a plan becomes it) and what it takes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Schema

from painmind.careplan.access import CarePlan, GoalView
from painmind.careplan.models import Goal, Intervention
from painmind.lib.api import ErrorOut
from painmind.lib.schemas import Day, In, Moment, Text


class ProgressOut(Schema):
    has_data: bool
    baseline: float | None
    current: float | None
    as_of: date | None
    met: bool | None
    fraction: float | None
    days_left: int | None
    text: str


class GoalOut(Schema):
    id: int
    description: str
    strategy: str
    measure: str
    measure_label: str
    comparator: str
    target: float | None
    target_date: date | None
    status: str
    created_at: datetime
    updated_at: datetime
    progress: ProgressOut | None


class InterventionOut(Schema):
    id: int
    strategy: str
    title: str
    detail: str
    owner_id: int | None
    owner_name: str
    owner_discipline: str
    review_date: date | None
    review_overdue: bool
    status: str
    tool: str
    tool_per_week: int | None
    # How much the patient used the tool (issue 13; "" when not tied, or in a write's answer).
    tool_usage: str
    created_at: datetime
    updated_at: datetime


class ChangeOut(Schema):
    at: datetime
    actor_name: str
    actor_role: str
    actor_discipline: str
    object_type: str
    object_id: int
    action: str
    changes: list[dict[str, str]]


class PlanOut(Schema):
    patient_id: int
    today: date
    next_review_on: date | None
    goals: list[GoalOut]
    interventions: list[InterventionOut]
    history: list[ChangeOut]


def goal_out(goal: Goal, view: GoalView | None = None) -> dict[str, Any]:
    progress = view.progress if view is not None else None
    return {
        "id": goal.pk,
        "description": goal.description,
        "strategy": goal.strategy,
        "measure": goal.measure,
        "measure_label": view.measure_label if view is not None else goal.measure.upper(),
        "comparator": goal.comparator,
        "target": None if goal.target is None else float(goal.target),
        "target_date": goal.target_on,
        "status": goal.status,
        "created_at": goal.created_at,
        "updated_at": goal.updated_at,
        "progress": None
        if progress is None
        else {
            "has_data": progress.has_data,
            "baseline": progress.baseline,
            "current": progress.current,
            "as_of": progress.as_of,
            "met": progress.met,
            "fraction": progress.fraction,
            "days_left": progress.days_left,
            "text": progress.text,
        },
    }


def intervention_out(item: Intervention, *, overdue: bool = False, tool_usage: str = "") -> dict[str, Any]:
    owner = item.owner
    return {
        "id": item.pk,
        "strategy": item.strategy,
        "title": item.title,
        "detail": item.detail,
        "owner_id": item.owner_id,
        "owner_name": (owner.display_name or owner.email) if owner is not None else "",
        "owner_discipline": item.owner_discipline,
        "review_date": item.review_on,
        "review_overdue": overdue,
        "status": item.status,
        "tool": item.tool,
        "tool_per_week": item.tool_per_week,
        "tool_usage": tool_usage,
        "created_at": item.created_at,
        "updated_at": item.updated_at,
    }


def plan_out(plan: CarePlan) -> dict[str, Any]:
    return {
        "patient_id": plan.patient.pk,
        "today": plan.today,
        "next_review_on": plan.next_review_on,
        "goals": [goal_out(g.goal, g) for g in plan.goals],
        "interventions": [
            intervention_out(v.intervention, overdue=v.review_overdue, tool_usage=v.tool_usage)
            for group in plan.groups
            for v in group.interventions
        ],
        "history": [
            {
                "at": h.change.at,
                "actor_name": h.change.actor_label,
                "actor_role": h.change.actor_role,
                "actor_discipline": h.change.actor_discipline,
                "object_type": h.change.object_type,
                "object_id": h.change.object_id,
                "action": h.change.action,
                "changes": h.changes,
            }
            for h in plan.history
        ],
    }


class GoalIn(In):
    description: Text
    strategy: Text = ""
    measure: Text = ""
    comparator: Text = ""
    target: float | None = None
    target_date: Day | None = None
    status: Text = "active"


class GoalPatch(In):
    description: Text | None = None
    strategy: Text | None = None
    measure: Text | None = None
    comparator: Text | None = None
    target: float | None = None
    target_date: Day | None = None
    status: Text | None = None
    updated_at: Moment | None = None


class InterventionIn(In):
    strategy: Text
    title: Text
    detail: Text = ""
    owner_id: int | None = None
    review_date: Day | None = None
    status: Text = "planned"
    tool: Text = ""
    tool_per_week: int | None = None


class InterventionPatch(In):
    strategy: Text | None = None
    title: Text | None = None
    detail: Text | None = None
    owner_id: int | None = None
    review_date: Day | None = None
    status: Text | None = None
    tool: Text | None = None
    tool_per_week: int | None = None
    updated_at: Moment | None = None


GOAL_RESPONSES = {200: GoalOut, 201: GoalOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
INTERVENTION_RESPONSES = {
    200: InterventionOut,
    201: InterventionOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}
