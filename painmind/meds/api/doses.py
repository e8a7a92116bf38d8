"""Dose ticks: one tick (201 stored or corrected, 200 an identical retry, 409 a reused key) and
the ticks between two local dates."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from ninja import Query, Router, Status

from painmind.accounts.api import actor
from painmind.accounts.http import AuthedRequest
from painmind.lib.api import ErrorOut
from painmind.meds.access import get_doses_for_user, get_regimen_for_user
from painmind.meds.actions import DoseConflict, do_log_dose
from painmind.meds.api.schemas import ConflictOut, DoseIn, DoseOut, Window, conflict
from painmind.meds.models import DoseLog

router = Router(tags=["meds"])


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
        return conflict("dose", exc.existing.pk)
    return Status(201 if created else 200, tick)


def _window(window: Window) -> tuple[date, date]:
    until = window.until or timezone.localdate()
    return window.since or until - timedelta(days=27), until


@router.get("/meds/doses", response={200: list[DoseOut], 404: ErrorOut})
def list_my_doses(request: AuthedRequest, window: Query[Window]) -> list[DoseLog]:
    """Your ticks between two local dates (default the last 28 days), oldest first."""
    since, until = _window(window)
    return get_doses_for_user(actor(request), None, since=since, until=until)[1]


@router.get("/patients/{patient_id}/meds/doses", response={200: list[DoseOut], 404: ErrorOut})
def list_patient_doses(request: AuthedRequest, patient_id: int, window: Query[Window]) -> list[DoseLog]:
    since, until = _window(window)
    return get_doses_for_user(actor(request), patient_id, since=since, until=until)[1]
