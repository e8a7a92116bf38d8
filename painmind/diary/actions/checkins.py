"""Every write to the diary: validated by `core.checkin`, atomic, idempotent, audited."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from django.db import transaction
from django.utils import timezone

from painmind.accounts.audit import Actor, record
from painmind.accounts.models import AuditAction, User
from painmind.core.checkin import CONTENT_FIELDS, CheckInError, check_recorded_at, clean_checkin
from painmind.core.timeutil import local_date
from painmind.diary.actions.alerts import (
    checkin_alert_changes,
    do_apply_checkin_alert_changes,
    do_evaluate_alerts,
    load_checkin_alert_state,
)
from painmind.diary.actions.idempotency import parse_client_id, save_once
from painmind.diary.models import CheckIn, CheckInRevision, RevisionKind


class CheckInConflict(Exception):
    """A client_id was reused with different content, or belongs to a check-in the patient has
    since deleted (`deleted`): the first entry (or its deletion) stands. `existing_id` is its id."""

    def __init__(self, existing_id: int, client_id: uuid.UUID | None, *, deleted: bool = False) -> None:
        self.existing_id = existing_id
        self.deleted = deleted
        what = "a check-in that was since deleted" if deleted else "a different check-in"
        super().__init__(f"client_id {client_id} was already used for {what}")


def _replay(existing: CheckIn, cleaned: Mapping[str, object], recorded_at: datetime | None) -> CheckIn:
    """The stored entry, when the replayed submission is it: its content now, or as it was
    before the patient edited it (a retry of the first POST arriving after an edit must neither
    undo the edit nor be told it conflicts; docs/checkin.md)."""
    if _same(existing.content(), existing.recorded_at, cleaned, recorded_at):
        return existing
    if existing.edited_at is not None:
        for revision in CheckInRevision.objects.filter(checkin_id=existing.pk, kind=RevisionKind.EDIT):
            before = revision.content
            was = {name: before.get(name) for name in CONTENT_FIELDS}
            if _same(was, datetime.fromisoformat(before["recorded_at"]), cleaned, recorded_at):
                return existing
    raise CheckInConflict(existing.pk, existing.client_id)


def _same(
    content: Mapping[str, object], at: datetime, cleaned: Mapping[str, object], recorded_at: datetime | None
) -> bool:
    return (recorded_at is None or at == recorded_at) and dict(content) == dict(cleaned)


def do_record_checkin(
    actor: Actor,
    patient: User,
    data: Mapping[str, object],
    *,
    recorded_at: datetime | None = None,
    client_id: uuid.UUID | str | None = None,
) -> tuple[CheckIn, bool]:
    """Store a check-in for `patient` (already access-checked by the caller).

    Returns ``(entry, created)``. With a `client_id` already used by this patient, the stored
    entry is returned unchanged (``created=False``) when the content matches (as it is now or
    as it was before an edit), and `CheckInConflict` is raised when it does not, or when the
    entry with that key was deleted. Invalid data raises `CheckInError` and
    writes nothing. `recorded_at` defaults to now and must be aware and not in the future.
    """
    cleaned = clean_checkin(data)
    now = timezone.now()
    if recorded_at is not None:
        check_recorded_at(recorded_at, now)
        recorded_at = recorded_at.astimezone(UTC)  # store and echo the instant in UTC
    try:
        key = parse_client_id(client_id)
    except ValueError:
        raise CheckInError({"client_id": ["must be a UUID"]}) from None
    at = recorded_at or now
    entry = CheckIn(
        patient=patient,
        recorded_at=at,
        local_on=local_date(at, patient.tzinfo),
        client_id=key,
        created_at=now,
        created_by=actor.user,
        **cleaned,
    )
    # What this check-in changes about the patient's alerts is worked out before the write, from
    # what was stored before it: most change nothing, and the patient's own check-in is not an
    # audit event, so most are one INSERT with no transaction around it (on SQLite the write
    # lock is then held for that statement only; docs/benchmarks.md).
    state = load_checkin_alert_state(patient, key)
    if state.deleted_id is not None:
        raise CheckInConflict(state.deleted_id, key, deleted=True)  # never resurrect a deleted entry
    changes = checkin_alert_changes([entry], state)
    audited = actor.user is None or actor.user.pk != patient.pk

    def side_effects(stored: CheckIn) -> None:
        record(actor, patient, AuditAction.CREATE, "checkin", object_id=stored.pk)
        do_apply_checkin_alert_changes(patient, changes)  # a flare shows now; a silence ends

    return save_once(
        entry,
        stored=lambda: CheckIn.objects.filter(patient=patient, client_id=key).first(),
        replay=lambda earlier: _replay(earlier, cleaned, recorded_at),
        side_effects=side_effects if changes or audited else None,
    )


class CheckInImportError(ValueError):
    """A batch with invalid rows: `errors` maps a row number (from 1) to its field errors."""

    def __init__(self, errors: dict[int, dict[str, list[str]]]) -> None:
        self.errors = errors
        first = min(errors)
        detail = "; ".join(f"{k}: {' '.join(v)}" for k, v in errors[first].items())
        super().__init__(f"{len(errors)} invalid row(s), nothing imported; row {first}: {detail}")


def do_import_checkins(
    actor: Actor, patient: User, rows: Sequence[tuple[datetime, Mapping[str, object]]]
) -> list[CheckIn]:
    """Store many check-ins at once: every row is validated before anything is written.

    `rows` holds ``(recorded_at, content)`` pairs. Any invalid row raises `CheckInImportError`
    naming each bad row and field, and nothing is stored. Audited as one event when the actor
    is not the patient.
    """
    now = timezone.now()
    entries: list[CheckIn] = []
    errors: dict[int, dict[str, list[str]]] = {}
    for number, (recorded_at, data) in enumerate(rows, start=1):
        try:
            cleaned = clean_checkin(data)
            check_recorded_at(recorded_at, now)
        except CheckInError as exc:
            errors[number] = exc.errors
            continue
        at = recorded_at.astimezone(UTC)
        entries.append(
            CheckIn(
                patient=patient,
                recorded_at=at,
                local_on=local_date(at, patient.tzinfo),
                created_at=now,
                created_by=actor.user,
                **cleaned,
            )
        )
    if errors:
        raise CheckInImportError(errors)
    with transaction.atomic():
        stored = CheckIn.objects.bulk_create(entries, batch_size=1000)
        record(actor, patient, AuditAction.CREATE, "checkin_import", detail=f"{len(stored)} check-ins")
        do_evaluate_alerts([patient.pk], scores=False)  # flares and silences, as the periodic pass
    return stored
