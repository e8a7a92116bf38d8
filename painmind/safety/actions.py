"""Raising and acknowledging alerts."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from painmind.accounts.access import get_patient_for_user
from painmind.accounts.audit import Actor, record
from painmind.accounts.models import AuditAction, Role, User
from painmind.lib.errors import ActionError
from painmind.safety.models import Alert, AlertKind, Severity
from painmind.safety.notify import notify_care_team_after_commit

NOTE_MAX_CHARS = 2000


def do_raise_alert(
    patient: User,
    kind: AlertKind,
    severity: Severity,
    *,
    key: str,
    title: str,
    detail: str = "",
    source: tuple[str, object] | None = None,
) -> tuple[Alert, bool]:
    """Open an alert unless one with the same (patient, kind, key) is already open.

    Returns ``(alert, created)``. Safe under concurrency: the partial unique index admits one.
    A new critical alert queues a message to each clinician on the care team (`safety.notify`).
    """
    existing = Alert.objects.open().filter(patient=patient, kind=kind, key=key).first()
    if existing is not None:
        return existing, False
    source_type, source_id = source if source else ("", "")
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
            )
            # Critical alerts: a notice per clinician in the same transaction, sent by the
            # worker after the commit (a neutral link, no clinical content).
            notify_care_team_after_commit(alert)
    except IntegrityError:
        return Alert.objects.open().get(patient=patient, kind=kind, key=key), False
    return alert, True


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
    if alert is None or actor.user is None or actor.user.role != Role.CLINICIAN:
        raise Http404("No such alert.")
    get_patient_for_user(actor, alert.patient_id)  # 404 without active consent
    note = note.strip()
    if alert.severity == Severity.CRITICAL and not note:
        raise ActionError({"note": ["a critical alert needs a note saying what was done"]})
    if len(note) > NOTE_MAX_CHARS:
        raise ActionError({"note": [f"must be at most {NOTE_MAX_CHARS} characters"]})
    if not alert.is_open:
        raise ActionError({"alert": ["this alert is already closed"]})
    alert.acknowledged_at = timezone.now()
    alert.acknowledged_by = actor.user
    alert.acknowledgement_note = note
    alert.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledgement_note"])
    record(actor, alert.patient, AuditAction.UPDATE, "alert", object_id=alert.pk, detail="acknowledged")
    return alert
