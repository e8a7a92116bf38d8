"""Regimens: list, add (the patient's own or, for a consenting clinician, a patient's), change, stop."""

from __future__ import annotations

from typing import Any

from ninja import Router, Status

from painmind.accounts.api import actor
from painmind.accounts.http import AuthedRequest
from painmind.lib.api import ErrorOut
from painmind.meds.access import get_meds_patient, get_regimen_for_user, get_regimens_for_user
from painmind.meds.actions import do_add_regimen, do_stop_regimen, do_update_regimen
from painmind.meds.api.schemas import RegimenIn, RegimenOut, RegimenPatch, StopIn
from painmind.meds.models import Regimen

router = Router(tags=["meds"])


@router.get("/meds/regimens", response={200: list[RegimenOut], 404: ErrorOut})
def list_my_regimens(request: AuthedRequest) -> list[Regimen]:
    """Your medicines, current first, then stopped."""
    return get_regimens_for_user(actor(request))[1]


@router.get("/patients/{patient_id}/meds/regimens", response={200: list[RegimenOut], 404: ErrorOut})
def list_patient_regimens(request: AuthedRequest, patient_id: int) -> list[Regimen]:
    """Clinicians: a consenting patient's medicines. Audited."""
    return get_regimens_for_user(actor(request), patient_id)[1]


@router.post("/meds/regimens", response={201: RegimenOut, 404: ErrorOut, 422: ErrorOut})
def add_my_regimen(request: AuthedRequest, payload: RegimenIn) -> Status[Any]:
    """Add one of your medicines; the safety check runs at once."""
    who = actor(request)
    return Status(201, do_add_regimen(who, get_meds_patient(who), payload.dict()))


@router.post("/patients/{patient_id}/meds/regimens", response={201: RegimenOut, 404: ErrorOut, 422: ErrorOut})
def add_patient_regimen(request: AuthedRequest, patient_id: int, payload: RegimenIn) -> Status[Any]:
    """Clinicians: add a medicine for a consenting patient. Audited; kept in its history."""
    who = actor(request)
    return Status(201, do_add_regimen(who, get_meds_patient(who, patient_id), payload.dict()))


@router.patch("/meds/regimens/{regimen_id}", response={200: RegimenOut, 404: ErrorOut, 422: ErrorOut})
def update_regimen(request: AuthedRequest, regimen_id: int, payload: RegimenPatch) -> Regimen:
    """Change the fields sent (the patient's own, or a consenting patient's for clinicians)."""
    who = actor(request)
    return do_update_regimen(who, get_regimen_for_user(who, regimen_id), payload.dict(exclude_unset=True))


@router.post("/meds/regimens/{regimen_id}/stop", response={200: RegimenOut, 404: ErrorOut, 422: ErrorOut})
def stop_regimen(request: AuthedRequest, regimen_id: int, payload: StopIn) -> Regimen:
    """Stop a medicine (today by default); it stays listed, stopped."""
    who = actor(request)
    return do_stop_regimen(who, get_regimen_for_user(who, regimen_id), payload.stopped_on)
