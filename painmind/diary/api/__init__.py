"""The diary over JSON: `checkins` (the patient's own and a consenting patient's) and
`questionnaires` (definitions, responses scored on the server, measurement plans)."""

from ninja import Router

from painmind.diary.api import checkins, questionnaires

router = Router()
router.add_router("", checkins.router)
router.add_router("", questionnaires.router)

__all__ = ["router"]
