"""Adding and changing goals: the patient and every clinician with consent."""

from __future__ import annotations

from typing import Any

from ninja import Router, Status

from painmind.accounts.api import actor
from painmind.accounts.http import AuthedRequest
from painmind.careplan.actions import StaleEdit, do_create_goal, do_update_goal
from painmind.careplan.api.requests import api_field_names, own_id, patch_data, refused, to_model
from painmind.careplan.api.schemas import GOAL_RESPONSES, GoalIn, GoalPatch, goal_out

router = Router(tags=["care plan"])


def _create_goal(request: AuthedRequest, patient_id: int, payload: GoalIn) -> Status[Any]:
    with api_field_names():
        goal = do_create_goal(actor(request), patient_id, to_model(payload.model_dump()))
    return Status(201, goal_out(goal))


def _update_goal(request: AuthedRequest, patient_id: int, goal_id: int, payload: GoalPatch) -> Status[Any]:
    data, expected = patch_data(payload)
    try:
        with api_field_names():
            goal = do_update_goal(actor(request), patient_id, goal_id, to_model(data), expected_updated_at=expected)
    except StaleEdit as exc:
        return refused(exc)
    return Status(200, goal_out(goal))


@router.post("/plan/goals", response=GOAL_RESPONSES)
def create_my_goal(request: AuthedRequest, payload: GoalIn) -> Status[Any]:
    """Patients: add a goal to your plan."""
    return _create_goal(request, own_id(request), payload)


@router.patch("/plan/goals/{goal_id}", response=GOAL_RESPONSES)
def update_my_goal(request: AuthedRequest, goal_id: int, payload: GoalPatch) -> Status[Any]:
    """Patients: change one of your goals (only the fields sent)."""
    return _update_goal(request, own_id(request), goal_id, payload)


@router.post("/patients/{patient_id}/plan/goals", response=GOAL_RESPONSES)
def create_goal(request: AuthedRequest, patient_id: int, payload: GoalIn) -> Status[Any]:
    """Clinicians with consent (or the patient): add a goal. Audited for clinicians."""
    return _create_goal(request, patient_id, payload)


@router.patch("/patients/{patient_id}/plan/goals/{goal_id}", response=GOAL_RESPONSES)
def update_goal(request: AuthedRequest, patient_id: int, goal_id: int, payload: GoalPatch) -> Status[Any]:
    """Clinicians with consent (or the patient): change a goal (only the fields sent)."""
    return _update_goal(request, patient_id, goal_id, payload)
