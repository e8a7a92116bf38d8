"""Side effects: note one (idempotent by client_id, as doses) and list them."""

from __future__ import annotations

from typing import Any

from ninja import Router, Status

from painmind.accounts.api import actor
from painmind.accounts.http import AuthedRequest
from painmind.lib.api import ErrorOut
from painmind.meds.access import get_meds_patient, get_side_effects_for_user
from painmind.meds.actions import SideEffectConflict, do_record_side_effect
from painmind.meds.api.schemas import ConflictOut, SideEffectIn, SideEffectOut, conflict
from painmind.meds.models import SideEffect

router = Router(tags=["meds"])


def _side_effect(request: AuthedRequest, patient_id: int | None, payload: SideEffectIn) -> Status[Any]:
    who = actor(request)
    patient = get_meds_patient(who, patient_id)
    try:
        entry, created = do_record_side_effect(
            who, patient, payload.dict(exclude={"client_id"}, exclude_unset=True), client_id=payload.client_id
        )
    except SideEffectConflict as exc:
        return conflict("side effect", exc.existing.pk)
    return Status(201 if created else 200, entry)


@router.post(
    "/meds/side-effects",
    response={201: SideEffectOut, 200: SideEffectOut, 404: ErrorOut, 409: ConflictOut, 422: ErrorOut},
)
def record_my_side_effect(request: AuthedRequest, payload: SideEffectIn) -> Status[Any]:
    """Note a side effect: what, how bad (0–10), which medicine if known."""
    return _side_effect(request, None, payload)


@router.post(
    "/patients/{patient_id}/meds/side-effects",
    response={201: SideEffectOut, 200: SideEffectOut, 404: ErrorOut, 409: ConflictOut, 422: ErrorOut},
)
def record_patient_side_effect(request: AuthedRequest, patient_id: int, payload: SideEffectIn) -> Status[Any]:
    return _side_effect(request, patient_id, payload)


@router.get("/meds/side-effects", response={200: list[SideEffectOut], 404: ErrorOut})
def list_my_side_effects(request: AuthedRequest) -> list[SideEffect]:
    return get_side_effects_for_user(actor(request))[1]


@router.get("/patients/{patient_id}/meds/side-effects", response={200: list[SideEffectOut], 404: ErrorOut})
def list_patient_side_effects(request: AuthedRequest, patient_id: int) -> list[SideEffect]:
    return get_side_effects_for_user(actor(request), patient_id)[1]
