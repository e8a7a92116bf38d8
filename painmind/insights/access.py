"""Reading a patient's cycle analysis (refreshed first if their diary changed). Audited."""

from __future__ import annotations

from painmind.accounts.access import get_own_patient, get_patient_for_user
from painmind.accounts.audit import Actor, record
from painmind.accounts.models import AuditAction, User
from painmind.insights.actions import do_refresh_cycles
from painmind.insights.models import CycleAnalysis


def get_cycle_for_user(actor: Actor, patient_id: int | str | None = None) -> tuple[User, CycleAnalysis]:
    """The patient's current cycle analysis (own when `patient_id` is None); Http404 without access.

    The cache is brought up to date before reading, so a page never shows an analysis of an
    older diary than the one stored.
    """
    patient = get_own_patient(actor) if patient_id is None else get_patient_for_user(actor, patient_id, scope="cycle")
    do_refresh_cycles([patient.pk])
    analysis = CycleAnalysis.objects.get(patient=patient)
    record(actor, patient, AuditAction.VIEW, "cycle_analysis", object_id=analysis.pk)
    return patient, analysis
