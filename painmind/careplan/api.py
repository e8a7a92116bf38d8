"""The shared care plan over JSON.

Patients use `/plan` (or `/patients/{their own id}/plan`); clinicians with active consent use
`/patients/{id}/plan`. Goals: the patient and the care team may add and change them.
Interventions: the care team only (a patient gets 403). PATCH applies only the fields sent;
send `updated_at` as last read to refuse the edit (409) if someone changed it since.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from ninja import Router, Schema, Status

from painmind.accounts.access import get_own_patient
from painmind.accounts.api import actor
from painmind.accounts.http import AuthedRequest
from painmind.careplan.access import CarePlan, GoalView, get_care_plan_for_user
from painmind.careplan.actions import (
    StaleEdit,
    do_create_goal,
    do_create_intervention,
    do_update_goal,
    do_update_intervention,
)
from painmind.careplan.models import Goal, Intervention
from painmind.lib.api import ErrorOut
from painmind.lib.errors import ActionError

router = Router(tags=["care plan"])


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


def _goal_out(goal: Goal, view: GoalView | None = None) -> dict[str, Any]:
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


def _intervention_out(item: Intervention, *, overdue: bool = False) -> dict[str, Any]:
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
        "created_at": item.created_at,
        "updated_at": item.updated_at,
    }


def _plan_out(plan: CarePlan) -> dict[str, Any]:
    return {
        "patient_id": plan.patient.pk,
        "today": plan.today,
        "next_review_on": plan.next_review_on,
        "goals": [_goal_out(g.goal, g) for g in plan.goals],
        "interventions": [
            _intervention_out(v.intervention, overdue=v.review_overdue)
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


def _error(detail: str, errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {
        "detail": detail,
        "errors": [{"field": f, "message": m} for f, msgs in (errors or {}).items() for m in msgs],
    }


def _refused(exc: Exception) -> Status[Any]:
    if isinstance(exc, StaleEdit):
        return Status(409, _error("Changed since you read it.", exc.errors))
    return Status(403, _error(str(exc)))


def _own_id(request: AuthedRequest) -> int:
    return get_own_patient(actor(request)).pk


@router.get("/plan", response={200: PlanOut, 404: ErrorOut})
def my_plan(request: AuthedRequest) -> dict[str, Any]:
    """Patients: your care plan, each goal's progress and the history of changes."""
    return _plan_out(get_care_plan_for_user(actor(request)))


@router.get("/patients/{patient_id}/plan", response={200: PlanOut, 404: ErrorOut})
def patient_plan(request: AuthedRequest, patient_id: int) -> dict[str, Any]:
    """Clinicians with consent (audited), or the patient with their own id: the care plan."""
    return _plan_out(get_care_plan_for_user(actor(request), patient_id))


class GoalIn(Schema):
    description: str
    strategy: str = ""
    measure: str = ""
    comparator: str = ""
    target: float | None = None
    target_date: date | None = None
    status: str = "active"


class GoalPatch(Schema):
    description: str | None = None
    strategy: str | None = None
    measure: str | None = None
    comparator: str | None = None
    target: float | None = None
    target_date: date | None = None
    status: str | None = None
    updated_at: datetime | None = None


_TEXT_FIELDS = ("strategy", "measure", "comparator", "detail")


def _patch_data(payload: Schema) -> tuple[dict[str, object], datetime | None]:
    data = payload.model_dump(exclude_unset=True)
    expected = data.pop("updated_at", None)
    # null clears an optional text field, as an empty string would.
    return {
        k: ("" if v is None and k in ("strategy", "measure", "comparator", "detail") else v) for k, v in data.items()
    }, expected


# The API keeps the field names its clients know; the model's local dates end in _on.
_API_TO_MODEL = {"target_date": "target_on", "review_date": "review_on", "owner_id": "owner"}
_MODEL_TO_API = {"target_on": "target_date", "review_on": "review_date"}


def _to_model(data: dict[str, object]) -> dict[str, object]:
    out = {_API_TO_MODEL.get(k, k): v for k, v in data.items()}
    if "owner" in out and out["owner"] is None:
        out["owner"] = ""  # null: no owner
    return out


@contextmanager
def _api_field_names() -> Iterator[None]:
    """Name each refused field as the request did (``target_date``, not the model's ``target_on``)."""
    try:
        yield
    except StaleEdit:
        raise
    except ActionError as exc:
        raise ActionError({_MODEL_TO_API.get(f, f): m for f, m in exc.errors.items()}) from None


GOAL_RESPONSES = {200: GoalOut, 201: GoalOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
INTERVENTION_RESPONSES = {
    200: InterventionOut,
    201: InterventionOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


def _create_goal(request: AuthedRequest, patient_id: int, payload: GoalIn) -> Status[Any]:
    with _api_field_names():
        goal = do_create_goal(actor(request), patient_id, _to_model(payload.model_dump()))
    return Status(201, _goal_out(goal))


def _update_goal(request: AuthedRequest, patient_id: int, goal_id: int, payload: GoalPatch) -> Status[Any]:
    data, expected = _patch_data(payload)
    try:
        with _api_field_names():
            goal = do_update_goal(actor(request), patient_id, goal_id, _to_model(data), expected_updated_at=expected)
    except StaleEdit as exc:
        return _refused(exc)
    return Status(200, _goal_out(goal))


@router.post("/plan/goals", response=GOAL_RESPONSES)
def create_my_goal(request: AuthedRequest, payload: GoalIn) -> Status[Any]:
    """Patients: add a goal to your plan."""
    return _create_goal(request, _own_id(request), payload)


@router.patch("/plan/goals/{goal_id}", response=GOAL_RESPONSES)
def update_my_goal(request: AuthedRequest, goal_id: int, payload: GoalPatch) -> Status[Any]:
    """Patients: change one of your goals (only the fields sent)."""
    return _update_goal(request, _own_id(request), goal_id, payload)


@router.post("/patients/{patient_id}/plan/goals", response=GOAL_RESPONSES)
def create_goal(request: AuthedRequest, patient_id: int, payload: GoalIn) -> Status[Any]:
    """Clinicians with consent (or the patient): add a goal. Audited for clinicians."""
    return _create_goal(request, patient_id, payload)


@router.patch("/patients/{patient_id}/plan/goals/{goal_id}", response=GOAL_RESPONSES)
def update_goal(request: AuthedRequest, patient_id: int, goal_id: int, payload: GoalPatch) -> Status[Any]:
    """Clinicians with consent (or the patient): change a goal (only the fields sent)."""
    return _update_goal(request, patient_id, goal_id, payload)


class InterventionIn(Schema):
    strategy: str
    title: str
    detail: str = ""
    owner_id: int | None = None
    review_date: date | None = None
    status: str = "planned"


class InterventionPatch(Schema):
    strategy: str | None = None
    title: str | None = None
    detail: str | None = None
    owner_id: int | None = None
    review_date: date | None = None
    status: str | None = None
    updated_at: datetime | None = None


@router.post("/patients/{patient_id}/plan/interventions", response=INTERVENTION_RESPONSES)
def create_intervention(request: AuthedRequest, patient_id: int, payload: InterventionIn) -> Status[Any]:
    """Clinicians with consent: add an intervention (owner defaults to you). Audited."""
    try:
        with _api_field_names():
            item = do_create_intervention(actor(request), patient_id, _to_model(payload.model_dump()))
    except PermissionError as exc:
        return _refused(exc)
    return Status(201, _intervention_out(item))


@router.patch("/patients/{patient_id}/plan/interventions/{intervention_id}", response=INTERVENTION_RESPONSES)
def update_intervention(
    request: AuthedRequest, patient_id: int, intervention_id: int, payload: InterventionPatch
) -> Status[Any]:
    """Clinicians with consent: change an intervention (only the fields sent). Audited."""
    data, expected = _patch_data(payload)
    try:
        with _api_field_names():
            item = do_update_intervention(
                actor(request), patient_id, intervention_id, _to_model(data), expected_updated_at=expected
            )
    except (PermissionError, StaleEdit) as exc:
        return _refused(exc)
    return Status(200, _intervention_out(item))
