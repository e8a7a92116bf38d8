"""A regimen as a FHIR R4 MedicationStatement (clinical-reference §4.4), audited as an export."""

from __future__ import annotations

from typing import Any

from ninja import Router

from painmind.accounts.api import actor
from painmind.accounts.audit import record
from painmind.accounts.http import AuthedRequest
from painmind.accounts.models import AuditAction
from painmind.lib.api import ErrorOut
from painmind.meds import safety
from painmind.meds.access import get_regimen_for_user

router = Router(tags=["meds"])


@router.get("/meds/regimens/{regimen_id}/fhir", response={200: dict[str, Any], 404: ErrorOut})
def regimen_fhir(request: AuthedRequest, regimen_id: int) -> dict[str, object]:
    """The regimen as a FHIR R4 MedicationStatement (clinical-reference §4.4). Audited."""
    who = actor(request)
    regimen = get_regimen_for_user(who, regimen_id)
    record(who, regimen.patient, AuditAction.EXPORT, "regimen", object_id=regimen.pk, detail="FHIR MedicationStatement")
    return safety.medication_statement(regimen)
