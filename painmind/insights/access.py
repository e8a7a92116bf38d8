"""Reading a patient's cached cycle analysis. Audited."""

from __future__ import annotations

from painmind.accounts.access import get_own_patient, get_patient_for_user
from painmind.accounts.audit import Actor, record
from painmind.accounts.models import AuditAction, User
from painmind.insights.models import CycleAnalysis


def get_cycle_for_user(actor: Actor, patient_id: int | str | None = None) -> tuple[User, CycleAnalysis]:
    """The patient's cached cycle analysis (own when `patient_id` is None); Http404 without access.

    Only reads: bring the cache up to date first with `actions.do_refresh_cycle_for_user`, so a
    page never shows an analysis of an older diary than the one stored.
    """
    patient = _patient(actor, patient_id)
    analysis = CycleAnalysis.objects.get(patient=patient)
    record(actor, patient, AuditAction.VIEW, "cycle_analysis", object_id=analysis.pk)
    return patient, analysis


def _patient(actor: Actor, patient_id: int | str | None) -> User:
    return get_own_patient(actor) if patient_id is None else get_patient_for_user(actor, patient_id, scope="cycle")
