"""Reading alerts: a clinician sees the alerts of patients whose consent to them is active,
and the open critical alerts they were told about even after that consent ended."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404

from painmind.accounts.access import get_patient_for_user, patient_ids_of
from painmind.accounts.audit import Actor, record_many
from painmind.accounts.models import AuditAction, Role
from painmind.safety.filters import HISTORY_LIMIT, AlertFilters
from painmind.safety.models import Alert, AlertNotice, Severity
from painmind.safety.notify import with_overdue


def notified_open_critical(clinician_id: int) -> QuerySet[Alert]:
    """Open critical alerts this clinician was sent a notice about.

    They stay visible to (and can be acknowledged by) that clinician after the patient withdraws
    consent or it expires — title, time and acknowledgement only, none of the diary — so that a
    self-harm answer is never dropped between the notice and somebody acting on it.
    """
    told = AlertNotice.objects.filter(clinician_id=clinician_id).values("alert_id")
    return Alert.objects.open().filter(severity=Severity.CRITICAL, pk__in=told)


def get_alerts_for_user(
    actor: Actor, *, patient_id: int | None = None, open_only: bool = True, filters: AlertFilters | None = None
) -> list[Alert]:
    """Alerts, most urgent first: for one patient, or for all of a clinician's consenting patients.

    With `filters` (the alert page), its status, severity, kind and patient apply instead of
    `open_only` and `patient_id`: open alerts most urgent first, then closed ones (the history)
    most recently closed first, at most `HISTORY_LIMIT` of them.

    Audited (one event per patient shown). Patients do not see the care team's alert list.
    """
    user = actor.user
    if user is None or user.role != Role.CLINICIAN:
        raise Http404("No alerts here.")
    if filters is not None:
        patient_id = filters.patient_id
    qs = Alert.objects.select_related("patient", "acknowledged_by").prefetch_related("entries")
    sharing: set[int] | None = None
    if patient_id is not None:
        qs = qs.filter(patient=get_patient_for_user(actor, patient_id))
    else:
        sharing = set(patient_ids_of(user).values_list("patient_id", flat=True))
        qs = qs.filter(Q(patient_id__in=sharing) | Q(pk__in=notified_open_critical(user.pk).values("pk")))
    if filters is None:
        if open_only:
            qs = qs.open()
        alerts = list(with_overdue(qs.by_urgency()))  # `overdue`: unacknowledged past the re-send interval
    else:
        if filters.severity:
            qs = qs.filter(severity=filters.severity)
        if filters.kind:
            qs = qs.filter(kind=filters.kind)
        alerts = []
        if filters.status in ("open", "all"):
            alerts += with_overdue(qs.open().by_urgency())
        if filters.status in ("closed", "all"):
            closed = qs.filter(Q(acknowledged_at__isnull=False) | Q(resolved_at__isnull=False))
            alerts += closed.order_by(Coalesce("acknowledged_at", "resolved_at").desc(), "-id")[:HISTORY_LIMIT]
    for alert in alerts:
        alert.restricted = sharing is not None and alert.patient_id not in sharing
    patients = {a.patient_id: a.patient for a in alerts}
    record_many(actor, patients.values(), AuditAction.VIEW, "alert_list")
    return alerts
