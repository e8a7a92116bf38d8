"""Ticking today's doses: taken / skipped per scheduled slot, or an as-needed dose taken.

Idempotent like check-ins: a retried tick with the same `client_id` returns the first one
(``created=False``) when it says the same, and raises `DoseConflict` when it does not. A new
tick (a new key) on a slot already ticked corrects it: the latest answer stands — also when two
devices tick the same dose at the same instant (the slot's unique index decides which is first).
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from painmind.accounts.audit import Actor, record
from painmind.accounts.models import AuditAction
from painmind.lib.errors import ActionError
from painmind.meds.actions.keyed import parse_client_id, save_once
from painmind.meds.models import DoseLog, DoseStatus, Regimen, Schedule

# A forgotten tick can be caught up for a week; older adherence is what it is.
BACKFILL_DAYS = 7


class DoseConflict(ActionError):
    """A client_id was reused for a different tick: the first one stands."""

    def __init__(self, existing: DoseLog) -> None:
        self.existing = existing
        super().__init__({"client_id": [f"{existing.client_id} was already used for a different dose"]})


def _checked(regimen: Regimen, status: str, slot: int | None, on: date, today: date) -> int:
    errors: dict[str, list[str]] = {}
    if status not in DoseStatus.values:
        errors["status"] = [f"must be one of: {', '.join(DoseStatus.values)} (got {status!r})"]
    elif status == DoseStatus.EXTRA:
        if regimen.schedule != Schedule.AS_NEEDED:
            errors["status"] = ["an extra dose is logged for an as-needed medicine only"]
        slot = 0
    elif regimen.schedule == Schedule.AS_NEEDED:
        errors["status"] = ["an as-needed medicine is logged as 'extra' when a dose was taken"]
    elif slot is None or not 1 <= slot <= regimen.doses_per_day:
        errors["slot"] = [f"must be between 1 and {regimen.doses_per_day}"]
    if on > today:
        errors["taken_on"] = ["may not be in the future"]
    elif on < today - timedelta(days=BACKFILL_DAYS):
        errors["taken_on"] = [f"may be at most {BACKFILL_DAYS} days ago"]
    elif not regimen.is_current(on):
        errors["taken_on"] = ["this medicine was not being taken on that day"]
    if errors:
        raise ActionError(errors)
    return slot or 0


def do_log_dose(
    actor: Actor,
    regimen: Regimen,
    *,
    status: str,
    slot: int | None = None,
    taken_on: date | None = None,
    client_id: uuid.UUID | str | None = None,
) -> tuple[DoseLog, bool]:
    """Store one tick for `regimen` (already access-checked). Returns ``(tick, created)``."""
    patient = regimen.patient
    today = timezone.localdate(timezone=patient.tzinfo)
    on = taken_on or today
    slot = _checked(regimen, status, slot, on, today)
    key = parse_client_id(client_id)
    if key is not None:
        earlier = DoseLog.objects.filter(patient=patient, client_id=key).first()
        if earlier is not None:
            return _replay(earlier, regimen, status, slot, on), False
    if slot >= 1 and (corrected := _correct(actor, regimen, on=on, slot=slot, status=status, key=key)) is not None:
        return corrected, True
    tick = DoseLog(
        patient=patient, regimen=regimen, taken_on=on, slot=slot, status=status, client_id=key, created_by=actor.user
    )
    try:
        return save_once(
            tick,
            stored=lambda: DoseLog.objects.filter(patient=patient, client_id=key).first() if key else None,
            replay=lambda e: _replay(e, regimen, status, slot, on),
            after=lambda t: record(actor, patient, AuditAction.CREATE, "dose", object_id=t.pk, detail=status),
        )
    except IntegrityError:
        # Another device (another client_id) ticked the same dose at the same instant and won the
        # slot's unique index: ours is a correction of it, as if it had come a moment later.
        if slot >= 1 and (corrected := _correct(actor, regimen, on=on, slot=slot, status=status, key=key)) is not None:
            return corrected, True
        raise


def _correct(
    actor: Actor, regimen: Regimen, *, on: date, slot: int, status: str, key: uuid.UUID | None
) -> DoseLog | None:
    """A new answer for an already ticked scheduled slot (the latest stands); None if unticked."""
    with transaction.atomic():
        existing = DoseLog.objects.select_for_update().filter(regimen=regimen, taken_on=on, slot=slot).first()
        if existing is None:
            return None
        existing.status = status
        existing.client_id = key or existing.client_id
        existing.recorded_at = timezone.now()
        existing.save(update_fields=["status", "client_id", "recorded_at"])
        record(actor, regimen.patient, AuditAction.UPDATE, "dose", object_id=existing.pk, detail=status)
        return existing


def _replay(earlier: DoseLog, regimen: Regimen, status: str, slot: int, on: date) -> DoseLog:
    if (earlier.regimen_id, earlier.status, earlier.slot, earlier.taken_on) == (regimen.pk, status, slot, on):
        return earlier
    raise DoseConflict(earlier)
