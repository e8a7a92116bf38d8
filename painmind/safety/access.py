"""Reading alerts: a clinician sees the alerts of patients whose consent to them is active."""

from __future__ import annotations

from django.http import Http404

from painmind.accounts.access import get_patient_for_user, patient_ids_of
from painmind.accounts.audit import Actor, record_many
from painmind.accounts.models import AuditAction, Role
from painmind.safety.models import Alert
from painmind.safety.notify import with_overdue


def get_alerts_for_user(actor: Actor, *, patient_id: int | None = None, open_only: bool = True) -> list[Alert]:
    """Alerts, most urgent first: for one patient, or for all of a clinician's consenting patients.

    Audited (one event per patient shown). Patients do not see the care team's alert list.
    """
    user = actor.user
    if user is None or user.role != Role.CLINICIAN:
        raise Http404("No alerts here.")
    qs = Alert.objects.select_related("patient", "acknowledged_by")
    if patient_id is not None:
        qs = qs.filter(patient=get_patient_for_user(actor, patient_id))
    else:
        qs = qs.filter(patient_id__in=patient_ids_of(user))
    if open_only:
        qs = qs.open()
    alerts = list(with_overdue(qs.by_urgency()))  # `overdue`: unacknowledged past the re-send interval
    patients = {a.patient_id: a.patient for a in alerts}
    record_many(actor, patients.values(), AuditAction.VIEW, "alert_list")
    return alerts
