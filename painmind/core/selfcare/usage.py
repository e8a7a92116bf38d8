"""How much a tool was used: uses in the last 28 days and the last use (the clinician's summary).

PROJECT RULE: a *use* is a thought record written, a pacing session logged, a relaxation session
logged, or an activity done, on its local day; the window is the 28 days ending today (today and
the 27 before), the same length as the person's usual-values window elsewhere (hard-day offer,
boom and bust).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

USAGE_WINDOW_DAYS = 28


@dataclass(frozen=True)
class Usage:
    """`recent`: uses on the window's days; `last`: the latest use on or before today (None: never)."""

    recent: int
    last: date | None


def usage(days: Iterable[date], today: date, window: int = USAGE_WINDOW_DAYS) -> Usage:
    """Count the uses whose day is in the `window` days ending `today`; the last use up to today."""
    first = today - timedelta(days=window - 1)
    past = [d for d in days if d <= today]
    return Usage(sum(first <= d for d in past), max(past, default=None))


def uses_this_week(days: Iterable[date], today: date) -> int:
    """Uses from Monday of today's week to today (the care plan's "this week")."""
    monday = today - timedelta(days=today.weekday())
    return sum(monday <= d <= today for d in days)
