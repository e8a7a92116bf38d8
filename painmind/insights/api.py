"""The cycle analysis over JSON."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Router, Schema

from painmind.accounts.api import actor
from painmind.accounts.http import AuthedRequest
from painmind.insights.access import get_cycle_for_user
from painmind.insights.actions import do_refresh_cycle_for_user
from painmind.insights.models import CycleAnalysis
from painmind.lib.api import ErrorOut

router = Router(tags=["insights"])


class CycleOut(Schema):
    patient_id: int
    computed_at: datetime
    n_days: int
    first_day: str | None
    last_day: str | None
    fit: dict[str, Any]
    helps: list[dict[str, Any]]


def cycle_out(analysis: CycleAnalysis) -> dict[str, Any]:
    return {"patient_id": analysis.patient_id, "computed_at": analysis.computed_at, **analysis.result}


@router.get("/cycle", response={200: CycleOut, 404: ErrorOut})
def my_cycle(request: AuthedRequest) -> dict[str, Any]:
    """Your pain–mood cycle (yesterday → today, both directions) and "what helps me" findings."""
    who = actor(request)
    do_refresh_cycle_for_user(who)
    return cycle_out(get_cycle_for_user(who)[1])


@router.get("/patients/{patient_id}/cycle", response={200: CycleOut, 404: ErrorOut})
def patient_cycle(request: AuthedRequest, patient_id: int) -> dict[str, Any]:
    """Clinicians: a consenting patient's cycle analysis (404 without active consent). Audited."""
    who = actor(request)
    do_refresh_cycle_for_user(who, patient_id)
    return cycle_out(get_cycle_for_user(who, patient_id)[1])
