"""Every write to a patient's medicines: checked, atomic, kept as history, audited for
non-owners, and followed by the safety check (`painmind.meds.safety`)."""

from painmind.meds.actions.doses import DoseConflict, do_log_dose
from painmind.meds.actions.regimens import do_add_regimen, do_stop_regimen, do_update_regimen
from painmind.meds.actions.side_effects import SideEffectConflict, do_record_side_effect

__all__ = [
    "DoseConflict",
    "SideEffectConflict",
    "do_add_regimen",
    "do_log_dose",
    "do_record_side_effect",
    "do_stop_regimen",
    "do_update_regimen",
]
