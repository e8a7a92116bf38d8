"""Whether a check-in is a hard day *for this person*, to offer a thought record (the issue:
pain at least 2 above, or mood at least 2 below, their own 28-day median).

PROJECT RULES (docs/selfcare.md): the medians are of the daily means (`core.daily`) over the
HARD_DAY_WINDOW_DAYS calendar days before the check-in's local day (the day itself left out, so
a bad morning does not lower its own bar); each needs HARD_DAY_MIN_DAYS days with a value, else
that half of the rule says nothing. The check-in's own values are compared. It is only ever an
offer, never an alert or a gate.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

HARD_DAY_WINDOW_DAYS = 28
HARD_DAY_MIN_DAYS = 7
PAIN_RISE = 2.0
MOOD_DROP = 2.0


@dataclass(frozen=True)
class HardDay:
    pain_median: float | None
    mood_median: float | None
    pain_high: bool
    mood_low: bool

    @property
    def is_hard(self) -> bool:
        return self.pain_high or self.mood_low


def window_median(series: Mapping[date, float], day: date) -> float | None:
    """The median of the series over the 28 days before `day`; None with fewer than 7 values."""
    values = [series[d] for d in (day - timedelta(days=i) for i in range(1, HARD_DAY_WINDOW_DAYS + 1)) if d in series]
    if len(values) < HARD_DAY_MIN_DAYS:
        return None
    return float(statistics.median(values))


def hard_day(
    *,
    on: date,
    pain: float | None,
    mood: float | None,
    daily_pain: Mapping[date, float],
    daily_mood: Mapping[date, float],
) -> HardDay:
    """Pain ≥ the 28-day median + 2, or mood ≤ the 28-day median − 2."""
    pm, mm = window_median(daily_pain, on), window_median(daily_mood, on)
    return HardDay(
        pain_median=pm,
        mood_median=mm,
        pain_high=pm is not None and pain is not None and pain >= pm + PAIN_RISE,
        mood_low=mm is not None and mood is not None and mood <= mm - MOOD_DROP,
    )
