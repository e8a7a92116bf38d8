""" "Boom and bust" in a diary (clinical-reference §9.2): a day well above one's usual activity
followed by higher pain and lower activity.

PROJECT RULES (docs/selfcare.md), built on the pain-flare rule of `core.alert_rules` so that the
two words mean the same thing everywhere:

- *Usual* activity and pain are the medians of the person's daily means over the
  FLARE_BASELINE_DAYS (28) days before the boom day, from at least FLARE_MIN_BASELINE (14) days
  with a value; with fewer, nothing is said.
- A *boom* day's active minutes are at least BOOM_RATIO (1.5) × the usual median **and** at least
  BOOM_MIN_EXTRA_MINUTES (30) above it, so that 15 minutes against a usual 10 is not a boom.
- A *bust* follows within BUST_WITHIN_DAYS (2) days: a day whose pain reaches the flare threshold
  (`alert_rules.flare_threshold`: the usual pain median + 2, at most 10) and whose active minutes
  are below the usual median. One bad day is enough here (the alert's flare needs 3): this is a
  gentle note to the person, never an alert.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from painmind.core.alert_rules import FLARE_BASELINE_DAYS, FLARE_MIN_BASELINE, flare_threshold

BOOM_RATIO = 1.5
BOOM_MIN_EXTRA_MINUTES = 30.0
BUST_WITHIN_DAYS = 2


@dataclass(frozen=True)
class BoomBust:
    boom_on: date
    boom_minutes: float
    usual_minutes: float
    bust_on: date
    bust_pain: float
    usual_pain: float


def _median_before(series: Mapping[date, float], day: date) -> float | None:
    values = [series[d] for d in (day - timedelta(days=i) for i in range(1, FLARE_BASELINE_DAYS + 1)) if d in series]
    if len(values) < FLARE_MIN_BASELINE:
        return None
    return float(statistics.median(values))


def is_boom(minutes: float, usual: float) -> bool:
    """Well above usual activity: ≥ 1.5 × usual and ≥ usual + 30 minutes (PROJECT RULE)."""
    return minutes >= BOOM_RATIO * usual and minutes >= usual + BOOM_MIN_EXTRA_MINUTES


def find_boom_bust(
    daily_activity: Mapping[date, float],
    daily_pain: Mapping[date, float],
    *,
    since: date,
    until: date,
) -> list[BoomBust]:
    """Each boom day in [since, until] followed by a bust within BUST_WITHIN_DAYS, oldest first.

    Both maps hold a day's mean (`core.daily.daily_means`); a day without a value is neither a
    boom nor a bust, and nothing is interpolated.
    """
    found: list[BoomBust] = []
    day = since
    while day <= until:
        minutes = daily_activity.get(day)
        usual = _median_before(daily_activity, day) if minutes is not None else None
        usual_pain = _median_before(daily_pain, day) if usual is not None else None
        if minutes is not None and usual is not None and usual_pain is not None and is_boom(minutes, usual):
            threshold = flare_threshold(usual_pain)
            for k in range(1, BUST_WITHIN_DAYS + 1):
                after = day + timedelta(days=k)
                pain, active = daily_pain.get(after), daily_activity.get(after)
                if pain is not None and active is not None and pain >= threshold and active < usual:
                    found.append(BoomBust(day, minutes, usual, after, pain, usual_pain))
                    break
        day += timedelta(days=1)
    return found
