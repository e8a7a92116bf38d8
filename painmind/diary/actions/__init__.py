"""Every write to the diary: validated in `painmind.core`, atomic, idempotent, audited."""

from painmind.diary.actions.checkins import (
    CheckInConflict,
    CheckInImportError,
    do_import_checkins,
    do_record_checkin,
)
from painmind.diary.actions.edits import do_delete_checkin, do_edit_checkin
from painmind.diary.actions.questionnaires import (
    ResponseConflict,
    do_record_response,
    do_set_measurement_interval,
)

__all__ = [
    "CheckInConflict",
    "CheckInImportError",
    "ResponseConflict",
    "do_delete_checkin",
    "do_edit_checkin",
    "do_import_checkins",
    "do_record_checkin",
    "do_record_response",
    "do_set_measurement_interval",
]
