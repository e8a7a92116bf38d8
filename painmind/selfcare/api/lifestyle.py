"""Lifestyle fields (issue 13): one entry per person and local day, and the fields they keep.

`PUT /lifestyle/{date}` replaces that day's entry (idempotent: the same body twice leaves one
identical entry; a field left out is empty, i.e. missing, never 0). Every field is accepted
whatever the person chose to keep: the choice shapes the web form, not what may be stored.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from ninja import Field, Query, Router, Schema

from painmind.accounts.api import actor
from painmind.accounts.http import AuthedRequest
from painmind.core.selfcare.lifestyle import GROUPS, KIND_MAX_CHARS
from painmind.lib.api import ErrorOut
from painmind.lib.schemas import Day, In, Text
from painmind.selfcare.access import get_lifestyle_choice_for_user, get_lifestyle_for_user
from painmind.selfcare.actions import do_choose_lifestyle_fields, do_save_lifestyle
from painmind.selfcare.models import LifestyleEntry

router = Router(tags=["self-management"])


class LifestyleIn(In):
    exercise_kind: Text | None = Field(None, max_length=KIND_MAX_CHARS, description="e.g. walking")
    exercise_minutes: int | None = Field(None, description="0–1440")
    meals: int | None = Field(None, description="0–10")
    fruit_veg_portions: int | None = Field(None, description="0–30")
    caffeine_drinks: int | None = Field(None, description="0–30")
    alcohol_drinks: int | None = Field(None, description="0–50")
    outdoors_minutes: int | None = Field(None, description="0–1440")
    with_others_minutes: int | None = Field(None, description="0–1440")
    loneliness: int | None = Field(None, description="0–10")
    role_done: Literal["none", "some", "all"] | None = Field(None, description="Work or usual role done.")


class LifestyleOut(Schema):
    date: date
    exercise_kind: str | None
    exercise_minutes: int | None
    meals: int | None
    fruit_veg_portions: int | None
    caffeine_drinks: int | None
    alcohol_drinks: int | None
    outdoors_minutes: int | None
    with_others_minutes: int | None
    loneliness: int | None
    role_done: str | None


class Range(Schema):
    since: Day | None = Field(None, alias="from", description="First local day (inclusive).")
    until: Day | None = Field(None, alias="to", description="Last local day (inclusive).")


class ChoiceIn(In):
    fields: list[str] = Field(description=f"Groups to keep: {', '.join(GROUPS)} (empty: none).")


class ChoiceOut(Schema):
    fields: list[str]
    available: list[str]


def entry_out(e: LifestyleEntry) -> dict[str, Any]:
    out = {name: getattr(e, name) for name in LifestyleOut.model_fields if name != "date"}
    out["exercise_kind"] = e.exercise_kind or None
    out["role_done"] = e.role_done or None
    return {"date": e.local_on, **out}


# The fixed /lifestyle/fields paths come before /lifestyle/{day}, which would match them.
@router.get("/lifestyle/fields", response={200: ChoiceOut, 404: ErrorOut})
def my_lifestyle_fields(request: AuthedRequest) -> dict[str, Any]:
    """Patients: the groups of lifestyle fields you keep (none by default)."""
    return {"fields": get_lifestyle_choice_for_user(actor(request))[1], "available": list(GROUPS)}


@router.put("/lifestyle/fields", response={200: ChoiceOut, 404: ErrorOut, 422: ErrorOut})
def choose_lifestyle_fields(request: AuthedRequest, payload: ChoiceIn) -> dict[str, Any]:
    """Patients: choose the groups of lifestyle fields you keep."""
    row = do_choose_lifestyle_fields(actor(request), payload.fields)
    return {"fields": row.groups, "available": list(GROUPS)}


@router.put("/lifestyle/{day}", response={200: LifestyleOut, 404: ErrorOut, 422: ErrorOut})
def save_lifestyle(request: AuthedRequest, day: Day, payload: LifestyleIn) -> dict[str, Any]:
    """Patients: set a local day's lifestyle fields (replaces that day's entry)."""
    return entry_out(do_save_lifestyle(actor(request), day, payload.model_dump(exclude_none=True)))


@router.get("/lifestyle", response={200: list[LifestyleOut], 404: ErrorOut, 422: ErrorOut})
def my_lifestyle(request: AuthedRequest, window: Query[Range]) -> list[dict[str, Any]]:
    """Patients: your lifestyle days in [from, to], newest first."""
    _, entries = get_lifestyle_for_user(actor(request), since=window.since, until=window.until)
    return [entry_out(e) for e in entries]


@router.get("/patients/{patient_id}/lifestyle", response={200: list[LifestyleOut], 404: ErrorOut, 422: ErrorOut})
def patient_lifestyle(request: AuthedRequest, patient_id: int, window: Query[Range]) -> list[dict[str, Any]]:
    """Clinicians with consent, while the patient shares lifestyle fields (the default). Audited."""
    _, entries = get_lifestyle_for_user(actor(request), patient_id, since=window.since, until=window.until)
    return [entry_out(e) for e in entries]
