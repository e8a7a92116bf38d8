"""A patient's data as a FHIR R4 Bundle, loaded only through the apps' access functions.

Every loader checks access (the same 404 for "not yours" and "no such patient") and audits a
read by anyone but the patient; the export itself is one more audit event ("fhir_bundle").
"""

from __future__ import annotations

import hashlib
import hmac
import uuid

from django.conf import settings
from django.utils import timezone

from painmind.accounts.access import get_own_patient, get_patient_for_user
from painmind.accounts.audit import Actor, record
from painmind.accounts.models import AuditAction, User
from painmind.careplan.access import get_care_plan_for_user
from painmind.core.fhir import (
    ActivityRecord,
    CheckInRecord,
    GoalRecord,
    MedicationRecord,
    PatientData,
    PatientRecord,
    ResponseRecord,
)
from painmind.core.fhir import patient_bundle as build_bundle
from painmind.core.meds.fhir import status_for
from painmind.diary.access import get_checkins_for_user, get_responses_for_user
from painmind.diary.instruments import site_instrument
from painmind.meds import safety
from painmind.meds.access import get_regimens_for_user


def pseudonym(patient: User) -> str:
    """A stable, non-identifying id for the patient on this site: a keyed hash of the row id
    (HMAC with the site's secret key), written as a UUID. PROJECT RULE (docs/exchange.md)."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"fhir-patient:{patient.pk}".encode(), hashlib.sha256).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4))


def fhir_base_url() -> str:
    """Where the Bundle's full URLs are rooted: this site's address + ``/fhir``."""
    return f"{settings.BASE_URL}/fhir"


def patient_bundle(viewer: Actor, patient: User | int | None = None, *, with_name: bool = False) -> dict[str, object]:
    """The FHIR R4 Bundle (type collection) of one patient, for `viewer`.

    `patient` None (or the viewer) means the viewer's own data; otherwise a patient the viewer
    may see (a clinician with active consent, the operator at the command line). Http404 without
    access. The name is included only with `with_name`. Audited as an export for non-owners.
    """
    if patient is None:
        owner = get_own_patient(viewer)
    else:
        owner = get_patient_for_user(viewer, patient.pk if isinstance(patient, User) else patient)
    pid = None if viewer.user is not None and viewer.user.pk == owner.pk else owner.pk
    _, checkins = get_checkins_for_user(viewer, pid)
    _, responses = get_responses_for_user(viewer, pid)
    _, regimens = get_regimens_for_user(viewer, pid)
    plan = get_care_plan_for_user(viewer, pid, history=False)
    today = timezone.localdate(timezone=owner.tzinfo)
    data = PatientData(
        PatientRecord(pseudonym(owner), (owner.display_name or None) if with_name else None),
        responses=[
            ResponseRecord(
                str(r.pk),
                site_instrument(r.instrument),
                tuple(r.answers),
                r.completed_at,
                r.total,
                r.band,
                prorated=r.status == "prorated",
            )
            for r in sorted(responses, key=lambda r: (r.completed_at, r.pk))
        ],
        checkins=[
            CheckInRecord(
                str(c.pk), c.recorded_at, {k: v for k, v in c.content().items() if isinstance(v, int | float)}
            )
            for c in sorted(checkins, key=lambda c: (c.recorded_at, c.pk))
        ],
        medications=[
            MedicationRecord(
                str(r.pk),
                safety.item(r),
                status_for(safety.item(r), today),
                date_asserted=r.updated_at,
                self_reported=r.created_by_id in (None, r.patient_id),
                reason=r.get_reason_display().lower(),
                note=r.notes or None,
            )
            for r in sorted(regimens, key=lambda r: r.pk)
        ],
        goals=[
            GoalRecord(
                str(v.goal.pk),
                v.goal.description,
                v.goal.status,
                v.goal.measure,
                v.goal.comparator,
                float(v.goal.target) if v.goal.target is not None else None,
                v.goal.target_on,
            )
            for v in sorted(plan.goals, key=lambda v: v.goal.pk)
        ],
        activities=[
            ActivityRecord(v.intervention.title, v.intervention.strategy, v.intervention.status)
            for group in plan.groups
            for v in group.interventions
        ],
    )
    bundle = build_bundle(
        data, base_url=fhir_base_url(), timestamp=timezone.now(), secondary_codes=settings.FHIR_SECONDARY_CODES
    )
    n = len(bundle["entry"])  # type: ignore[arg-type]
    record(viewer, owner, AuditAction.EXPORT, "fhir_bundle", detail=f"{n} resources{' with name' if with_name else ''}")
    return bundle
