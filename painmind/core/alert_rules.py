"""Rules that turn a diary into care-team alerts: pain flares and silence. Pure, dated, testable.

These are project rules from the care-team issue (not clinical-reference thresholds); the
numbers are named here and documented in docs/safety.md.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

# Pain flare: pain at least FLARE_RISE points above the person's own median over the
# FLARE_BASELINE_DAYS before the run, on FLARE_DAYS consecutive days. The baseline needs
# FLARE_MIN_BASELINE days with a check-in, so a new user's first week is not a "flare".
FLARE_RISE = 2.0
FLARE_DAYS = 3
FLARE_BASELINE_DAYS = 28
FLARE_MIN_BASELINE = 14
# Silence: no check-in for SILENCE_DAYS days while the person had been checking in, i.e. had at
# least SILENCE_MIN_ACTIVE check-in days in the SILENCE_LOOKBACK_DAYS before the silence began.
SILENCE_DAYS = 7
SILENCE_LOOKBACK_DAYS = 28
SILENCE_MIN_ACTIVE = 7


@dataclass(frozen=True)
class Flare:
    start: date
    end: date
    baseline_median: float
    pains: tuple[float, ...]

    @property
    def text(self) -> str:
        values = ", ".join(f"{p:g}" for p in self.pains)
        return (
            f"Pain flare: {values} on {len(self.pains)} days to {self.end:%d %b}, at least {FLARE_RISE:g} points "
            f"above this person's 28-day median of {self.baseline_median:g}"
        )


def find_flare(daily_pain: Mapping[date, float], today: date) -> Flare | None:
    """The flare that is going on now: the last FLARE_DAYS days up to today.

    `daily_pain` maps each local date with check-ins to that day's pain (mean of the day).
    Until today's check-in exists the run may end yesterday (the evening entry may not have
    happened yet); once today is recorded, today decides.
    """
    for end in (today,) if today in daily_pain else (today - timedelta(days=1),):
        days = [end - timedelta(days=i) for i in range(FLARE_DAYS - 1, -1, -1)]
        if not all(d in daily_pain for d in days):
            continue
        start = days[0]
        baseline = [
            daily_pain[d]
            for d in (start - timedelta(days=i) for i in range(1, FLARE_BASELINE_DAYS + 1))
            if d in daily_pain
        ]
        if len(baseline) < FLARE_MIN_BASELINE:
            continue
        median = statistics.median(baseline)
        pains = tuple(daily_pain[d] for d in days)
        if all(p >= median + FLARE_RISE for p in pains):
            return Flare(start, end, float(median), pains)
    return None


def is_silent(checkin_days: set[date], today: date) -> bool:
    """No check-in in the last SILENCE_DAYS days (today included) after a run of regular use."""
    last = max((d for d in checkin_days if d <= today), default=None)
    if last is None or (today - last).days < SILENCE_DAYS:
        return False
    window = {last - timedelta(days=i) for i in range(SILENCE_LOOKBACK_DAYS)}
    return len(window & checkin_days) >= SILENCE_MIN_ACTIVE
