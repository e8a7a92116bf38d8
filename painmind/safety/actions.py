"""Raising and acknowledging alerts, and attaching later answers to an open one."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from painmind.accounts.access import get_patient_for_user
from painmind.accounts.audit import Actor, record
from painmind.accounts.models import AuditAction, Role, User
from painmind.lib.errors import ActionError
from painmind.safety.access import notified_open_critical
from painmind.safety.models import Alert, AlertEntry, AlertKind, NoticeReason, Severity
from painmind.safety.notify import notify_care_team_after_commit, queue_alert_notices

NOTE_MAX_CHARS = 2000


@dataclass(frozen=True)
class Entry:
    """What raised (or repeated) an alert: a response, how grave its answer was, when it was given."""

    source_type: str
    source_id: object
    level: int
    title: str
    occurred_at: datetime


def do_raise_alert(
    patient: User,
    kind: AlertKind,
    severity: Severity,
    *,
    key: str,
    title: str,
    detail: str = "",
    source: tuple[str, object] | None = None,
    entry: Entry | None = None,
) -> tuple[Alert, bool]:
    """Open an alert unless one with the same (patient, kind, key) is already open.

    Returns ``(alert, created)``. Safe under concurrency: the partial unique index admits one.
    A new critical alert queues a message to each clinician on the care team (`safety.notify`).

    With an `entry` (the response behind it), the entry is attached to the alert, new or already
    open: one self-harm alert collects every positive answer while it is open, instead of a new
    critical alert for each. The team is told again only when the entry is graver than anything
    the alert held (a higher item-9 answer); an acknowledged alert is closed, so a later answer
    opens a new one and is told as new.
    """
    existing = Alert.objects.open().filter(patient=patient, kind=kind, key=key).first()
    if existing is not None:
        if entry is not None:
            _attach(existing, entry)
        return existing, False
    source_type, source_id = (entry.source_type, entry.source_id) if entry else source if source else ("", "")
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                patient=patient,
                kind=kind,
                severity=severity,
                key=key[:64],
                title=title[:200],
                detail=detail,
                source_type=source_type,
                source_id=str(source_id),
                level=entry.level if entry else 0,
            )
            if entry is not None:
                _add_entry(alert, entry)
            # Critical alerts: a notice per clinician in the same transaction, sent by the
            # worker after the commit (a neutral link, no clinical content).
            notify_care_team_after_commit(alert)
    except IntegrityError:
        existing = Alert.objects.open().get(patient=patient, kind=kind, key=key)
        if entry is not None:
            _attach(existing, entry)
        return existing, False
    return alert, True


def _add_entry(alert: Alert, entry: Entry) -> bool:
    _, created = AlertEntry.objects.get_or_create(
        alert=alert,
        source_type=entry.source_type,
        source_id=str(entry.source_id),
        defaults={"level": entry.level, "title": entry.title[:200], "occurred_at": entry.occurred_at},
    )
    return created


def _attach(alert: Alert, entry: Entry) -> None:
    """Attach a later answer to an open alert; a graver one retitles it and tells the team again."""
    with transaction.atomic():
        if not _add_entry(alert, entry):
            return
        # Conditional: of two graver answers at once, each raises the level only past the other's.
        worse = Alert.objects.filter(pk=alert.pk, level__lt=entry.level).update(
            level=entry.level, title=entry.title[:200]
        )
        if worse:
            alert.refresh_from_db(fields=["level", "title"])
            queue_alert_notices(alert, NoticeReason.WORSE)


def _check_note(note: str, *, critical: bool) -> str:
    note = note.strip()
    if critical and not note:
        raise ActionError({"note": ["a critical alert needs a note saying what was done"]})
    if len(note) > NOTE_MAX_CHARS:
        raise ActionError({"note": [f"must be at most {NOTE_MAX_CHARS} characters"]})
    return note


def _may_acknowledge(actor: Actor, alert: Alert) -> None:
    """Http404 unless the actor is a clinician with the patient's consent, or was told about
    this open critical alert (`notified_open_critical`)."""
    if actor.user is None or actor.user.role != Role.CLINICIAN:
        raise Http404("No such alert.")
    if not notified_open_critical(actor.user.pk).filter(pk=alert.pk).exists():
        get_patient_for_user(actor, alert.patient_id)  # 404 without active consent


def _close_acknowledged(actor: Actor, alert: Alert, note: str, *, at: datetime) -> None:
    alert.acknowledged_at = at
    alert.acknowledged_by = actor.user
    alert.acknowledgement_note = note
    alert.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledgement_note"])
    record(actor, alert.patient, AuditAction.UPDATE, "alert", object_id=alert.pk, detail="acknowledged")


@transaction.atomic
def do_acknowledge_alert(actor: Actor, alert_id: int | str, note: str) -> Alert:
    """A clinician with consent acknowledges an open alert; critical alerts need a note. Audited.

    Http404 when the alert does not exist or the actor may not see its patient.
    """
    try:
        aid = int(alert_id)
    except (TypeError, ValueError):
        raise Http404("No such alert.") from None
    alert = Alert.objects.select_for_update().filter(pk=aid).first()
    if alert is None:
        raise Http404("No such alert.")
    _may_acknowledge(actor, alert)
    note = _check_note(note, critical=alert.severity == Severity.CRITICAL)
    if not alert.is_open:
        raise ActionError({"alert": ["this alert is already closed"]})
    _close_acknowledged(actor, alert, note, at=timezone.now())
    return alert


@transaction.atomic
def do_acknowledge_alerts(
    actor: Actor, patient_id: int | str, alert_ids: Collection[int | str], note: str
) -> list[Alert]:
    """Acknowledge several of one patient's open alerts at once, with one note kept on each.

    All or nothing: every alert must exist, belong to `patient_id`, be visible to the actor (as
    for `do_acknowledge_alert`) and still be open, else nothing changes. A note is required when
    any of them is critical. One audit event per alert, as if each was acknowledged alone.
    """
    try:
        pid = int(patient_id)
        ids = sorted({int(a) for a in alert_ids})
    except (TypeError, ValueError):
        raise Http404("No such alert.") from None
    if not ids:
        raise ActionError({"alert": ["choose at least one alert to acknowledge"]})
    alerts = list(Alert.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    if len(alerts) != len(ids):
        raise Http404("No such alert.")
    for alert in alerts:
        _may_acknowledge(actor, alert)
    if any(a.patient_id != pid for a in alerts):
        raise ActionError({"alert": ["acknowledge one patient's alerts at a time"]})
    note = _check_note(note, critical=any(a.severity == Severity.CRITICAL for a in alerts))
    if any(not a.is_open for a in alerts):
        raise ActionError({"alert": ["one of these alerts is already closed; nothing was acknowledged"]})
    at = timezone.now()
    for alert in alerts:
        _close_acknowledged(actor, alert, note, at=at)
    return alerts
