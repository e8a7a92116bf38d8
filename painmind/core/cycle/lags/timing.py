"""What time a value describes: last night's variables move to the day the night follows.

A variable recorded on day t may describe the night between t-1 and t (sleep hours, sleep
quality: ``core.checkin.LAST_NIGHT``).  As a predictor it must pair with the outcome of day t --
last night's sleep with today's pain -- not with day t+1 (analytics-reference §2.1: Tang et al.
2012, Edwards et al. 2008: sleep predicts the *following* day's pain).  So before pairing, such
a value is filed under day t-1: the day's slot then runs from its morning to the next morning
(the day and the night after it), and the lag-1 pair (t-1, t) holds the night before day t on
its lagged side.  Its own equation reads: the night after day t on the nights and days before.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from painmind.core.cycle.result import CycleInputError

__all__ = ["check_same_day", "shift_frame_rows", "shift_grid"]


def check_same_day(same_day: object, names: tuple[str, ...]) -> list[int]:
    """Column indices of the `same_day` names in `names`; CycleInputError for an unknown name."""
    if isinstance(same_day, str) or not isinstance(same_day, Sequence):
        raise CycleInputError(f"same_day must be a sequence of variable names, got {same_day!r}")
    if unknown := [v for v in same_day if v not in names]:
        raise CycleInputError(f"same_day names {unknown} that are not among the variables {list(names)}")
    return sorted({names.index(v) for v in same_day})


def shift_frame_rows(
    codes: NDArray[np.int64], day: NDArray[np.int64], values: NDArray[np.float64], cols: list[int]
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
    """One row per patient-day with the `cols` values of day t filed under day t-1.

    Expects at most one row per patient and day (a daily diary).  Returns the new patient codes,
    day numbers and values; a day may now hold only last-night values (the day before the first
    check-in) or only today's values (the last check-in day: its night is not yet recorded).
    """
    today = values.copy()
    today[:, cols] = np.nan
    night = np.full_like(values, np.nan)
    night[:, cols] = values[:, cols]
    c2, d2, v2 = np.r_[codes, codes], np.r_[day, day - 1], np.r_[today, night]
    order = np.lexsort((d2, c2))
    c2, d2, v2 = c2[order], d2[order], v2[order]
    start = np.flatnonzero(np.r_[True, (c2[1:] != c2[:-1]) | (d2[1:] != d2[:-1])])
    # Each patient-day has at most one today-row and one night-row with disjoint columns: fmax keeps the value.
    merged = np.fmax.reduceat(v2, start, axis=0) if len(v2) else v2
    return c2[start], d2[start], merged


def shift_grid(values: NDArray[np.float64], cols: list[int]) -> NDArray[np.float64]:
    """A copy of the (n, T, k) daily grid with the `cols` values of slot j moved to slot j-1."""
    out = np.array(values, dtype=np.float64)
    out[:, :-1, cols] = values[:, 1:, cols]
    out[:, -1, cols] = np.nan
    return out
