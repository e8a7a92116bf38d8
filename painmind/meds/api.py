"""Medicines over JSON: the patient's own under /meds/…, a consenting patient's under
/patients/{id}/meds/… for clinicians (404 otherwise). Writes are the same actions as the pages:
field errors are a 422 naming each field; dose and side-effect retries with the same
`client_id` return the first entry (200) and a different body with it is a 409."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Literal

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from painmind.accounts.api import actor
from painmind.accounts.audit import record
from painmind.accounts.http import AuthedRequest
from painmind.accounts.models import AuditAction
from painmind.lib.api import ErrorOut
from painmind.meds import safety
from painmind.meds.access import (
    get_doses_for_user,
    get_meds_patient,
    get_regimen_for_user,
    get_regimens_for_user,
    get_side_effects_for_user,
)
from painmind.meds.actions import (
    DoseConflict,
    SideEffectConflict,
    do_add_regimen,
    do_log_dose,
    do_record_side_effect,
    do_stop_regimen,
    do_update_regimen,
)
from painmind.meds.models import DoseLog, Regimen, SideEffect

router = Router(tags=["meds"])


class ConflictOut(ErrorOut):
    existing_id: int


def _conflict(what: str, existing_id: int) -> Status[Any]:
    message = f"already used for a different {what}"
    return Status(
        409,
        {
            "detail": f"This client_id was {message}.",
            "errors": [{"field": "client_id", "message": message}],
            "existing_id": existing_id,
        },
    )


class RegimenIn(Schema):
    # A misspelt optional field would otherwise vanish silently.
    model_config = ConfigDict(extra="forbid")

    name: str = Field(..., description="The medicine as written on the box; matched to the catalogue.")
    strength: Decimal | None = None
    strength_unit: str = ""
    form: str = ""
    route: str = ""
    dose: Decimal = Field(..., description="Amount per dose, in dose_unit (patches: mcg/hr).")
    dose_unit: str
    schedule: Literal["times_a_day", "every_hours", "as_needed"]
    times_per_day: int | None = None
    every_hours: int | None = None
    max_per_day: int | None = Field(None, description="As needed: doses a day at most.")
    reason: str
    prescriber: int | None = Field(None, description="A clinician on the patient's care team (user id).")
    prescriber_name: str = Field("", description="Or the name of a prescriber outside the team.")
    started_on: date | None = None
    stopped_on: date | None = None
    notes: str = ""


class RegimenPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    strength: Decimal | None = None
    strength_unit: str | None = None
    form: str | None = None
    route: str | None = None
    dose: Decimal | None = None
    dose_unit: str | None = None
    schedule: Literal["times_a_day", "every_hours", "as_needed"] | None = None
    times_per_day: int | None = None
    every_hours: int | None = None
    max_per_day: int | None = None
    reason: str | None = None
    prescriber: int | None = None
    prescriber_name: str | None = None
    started_on: date | None = None
    notes: str | None = None


class RegimenOut(Schema):
    id: int
    patient_id: int
    name: str
    generic: str = Field(..., description="The catalogue's generic name; empty = unknown medicine, not checked.")
    strength: Decimal | None
    strength_unit: str
    form: str
    route: str
    dose: Decimal
    dose_unit: str
    schedule: str
    times_per_day: int | None
    every_hours: int | None
    max_per_day: int | None
    reason: str
    prescriber_id: int | None
    prescriber_name: str
    started_on: date
    stopped_on: date | None
    notes: str
    updated_at: datetime


class StopIn(Schema):
    model_config = ConfigDict(extra="forbid")
    stopped_on: date | None = Field(None, description="Default: today.")


class DoseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    status: Literal["taken", "skipped", "extra"]
    slot: int | None = Field(None, description="Scheduled doses: which of the day's doses (1…N).")
    taken_on: date | None = Field(None, description="Your local date; default today.")
    client_id: uuid.UUID | None = Field(None, description="Your key for this tick: a retry with it never duplicates.")


class DoseOut(Schema):
    id: int
    regimen_id: int
    taken_on: date
    slot: int
    status: str
    client_id: uuid.UUID | None


class SideEffectIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: str
    text: str = ""
    severity: int = Field(..., description="How bad, 0–10.")
    regimen: int | None = Field(None, description="Which medicine, if known.")
    noted_on: date | None = None
    client_id: uuid.UUID | None = None


class SideEffectOut(Schema):
    id: int
    regimen_id: int | None
    kind: str
    text: str
    severity: int
    noted_on: date
    client_id: uuid.UUID | None


class HitOut(Schema):
    rule_id: str
    severity: str
    basis: str
    action: str
    drugs: list[str]
    unverified: bool


class CheckOut(Schema):
    mme_per_day: float = Field(..., description="Sum over opioids with a 2022 factor (clinical-reference §2.1).")
    mme_complete: bool = Field(..., description="False: an opioid has no factor, so the total is 'at least'.")
    missing_factor: list[str]
    rules: list[HitOut]


class PatientCheckOut(Schema):
    notes: list[str] = Field(..., description="Calm notes for the patient; never a dose.")


class Window(Schema):
    since: date | None = None
    until: date | None = None


# --- regimens ---------------------------------------------------------------------------------


@router.get("/meds/regimens", response=list[RegimenOut])
def list_my_regimens(request: AuthedRequest) -> list[Regimen]:
    """Your medicines, current first, then stopped."""
    return get_regimens_for_user(actor(request))[1]


@router.get("/patients/{patient_id}/meds/regimens", response={200: list[RegimenOut], 404: ErrorOut})
def list_patient_regimens(request: AuthedRequest, patient_id: int) -> list[Regimen]:
    """Clinicians: a consenting patient's medicines. Audited."""
    return get_regimens_for_user(actor(request), patient_id)[1]


@router.post("/meds/regimens", response={201: RegimenOut, 422: ErrorOut})
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


@router.get("/meds/regimens/{regimen_id}/fhir", response={200: dict[str, Any], 404: ErrorOut})
def regimen_fhir(request: AuthedRequest, regimen_id: int) -> dict[str, object]:
    """The regimen as a FHIR R4 MedicationStatement (clinical-reference §4.4). Audited."""
    who = actor(request)
    regimen = get_regimen_for_user(who, regimen_id)
    record(who, regimen.patient, AuditAction.EXPORT, "regimen", object_id=regimen.pk, detail="FHIR MedicationStatement")
    return safety.medication_statement(regimen)


# --- doses and side effects -------------------------------------------------------------------


@router.post(
    "/meds/regimens/{regimen_id}/doses",
    response={201: DoseOut, 200: DoseOut, 404: ErrorOut, 409: ConflictOut, 422: ErrorOut},
)
def log_dose(request: AuthedRequest, regimen_id: int, payload: DoseIn) -> Status[Any]:
    """Tick a dose: 201 stored (or a slot corrected), 200 an identical retry, 409 a reused key."""
    who = actor(request)
    regimen = get_regimen_for_user(who, regimen_id)
    try:
        tick, created = do_log_dose(
            who,
            regimen,
            status=payload.status,
            slot=payload.slot,
            taken_on=payload.taken_on,
            client_id=payload.client_id,
        )
    except DoseConflict as exc:
        return _conflict("dose", exc.existing.pk)
    return Status(201 if created else 200, tick)


def _window(window: Window) -> tuple[date, date]:
    until = window.until or timezone.localdate()
    return window.since or until - timedelta(days=27), until


@router.get("/meds/doses", response=list[DoseOut])
def list_my_doses(request: AuthedRequest, window: Query[Window]) -> list[DoseLog]:
    """Your ticks between two local dates (default the last 28 days), oldest first."""
    since, until = _window(window)
    return get_doses_for_user(actor(request), None, since=since, until=until)[1]


@router.get("/patients/{patient_id}/meds/doses", response={200: list[DoseOut], 404: ErrorOut})
def list_patient_doses(request: AuthedRequest, patient_id: int, window: Query[Window]) -> list[DoseLog]:
    since, until = _window(window)
    return get_doses_for_user(actor(request), patient_id, since=since, until=until)[1]


def _side_effect(request: AuthedRequest, patient_id: int | None, payload: SideEffectIn) -> Status[Any]:
    who = actor(request)
    patient = get_meds_patient(who, patient_id)
    try:
        entry, created = do_record_side_effect(
            who, patient, payload.dict(exclude={"client_id"}, exclude_unset=True), client_id=payload.client_id
        )
    except SideEffectConflict as exc:
        return _conflict("side effect", exc.existing.pk)
    return Status(201 if created else 200, entry)


@router.post("/meds/side-effects", response={201: SideEffectOut, 200: SideEffectOut, 409: ConflictOut, 422: ErrorOut})
def record_my_side_effect(request: AuthedRequest, payload: SideEffectIn) -> Status[Any]:
    """Note a side effect: what, how bad (0–10), which medicine if known."""
    return _side_effect(request, None, payload)


@router.post(
    "/patients/{patient_id}/meds/side-effects",
    response={201: SideEffectOut, 200: SideEffectOut, 404: ErrorOut, 409: ConflictOut, 422: ErrorOut},
)
def record_patient_side_effect(request: AuthedRequest, patient_id: int, payload: SideEffectIn) -> Status[Any]:
    return _side_effect(request, patient_id, payload)


@router.get("/meds/side-effects", response=list[SideEffectOut])
def list_my_side_effects(request: AuthedRequest) -> list[SideEffect]:
    return get_side_effects_for_user(actor(request))[1]


@router.get("/patients/{patient_id}/meds/side-effects", response={200: list[SideEffectOut], 404: ErrorOut})
def list_patient_side_effects(request: AuthedRequest, patient_id: int) -> list[SideEffect]:
    return get_side_effects_for_user(actor(request), patient_id)[1]


# --- the safety check -------------------------------------------------------------------------


@router.get("/meds/check", response=PatientCheckOut)
def my_check(request: AuthedRequest) -> dict[str, Any]:
    """What the check means for you, in plain words (your care team sees the details)."""
    patient, regimens = get_regimens_for_user(actor(request))
    result = safety.check_regimens(regimens, timezone.localdate(timezone=patient.tzinfo))
    return {"notes": safety.patient_notes(result.rules)}


@router.get("/patients/{patient_id}/meds/check", response={200: CheckOut, 404: ErrorOut})
def patient_check(request: AuthedRequest, patient_id: int) -> dict[str, Any]:
    """Clinicians: MME/day (complete or "at least") and every rule hit with its basis. Review
    prompts, never blocks (clinical-reference §2.2)."""
    patient, regimens = get_regimens_for_user(actor(request), patient_id)
    result = safety.check_regimens(regimens, timezone.localdate(timezone=patient.tzinfo))
    return {
        "mme_per_day": result.mme_per_day,
        "mme_complete": result.mme_complete,
        "missing_factor": list(result.missing_factor),
        "rules": [{**asdict(h), "drugs": list(h.drugs)} for h in result.rules],
    }
