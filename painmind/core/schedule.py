"""When a questionnaire is next due, from the last completion and the plan's interval."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

# Product defaults from the measurement-plan issue (not clinical thresholds): PHQ-9 and GAD-7
# every 14 days, PEG every 7 days. A clinician with consent can change them per patient.
DEFAULT_INTERVALS: dict[str, int] = {"phq9": 14, "gad7": 14, "peg": 7}
MAX_INTERVAL_DAYS = 365
# The interval a form offers for an instrument that has no default and is not asked yet.
DEFAULT_SHOWN_INTERVAL = 14


@dataclass(frozen=True)
class DueStatus:
    state: Literal["due", "overdue", "upcoming"]
    due_on: date
    days_overdue: int

    @property
    def text(self) -> str:
        if self.state == "upcoming":
            return f"next due {self.due_on:%d %b}"
        if self.state == "overdue":
            return f"overdue by {self.days_overdue} day{'s' if self.days_overdue != 1 else ''}"
        return "due today"


def due_status(last_on: date | None, interval_days: int, today: date) -> DueStatus:
    """Due on ``last_on + interval_days`` (today if never done); overdue after that day.

    >>> due_status(date(2026, 3, 1), 14, date(2026, 3, 16)).text
    'overdue by 1 day'
    """
    if not 1 <= interval_days <= MAX_INTERVAL_DAYS:
        raise ValueError(f"interval_days must be between 1 and {MAX_INTERVAL_DAYS}")
    due_on = today if last_on is None else last_on + timedelta(days=interval_days)
    if today < due_on:
        return DueStatus("upcoming", due_on, 0)
    late = (today - due_on).days
    return DueStatus("overdue" if late > 0 else "due", due_on, late)
