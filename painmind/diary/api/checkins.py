"""Check-ins over JSON: the patient's own, and a consenting patient's for clinicians."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictFloat, StrictInt

from painmind.accounts.access import get_own_patient
from painmind.accounts.api import actor
from painmind.accounts.audit import Actor
from painmind.accounts.http import AuthedRequest
from painmind.core.checkin import NOTE_MAX_CHARS, SCALE_BY_NAME
from painmind.diary.access import get_checkin_history_for_user, get_checkins_for_user, get_own_checkin_for_user
from painmind.diary.actions import CheckInConflict, do_delete_checkin, do_edit_checkin, do_record_checkin
from painmind.diary.api.conflicts import ConflictOut, conflict
from painmind.diary.models import CheckIn
from painmind.lib.api import ErrorOut
from painmind.lib.schemas import AwareMoment, In, Text

router = Router(tags=["diary"])


def scale_field(name: str, default: object = ...) -> Any:
    """A pydantic field whose bounds and description come from the core check-in scale."""
    scale = SCALE_BY_NAME[name]
    desc = f"{scale.label}, {scale.lo:g}–{scale.hi:g}"
    if scale.low_anchor:
        desc += f" ({scale.lo:g} = {scale.low_anchor}, {scale.hi:g} = {scale.high_anchor})"
    elif scale.unit:
        desc += f" {scale.unit}"
    return Field(default, ge=scale.lo, le=scale.hi, description=desc)


class CheckInIn(In):
    recorded_at: AwareMoment | None = Field(None, description="When the entry describes; default now.")
    client_id: uuid.UUID | None = Field(None, description="Your key for this entry: a retry with it never duplicates.")
    pain: StrictInt = scale_field("pain")
    mood: StrictInt = scale_field("mood")
    pain_interference: StrictInt | None = scale_field("pain_interference", None)
    anxiety: StrictInt | None = scale_field("anxiety", None)
    stress: StrictInt | None = scale_field("stress", None)
    sleep_hours: StrictFloat | StrictInt | None = scale_field("sleep_hours", None)
    sleep_quality: StrictInt | None = scale_field("sleep_quality", None)
    activity_minutes: StrictInt | None = scale_field("activity_minutes", None)
    social: StrictInt | None = scale_field("social", None)
    pain_locations: list[Text] = Field(default_factory=list, description="Body-region codes (docs/checkin.md).")
    tags: list[Text] = Field(default_factory=list)
    note: Text = Field("", max_length=NOTE_MAX_CHARS)


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
    edited_at: datetime | None = Field(description="When the patient last edited it; null if never.")


class CheckInPatch(In):
    """Only the fields sent change; null clears an optional one. No client_id: an entry keeps its key."""

    recorded_at: AwareMoment | None = Field(None, description="Move the entry to this instant.")
    pain: StrictInt | None = scale_field("pain", None)
    mood: StrictInt | None = scale_field("mood", None)
    pain_interference: StrictInt | None = scale_field("pain_interference", None)
    anxiety: StrictInt | None = scale_field("anxiety", None)
    stress: StrictInt | None = scale_field("stress", None)
    sleep_hours: StrictFloat | StrictInt | None = scale_field("sleep_hours", None)
    sleep_quality: StrictInt | None = scale_field("sleep_quality", None)
    activity_minutes: StrictInt | None = scale_field("activity_minutes", None)
    social: StrictInt | None = scale_field("social", None)
    pain_locations: list[Text] | None = Field(None, description="Body-region codes (docs/checkin.md).")
    tags: list[Text] | None = None
    note: Text | None = Field(None, max_length=NOTE_MAX_CHARS)


class RevisionOut(Schema):
    kind: str = Field(description="edit or delete")
    changed_at: datetime
    changed_by_id: int | None
    content: dict[str, Any] = Field(description="The entry before this change: its fields, recorded_at, local_on.")


class CheckInHistoryOut(Schema):
    checkin_id: int
    current: CheckInOut | None = Field(description="The entry as it is now; null once deleted.")
    revisions: list[RevisionOut] = Field(description="Newest first.")


class Window(Schema):
    since: AwareMoment | None = Field(None, description="Only entries recorded at or after this instant.")
    until: AwareMoment | None = Field(None, description="Only entries recorded before this instant.")
    limit: int | None = Field(None, ge=1, le=10000)


@router.post("/checkins", response={201: CheckInOut, 200: CheckInOut, 404: ErrorOut, 409: ConflictOut, 422: ErrorOut})
def create_checkin(request: AuthedRequest, payload: CheckInIn) -> Status[Any]:
    """Record a check-in: 201 when stored, 200 when `client_id` replays an identical entry,
    409 when `client_id` was used for different content."""
    who = actor(request)
    patient = get_own_patient(who)
    data = payload.dict(exclude={"recorded_at", "client_id"})
    try:
        entry, created = do_record_checkin(
            who, patient, data, recorded_at=payload.recorded_at, client_id=payload.client_id
        )
    except CheckInConflict as exc:
        deleted = "already used for a check-in that you have since deleted" if exc.deleted else None
        return conflict("check-in", exc.existing_id, message=deleted)
    return Status(201 if created else 200, entry)


@router.get("/checkins", response={200: list[CheckInOut], 404: ErrorOut})
def list_checkins(request: AuthedRequest, window: Query[Window]) -> list[CheckIn]:
    """Your own check-ins, newest first."""
    _, entries = get_checkins_for_user(actor(request), since=window.since, until=window.until, limit=window.limit)
    return entries


@router.get("/patients/{patient_id}/checkins", response={200: list[CheckInOut], 404: ErrorOut})
def patient_checkins(request: AuthedRequest, patient_id: int, window: Query[Window]) -> list[CheckIn]:
    """Clinicians: a consenting patient's check-ins (404 without active consent). Audited."""
    _, entries = get_checkins_for_user(
        actor(request), patient_id, since=window.since, until=window.until, limit=window.limit
    )
    return entries


@router.patch("/checkins/{checkin_id}", response={200: CheckInOut, 404: ErrorOut, 422: ErrorOut})
def edit_checkin(request: AuthedRequest, checkin_id: int, payload: CheckInPatch) -> CheckIn:
    """Change some fields of one of your check-ins, validated as a new one is. The earlier
    content is kept (`GET /checkins/{id}/revisions`) and your care team sees it was edited."""
    who = actor(request)
    entry = get_own_checkin_for_user(who, checkin_id)
    data = payload.dict(exclude_unset=True, exclude={"recorded_at"})
    return do_edit_checkin(who, entry, data, recorded_at=payload.recorded_at)


@router.delete("/checkins/{checkin_id}", response={204: None, 404: ErrorOut})
def delete_checkin(request: AuthedRequest, checkin_id: int) -> Status[None]:
    """Delete one of your check-ins: no page, export or analysis counts it any more. Its content
    is kept in its history, and a retry of its `client_id` answers 409 instead of storing it again."""
    who = actor(request)
    do_delete_checkin(who, get_own_checkin_for_user(who, checkin_id))
    return Status(204, None)


def _history(who: Actor, patient_id: int | None, checkin_id: int) -> dict[str, Any]:
    _, history = get_checkin_history_for_user(who, patient_id, checkin_id)
    return {"checkin_id": history.checkin_id, "current": history.entry, "revisions": history.revisions}


@router.get("/checkins/{checkin_id}/revisions", response={200: CheckInHistoryOut, 404: ErrorOut})
def checkin_history(request: AuthedRequest, checkin_id: int) -> dict[str, Any]:
    """One of your check-ins as it is and as it was before each edit (or its deletion)."""
    return _history(actor(request), None, checkin_id)


@router.get("/patients/{patient_id}/checkins/{checkin_id}/revisions", response={200: CheckInHistoryOut, 404: ErrorOut})
def patient_checkin_history(request: AuthedRequest, patient_id: int, checkin_id: int) -> dict[str, Any]:
    """Clinicians: a consenting patient's check-in before each of their edits. Audited."""
    return _history(actor(request), patient_id, checkin_id)
