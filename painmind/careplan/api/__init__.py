"""The shared care plan over JSON: `plans` (reading a plan), `goals`, `interventions`; the shapes
in `schemas`, the translation between request and model names in `requests`.

Patients use `/plan` (or `/patients/{their own id}/plan`); clinicians with active consent use
`/patients/{id}/plan`. Goals: the patient and the care team may add and change them.
Interventions: the care team only (a patient gets 403). PATCH applies only the fields sent;
send `updated_at` as last read to refuse the edit (409) if someone changed it since.
"""

from ninja import Router

from painmind.careplan.api import goals, interventions, plans

router = Router()
router.add_router("", plans.router)
router.add_router("", goals.router)
router.add_router("", interventions.router)

__all__ = ["router"]
