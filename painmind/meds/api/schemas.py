"""The shapes of the medicines API (requests and responses) and the 409 a reused client_id gets."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema, Status

from painmind.lib.api import ErrorOut
from painmind.lib.schemas import Day, In, Text


class ConflictOut(ErrorOut):
    existing_id: int


def conflict(what: str, existing_id: int) -> Status[Any]:
    message = f"already used for a different {what}"
    return Status(
        409,
        {
            "detail": f"This client_id was {message}.",
            "errors": [{"field": "client_id", "message": message}],
            "existing_id": existing_id,
        },
    )


class RegimenIn(In):
    name: Text = Field(..., description="The medicine as written on the box; matched to the catalogue.")
    strength: Decimal | None = None
    strength_unit: Text = ""
    form: Text = ""
    route: Text = ""
    dose: Decimal = Field(..., description="Amount per dose, in dose_unit (patches: mcg/hr).")
    dose_unit: Text
    schedule: Literal["times_a_day", "every_hours", "as_needed"]
    times_per_day: int | None = None
    every_hours: int | None = None
    max_per_day: int | None = Field(None, description="As needed: doses a day at most.")
    reason: Text
    prescriber: int | None = Field(None, description="A clinician on the patient's care team (user id).")
    prescriber_name: Text = Field("", description="Or the name of a prescriber outside the team.")
    started_on: Day | None = None
    stopped_on: Day | None = None
    notes: Text = ""


class RegimenPatch(In):
    name: Text | None = None
    strength: Decimal | None = None
    strength_unit: Text | None = None
    form: Text | None = None
    route: Text | None = None
    dose: Decimal | None = None
    dose_unit: Text | None = None
    schedule: Literal["times_a_day", "every_hours", "as_needed"] | None = None
    times_per_day: int | None = None
    every_hours: int | None = None
    max_per_day: int | None = None
    reason: Text | None = None
    prescriber: int | None = None
    prescriber_name: Text | None = None
    started_on: Day | None = None
    notes: Text | None = None


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


class StopIn(In):
    stopped_on: Day | None = Field(None, description="Default: today.")


class DoseIn(In):
    status: Literal["taken", "skipped", "extra"]
    slot: int | None = Field(None, description="Scheduled doses: which of the day's doses (1…N).")
    taken_on: Day | None = Field(None, description="Your local date; default today.")
    client_id: uuid.UUID | None = Field(None, description="Your key for this tick: a retry with it never duplicates.")


class DoseOut(Schema):
    id: int
    regimen_id: int
    taken_on: date
    slot: int
    status: str
    client_id: uuid.UUID | None


class SideEffectIn(In):
    kind: Text
    text: Text = ""
    severity: int = Field(..., description="How bad, 0–10.")
    regimen: int | None = Field(None, description="Which medicine, if known.")
    noted_on: Day | None = None
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
    since: Day | None = None
    until: Day | None = None
