"""Self-management tools over JSON, one module per tool: `thought_records`, `pacing`,
`relaxation`, `activities` (behavioural activation), `lifestyle` (daily fields) and
`sharing` (the patient's per-tool choice). Patients use the plain routes for their own data;
a consenting clinician reads `/patients/{id}/…` only while the patient shares that tool (else
404, as for a patient who does not exist). Bad input is a 422 naming the field; nothing is stored.
"""

from ninja import Router

from painmind.selfcare.api import activities, lifestyle, pacing, relaxation, sharing, thought_records

router = Router()
router.add_router("", thought_records.router)
router.add_router("", pacing.router)
router.add_router("", relaxation.router)
router.add_router("", activities.router)
router.add_router("", lifestyle.router)
router.add_router("", sharing.router)

__all__ = ["router"]
