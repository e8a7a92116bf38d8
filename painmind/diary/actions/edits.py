"""A patient's own corrections: editing and deleting a check-in, every earlier content kept.

Each change stores what the entry held before as a `CheckInRevision`, who made it and when, in
the same transaction as the change. A deleted entry leaves the diary table, so no page, export
or analysis counts it; its tombstone revision keeps its content and its client key.

Only the patient may change an entry (`access.get_own_checkin_for_user`), so these writes are
not audit events (a patient's own writes never are); the revision is the record of who and when.

After the change, what a new check-in would set off runs again for the patient: the flare and
silence evaluation (`alerts.do_evaluate_alerts`, as after an import) and the apps that keep
something derived from the diary (`hooks.checkins_changed`: the cycle cache). A flare alert the
entry's old pain may have fed is kept, whatever the evaluation then decides, with a note that
the entry was later edited or deleted (PROJECT RULE, docs/checkin.md "Editing and deleting").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from painmind.accounts.audit import Actor
from painmind.accounts.models import User
from painmind.core.checkin import check_recorded_at, clean_checkin
from painmind.core.timeutil import local_date
from painmind.diary.actions.alerts import FLARE_WINDOW_DAYS, do_evaluate_alerts
from painmind.diary.hooks import checkins_changed
from painmind.diary.models import CheckIn, CheckInRevision, RevisionKind
from painmind.safety.models import Alert, AlertKind


def snapshot(entry: CheckIn) -> dict[str, Any]:
    """The entry as a revision stores it: its content, `recorded_at` and `local_on` (ISO text)."""
    return {**entry.content(), "recorded_at": entry.recorded_at.isoformat(), "local_on": entry.local_on.isoformat()}


def _locked(entry: CheckIn) -> CheckIn:
    # Re-read under a row lock: two edits at once each keep what the other left, in order.
    locked = CheckIn.objects.select_for_update().filter(pk=entry.pk).first()
    if locked is None:
        raise Http404("No such check-in.")  # deleted since it was loaded
    return locked


def do_edit_checkin(
    actor: Actor,
    entry: CheckIn,
    changes: Mapping[str, object],
    *,
    recorded_at: datetime | None = None,
) -> CheckIn:
    """Change some fields of a check-in (loaded by `access.get_own_checkin_for_user`).

    Fields absent from `changes` keep their value; None clears an optional one. The result is
    validated as a new check-in is (`core.checkin.clean_checkin`; `recorded_at`, when given,
    not in the future): invalid input raises `CheckInError` naming each field and writes
    nothing. A change that changes nothing stores no revision. Returns the entry as stored.
    """
    now = timezone.now()
    if recorded_at is not None:
        check_recorded_at(recorded_at, now)
        recorded_at = recorded_at.astimezone(UTC)
    with transaction.atomic():
        current = _locked(entry)
        cleaned = clean_checkin({**current.content(), **changes})
        at = recorded_at or current.recorded_at
        if cleaned == current.content() and at == current.recorded_at:
            return current
        before = snapshot(current)
        patient = current.patient
        CheckInRevision.objects.create(
            patient=patient,
            checkin_id=current.pk,
            kind=RevisionKind.EDIT,
            content=before,
            changed_at=now,
            changed_by=actor.user,
        )
        for name, value in cleaned.items():
            setattr(current, name, value)
        if at != current.recorded_at:
            current.recorded_at = at
            current.local_on = local_date(at, patient.tzinfo)
        current.edited_at = now
        current.save()
        pain_moved = before["pain"] != current.pain or current.local_on.isoformat() != before["local_on"]
        change = _Change(patient, current.pk, current.created_at, before, RevisionKind.EDIT, now)
        _after_change(change, notes=pain_moved)
    return current


def do_delete_checkin(actor: Actor, entry: CheckIn) -> CheckInRevision:
    """Delete a check-in (loaded by `access.get_own_checkin_for_user`), keeping its content as a
    tombstone revision with its client key (a replayed POST of that key then answers a conflict
    instead of bringing it back). Returns the tombstone."""
    now = timezone.now()
    with transaction.atomic():
        current = _locked(entry)
        patient = current.patient
        before = snapshot(current)
        tombstone = CheckInRevision.objects.create(
            patient=patient,
            checkin_id=current.pk,
            kind=RevisionKind.DELETE,
            content=before,
            client_id=current.client_id,
            changed_at=now,
            changed_by=actor.user,
        )
        checkin_id, stored_at = current.pk, current.created_at
        current.delete()
        _after_change(_Change(patient, checkin_id, stored_at, before, RevisionKind.DELETE, now), notes=True)
    return tombstone


@dataclass(frozen=True)
class _Change:
    patient: User
    checkin_id: int
    stored_at: datetime  # when the entry was first stored
    before: Mapping[str, Any]  # its snapshot before the change
    kind: RevisionKind
    at: datetime


def _after_change(change: _Change, *, notes: bool) -> None:
    """What follows an edit or a deletion, in its transaction, on the diary as it now is."""
    if notes:
        _note_flare_alerts(change)
    do_evaluate_alerts([change.patient.pk], scores=False)  # flares and silences, as after an import
    checkins_changed(change.patient.pk)


def _note_flare_alerts(change: _Change) -> None:
    """Note the change on every flare alert the entry's old pain could have fed: raised after
    the entry was stored and at most FLARE_WINDOW_DAYS after its day (the window a flare is
    judged on). The alerts themselves are never deleted: they are safety records."""
    day = date.fromisoformat(change.before["local_on"])
    alerts = Alert.objects.filter(
        patient=change.patient,
        kind=AlertKind.FLARE,
        created_at__gte=change.stored_at,
        created_at__lt=datetime.combine(day, time(), tzinfo=change.patient.tzinfo)
        + timedelta(days=FLARE_WINDOW_DAYS + 1),
    )
    note = {
        "checkin_id": change.checkin_id,
        "change": change.kind.label,
        "on": change.before["local_on"],
        "at": change.at.isoformat(),
    }
    for alert in alerts:
        data = {**(alert.data or {})}
        data["entry_changes"] = [*data.get("entry_changes", []), note]
        Alert.objects.filter(pk=alert.pk).update(data=data)
