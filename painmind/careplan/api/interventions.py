"""Adding and changing interventions: clinicians with consent only (a patient gets 403)."""

from __future__ import annotations

from typing import Any

from ninja import Router, Status

from painmind.accounts.api import actor
from painmind.accounts.http import AuthedRequest
from painmind.careplan.actions import StaleEdit, do_create_intervention, do_update_intervention
from painmind.careplan.api.requests import api_field_names, patch_data, refused, to_model
from painmind.careplan.api.schemas import INTERVENTION_RESPONSES, InterventionIn, InterventionPatch, intervention_out

router = Router(tags=["care plan"])


@router.post("/patients/{patient_id}/plan/interventions", response=INTERVENTION_RESPONSES)
def create_intervention(request: AuthedRequest, patient_id: int, payload: InterventionIn) -> Status[Any]:
    """Clinicians with consent: add an intervention (owner defaults to you). Audited."""
    try:
        with api_field_names():
            item = do_create_intervention(actor(request), patient_id, to_model(payload.model_dump()))
    except PermissionError as exc:
        return refused(exc)
    return Status(201, intervention_out(item))


@router.patch("/patients/{patient_id}/plan/interventions/{intervention_id}", response=INTERVENTION_RESPONSES)
def update_intervention(
    request: AuthedRequest, patient_id: int, intervention_id: int, payload: InterventionPatch
) -> Status[Any]:
    """Clinicians with consent: change an intervention (only the fields sent). Audited."""
    data, expected = patch_data(payload)
    try:
        with api_field_names():
            item = do_update_intervention(
                actor(request), patient_id, intervention_id, to_model(data), expected_updated_at=expected
            )
    except (PermissionError, StaleEdit) as exc:
        return refused(exc)
    return Status(200, intervention_out(item))
