"""The safety check: calm notes for the patient; MME/day and every rule hit for a clinician."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.utils import timezone
from ninja import Router

from painmind.accounts.api import actor
from painmind.accounts.http import AuthedRequest
from painmind.lib.api import ErrorOut
from painmind.meds import safety
from painmind.meds.access import get_regimens_for_user
from painmind.meds.api.schemas import CheckOut, PatientCheckOut

router = Router(tags=["meds"])


@router.get("/meds/check", response={200: PatientCheckOut, 404: ErrorOut})
def my_check(request: AuthedRequest) -> dict[str, Any]:
    """What the check means for you, in plain words (your care team sees the details)."""
    patient, regimens = get_regimens_for_user(actor(request))
    result = safety.check_regimens(regimens, timezone.localdate(timezone=patient.tzinfo))
    return {"notes": safety.patient_notes(result.rules)}


@router.get("/patients/{patient_id}/meds/check", response={200: CheckOut, 404: ErrorOut})
def patient_check(request: AuthedRequest, patient_id: int) -> dict[str, Any]:
    """Clinicians: MME/day (complete or "at least") and every rule hit with its basis. Review
    prompts, never blocks (clinical-reference §2.2)."""
    patient, regimens = get_regimens_for_user(actor(request), patient_id)
    result = safety.check_regimens(regimens, timezone.localdate(timezone=patient.tzinfo))
    return {
        "mme_per_day": result.mme_per_day,
        "mme_complete": result.mme_complete,
        "missing_factor": list(result.missing_factor),
        "rules": [{**asdict(h), "drugs": list(h.drugs)} for h in result.rules],
    }
