"""`POST /api/v1/checkins`: bearer token by digest, validated body, one insert, 201 with the row."""

from __future__ import annotations

import hashlib
import uuid
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError
from django.http import HttpRequest
from django.urls import path
from django.utils import timezone
from ninja import Field, NinjaAPI, Schema, Status
from ninja.security import HttpBearer
from pydantic import AwareDatetime, ConfigDict, StrictFloat, StrictInt

from benchmarks.floor.models import BOUNDS, NOTE_MAX_CHARS, CheckIn, Patient, Token


class Bearer(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Patient | None:
        if not token.startswith("pm_"):
            return None
        digest = hashlib.sha256(token.encode()).hexdigest()
        row = (
            Token._default_manager.select_related("patient")
            .filter(digest=digest, revoked_at__isnull=True, patient__is_active=True)
            .first()
        )
        return row.patient if row is not None else None


def bounded(name: str, default: object = ...) -> Any:
    lo, hi, _ = BOUNDS[name]
    return Field(default, ge=lo, le=hi)


class CheckInIn(Schema):
    model_config = ConfigDict(extra="forbid")

    recorded_at: AwareDatetime | None = None
    client_id: uuid.UUID | None = None
    pain: StrictInt = bounded("pain")
    mood: StrictInt = bounded("mood")
    pain_interference: StrictInt | None = bounded("pain_interference", None)
    anxiety: StrictInt | None = bounded("anxiety", None)
    stress: StrictInt | None = bounded("stress", None)
    sleep_hours: StrictFloat | StrictInt | None = bounded("sleep_hours", None)
    sleep_quality: StrictInt | None = bounded("sleep_quality", None)
    activity_minutes: StrictInt | None = bounded("activity_minutes", None)
    social: StrictInt | None = bounded("social", None)
    pain_locations: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    note: str = Field("", max_length=NOTE_MAX_CHARS)


class CheckInOut(Schema):
    id: int
    patient_id: int
    recorded_at: datetime
    local_on: date
    pain: int
    mood: int
    pain_interference: int | None
    anxiety: int | None
    stress: int | None
    sleep_hours: float | None
    sleep_quality: int | None
    activity_minutes: int | None
    social: int | None
    pain_locations: list[str]
    tags: list[str]
    note: str
    client_id: uuid.UUID | None
    created_at: datetime


class ErrorOut(Schema):
    detail: str


api = NinjaAPI(title="floor", urls_namespace="floor", auth=Bearer(), docs_url=None, openapi_url=None)


@api.post("/checkins", response={201: CheckInOut, 409: ErrorOut})
def create_checkin(request: HttpRequest, payload: CheckInIn) -> Status[Any]:
    patient: Patient = request.auth  # type: ignore[attr-defined]
    now = timezone.now()
    at = payload.recorded_at or now
    try:
        entry = CheckIn._default_manager.create(
            patient=patient,
            local_on=at.astimezone(ZoneInfo(patient.time_zone)).date(),
            created_at=now,
            created_by=patient,
            **payload.dict(exclude={"recorded_at"}),
            recorded_at=at,
        )
    except IntegrityError:
        return Status(409, {"detail": "This client_id was already used."})
    return Status(201, entry)


urlpatterns = [path("api/v1/", api.urls)]
