"""Keeping cached cycle analyses in step with the diaries."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone

from painmind.accounts.access import get_own_patient, get_patient_for_user
from painmind.accounts.audit import Actor
from painmind.accounts.models import Role, User
from painmind.diary.models import CheckIn
from painmind.insights.analysis import ENGINE_VERSION, analyze_patients
from painmind.insights.models import CycleAnalysis

# Patients per batched engine run: bounds memory for very large sites.
BATCH = 5_000


def do_refresh_cycle_for_user(actor: Actor, patient_id: int | str | None = None) -> User:
    """Bring one patient's cached analysis up to date, if the actor may see their cycle (own when
    `patient_id` is None); Http404 otherwise. Nothing is read out, so nothing is audited; the
    read that follows (`access.get_cycle_for_user`) is."""
    patient = get_own_patient(actor) if patient_id is None else get_patient_for_user(actor, patient_id, scope="cycle")
    do_refresh_cycles([patient.pk])
    return patient


def do_refresh_cycles(patient_ids: Iterable[int] | None = None, *, force: bool = False) -> int:
    """Recompute the cached analysis of every patient whose diary changed since (or never).

    `patient_ids=None` means every active patient. Fresh analyses are left alone unless
    `force`. Idempotent: a second run finds nothing stale. Returns how many were recomputed.
    """
    patients = User.objects.filter(role=Role.PATIENT, is_active=True)
    if patient_ids is not None:
        patients = patients.filter(pk__in=list(patient_ids))
    ids = list(patients.values_list("pk", flat=True))
    state = {
        row["patient_id"]: (row["n"], row["last"])
        for row in CheckIn.objects.filter(patient_id__in=ids)
        .values("patient_id")
        .annotate(n=Count("id"), last=Max("id"))
    }
    cached = {
        a.patient_id: (a.n_checkins, a.last_checkin_id, a.engine_version)
        for a in CycleAnalysis.objects.filter(patient_id__in=ids).only(
            "patient_id", "n_checkins", "last_checkin_id", "engine_version"
        )
    }
    stale = [pid for pid in ids if force or cached.get(pid) != (*state.get(pid, (0, None)), ENGINE_VERSION)]
    for start in range(0, len(stale), BATCH):
        batch = stale[start : start + BATCH]
        for pid, result in analyze_patients(batch).items():
            n, last = state.get(pid, (0, None))
            _store(pid, n, last, result)
    return len(stale)


def do_forget_cycle(patient_id: int) -> None:
    """Drop a patient's cached analysis after a check-in was edited or deleted (the diary calls
    this through `diary.hooks`): an edit changes neither the count nor the newest id the cache
    is checked against, so it could not tell. The next read recomputes it, as it does for a
    patient never analysed; nothing is read out, so nothing is audited."""
    CycleAnalysis.objects.filter(patient_id=patient_id).delete()


def _store(patient_id: int, n: int, last: int | None, result: dict[str, object]) -> None:
    values = {
        "computed_at": timezone.now(),
        "n_checkins": n,
        "last_checkin_id": last,
        "engine_version": ENGINE_VERSION,
        "result": result,
    }
    try:
        with transaction.atomic():
            CycleAnalysis.objects.update_or_create(patient_id=patient_id, defaults=values)
    except IntegrityError:
        # A concurrent refresh created it first; ours is as fresh, so update theirs.
        CycleAnalysis.objects.filter(patient_id=patient_id).update(**values)
