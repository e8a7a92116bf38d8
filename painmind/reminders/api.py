"""Reminder preferences over the API: the patient's own, read and set."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.utils import timezone
from ninja import Field, Router, Schema

from painmind.accounts.api import actor
from painmind.accounts.http import AuthedRequest
from painmind.core.reminders import next_reminder_at
from painmind.lib.api import ErrorOut
from painmind.lib.schemas import In
from painmind.reminders.access import get_reminder_preference_for_user
from painmind.reminders.actions import do_set_reminder_preference
from painmind.reminders.models import ReminderPreference

router = Router(tags=["reminders"])


class ReminderIn(In):
    checkin_enabled: bool
    checkin_time: time | None = None
    questionnaires_enabled: bool


class ReminderOut(Schema):
    checkin_enabled: bool
    # Local wall-clock time without an offset: RFC 3339 "partial-time", not "time" (which has one).
    checkin_time: time = Field(..., json_schema_extra={"format": "partial-time"})
    questionnaires_enabled: bool
    time_zone: str
    next_reminder_at: datetime | None


def reminder_out(pref: ReminderPreference) -> dict[str, Any]:
    on = pref.pk is not None and (pref.checkin_enabled or pref.questionnaires_enabled)
    return {
        "checkin_enabled": pref.checkin_enabled,
        "checkin_time": pref.checkin_time,
        "questionnaires_enabled": pref.questionnaires_enabled,
        "time_zone": pref.patient.time_zone,
        "next_reminder_at": next_reminder_at(timezone.now(), pref.checkin_time, pref.patient.tzinfo) if on else None,
    }


@router.get("/reminders", response={200: ReminderOut, 404: ErrorOut})
def get_reminders(request: AuthedRequest) -> dict[str, Any]:
    """Patients: your reminder settings (all off until you set them); times are in your own zone."""
    return reminder_out(get_reminder_preference_for_user(actor(request)))


@router.put("/reminders", response={200: ReminderOut, 404: ErrorOut, 422: ErrorOut})
def set_reminders(request: AuthedRequest, payload: ReminderIn) -> dict[str, Any]:
    """Patients: turn reminders on or off; `checkin_time` (HH:MM, your local time) is needed when any is on."""
    pref = do_set_reminder_preference(
        actor(request),
        checkin_enabled=payload.checkin_enabled,
        checkin_time=payload.checkin_time,
        questionnaires_enabled=payload.questionnaires_enabled,
    )
    return reminder_out(pref)
