"""Containers of the cycle analysis and their JSON / CSV-row forms (never NaN or inf).

Parts:

- `errors`: `CycleInputError`, the one error type for bad input;
- `panel`: `Panel`, the valid lag pairs of many patients (held as arrays or read from a grid);
- `fits`: `PatientFits`, the per-patient estimates, and `concat_fits`;
- `analysis`: `CycleResult`, everything one analysis produced, as JSON or CSV rows.
"""

from painmind.core.cycle.result.analysis import CycleResult, SupportsToJson
from painmind.core.cycle.result.errors import CycleInputError
from painmind.core.cycle.result.fits import PatientFits, concat_fits
from painmind.core.cycle.result.panel import Panel

__all__ = ["CycleInputError", "CycleResult", "Panel", "PatientFits", "SupportsToJson", "concat_fits"]
