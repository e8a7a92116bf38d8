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

from painmind.core.selfcare.tools import USE_NOUNS

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


def _uses(n: int, tool: str) -> str:
    one, many = USE_NOUNS[tool]
    return f"{n} {one if n == 1 else many}"


def tie_text(tool: str, *, recent: int, this_week: int, per_week: int | None, window: int = USAGE_WINDOW_DAYS) -> str:
    """One care-plan intervention's usage line, e.g. "5 relaxation sessions in the last 28 days;
    this week 2 of 3" (with a weekly target) or "…; 2 this week" (without one).

    >>> tie_text("relaxation", recent=5, this_week=2, per_week=3)
    '5 relaxation sessions in the last 28 days; this week 2 of 3'
    >>> tie_text("thought_records", recent=1, this_week=0, per_week=None)
    '1 thought record in the last 28 days; 0 this week'
    """
    week = f"this week {this_week} of {per_week}" if per_week else f"{this_week} this week"
    return f"{_uses(recent, tool)} in the last {window} days; {week}"
