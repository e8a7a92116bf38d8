"""Medicines over JSON: the patient's own under /meds/…, a consenting patient's under
/patients/{id}/meds/… for clinicians (404 otherwise). Writes are the same actions as the pages:
field errors are a 422 naming each field; dose and side-effect retries with the same
`client_id` return the first entry (200) and a different body with it is a 409.

Parts: `regimens`, `doses`, `side_effects`, `check` (the safety check), `fhir`; the shapes in
`schemas`.
"""

from ninja import Router

from painmind.meds.api import check, doses, fhir, regimens, side_effects

router = Router()
router.add_router("", regimens.router)
router.add_router("", fhir.router)
router.add_router("", doses.router)
router.add_router("", side_effects.router)
router.add_router("", check.router)

__all__ = ["router"]
