"""Reading a whole care plan: the patient's own, or a consenting clinician's view of one."""

from __future__ import annotations

from typing import Any

from ninja import Router

from painmind.accounts.api import actor
from painmind.accounts.http import AuthedRequest
from painmind.careplan.access import get_care_plan_for_user
from painmind.careplan.api.schemas import PlanOut, plan_out
from painmind.lib.api import ErrorOut

router = Router(tags=["care plan"])


@router.get("/plan", response={200: PlanOut, 404: ErrorOut})
def my_plan(request: AuthedRequest) -> dict[str, Any]:
    """Patients: your care plan, each goal's progress and the history of changes."""
    return plan_out(get_care_plan_for_user(actor(request)))


@router.get("/patients/{patient_id}/plan", response={200: PlanOut, 404: ErrorOut})
def patient_plan(request: AuthedRequest, patient_id: int) -> dict[str, Any]:
    """Clinicians with consent (audited), or the patient with their own id: the care plan."""
    return plan_out(get_care_plan_for_user(actor(request), patient_id))
