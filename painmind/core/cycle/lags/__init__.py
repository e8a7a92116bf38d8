"""Lag pairs with mlVAR semantics: never across a night, a gap, a skipped prompt or a patient.

Daily diary: a row pairs with the row of the previous calendar day.  Several prompts a day: a row
pairs with the previous prompt of the same day (beep b with beep b-1; without beep numbers, with
the previous row of that day).  A row with every variable missing is no observation; a pair with a
missing value on either side is dropped; nothing is interpolated.

Parts:

- `frame`: `build_pairs`, the pairs of a long data frame (day keys, prompt numbers, time zones);
- `grid`: `pairs_from_dense`, the pairs of a regular (patients x slots x variables) grid;
- `drops`: the error raised when no valid pair is left, with what was dropped and why.

`build_pairs` is imported on first use: it needs pandas (1 s to import), which the grid path of
the research CLI never does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from painmind.core.cycle.lags.grid import pairs_from_dense
from painmind.core.cycle.result import CycleInputError, Panel

if TYPE_CHECKING:
    from painmind.core.cycle.lags.frame import build_pairs

__all__ = ["DEFAULT_VARIABLES", "CycleInputError", "Panel", "build_pairs", "pairs_from_dense"]

DEFAULT_VARIABLES: tuple[str, ...] = ("pain", "mood", "anxiety", "stress", "sleep_quality", "activity_minutes")


def __getattr__(name: str) -> Any:
    if name == "build_pairs":
        from painmind.core.cycle.lags.frame import build_pairs

        return build_pairs
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
