"""Behavioural activation (clinical-reference §9.3): activities with a life area, mastery and
pleasure 0–10; planned for coming days, done, and planned vs done."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from painmind.accounts.api import actor
from painmind.accounts.http import AuthedRequest
from painmind.accounts.models import User
from painmind.core.selfcare.activation import planned_vs_done
from painmind.lib.api import ErrorOut
from painmind.selfcare.access import get_activities_for_user
from painmind.selfcare.actions import do_add_activity, do_mark_activity_done
from painmind.selfcare.models import Activity

router = Router(tags=["self-management"])


class ActivityIn(Schema):
    model_config = ConfigDict(extra="forbid")
    name: str
    life_area: str = Field(description="relationships, work, home, health, leisure, community or other.")
    mastery: int | None = Field(None, description="0–10, once done.")
    pleasure: int | None = Field(None, description="0–10, once done.")
    planned_on: date | None = Field(None, description="A coming day (today up to 28 days ahead).")
    done_on: date | None = Field(None, description="The day it was done (not in the future).")


class DoneIn(Schema):
    model_config = ConfigDict(extra="forbid")
    done_on: date | None = Field(None, description="Default today.")
    mastery: int | None = None
    pleasure: int | None = None


class ActivityOut(Schema):
    id: int
    name: str
    life_area: str
    mastery: int | None
    pleasure: int | None
    planned_on: date | None
    done_on: date | None


class PlannedVsDoneOut(Schema):
    due: int = Field(description="Planned activities whose day has come (or that were done).")
    done_as_planned: int
    ahead: int
    unplanned_done: int


class ActivitiesOut(Schema):
    activities: list[ActivityOut]
    planned_vs_done: PlannedVsDoneOut


def activity_out(a: Activity) -> dict[str, Any]:
    return {
        "id": a.pk,
        "name": a.name,
        "life_area": a.life_area,
        "mastery": a.mastery,
        "pleasure": a.pleasure,
        "planned_on": a.planned_on,
        "done_on": a.done_on,
    }


def activities_out(patient: User, items: list[Activity]) -> dict[str, Any]:
    counts = planned_vs_done(((a.planned_on, a.done_on) for a in items), timezone.localdate(timezone=patient.tzinfo))
    return {"activities": [activity_out(a) for a in items], "planned_vs_done": counts.__dict__}


@router.post("/activities", response={201: ActivityOut, 404: ErrorOut, 422: ErrorOut})
def add_activity(request: AuthedRequest, payload: ActivityIn) -> Status[Any]:
    """Patients: plan an activity for a coming day, or log one done with mastery and pleasure."""
    return Status(201, activity_out(do_add_activity(actor(request), payload.model_dump())))


@router.post("/activities/{activity_id}/done", response={200: ActivityOut, 404: ErrorOut, 422: ErrorOut})
def mark_activity_done(request: AuthedRequest, activity_id: int, payload: DoneIn) -> dict[str, Any]:
    """Patients: mark a planned activity done, with mastery and pleasure."""
    return activity_out(do_mark_activity_done(actor(request), activity_id, payload.model_dump()))


@router.get("/activities", response={200: ActivitiesOut, 404: ErrorOut})
def my_activities(request: AuthedRequest) -> dict[str, Any]:
    """Patients: your activities, newest first, and planned vs done."""
    return activities_out(*get_activities_for_user(actor(request)))


@router.get("/patients/{patient_id}/activities", response={200: ActivitiesOut, 404: ErrorOut})
def patient_activities(request: AuthedRequest, patient_id: int) -> dict[str, Any]:
    """Clinicians with consent, while the patient shares activities (the default). Audited."""
    return activities_out(*get_activities_for_user(actor(request), patient_id))
