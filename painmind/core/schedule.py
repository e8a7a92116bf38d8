"""When a questionnaire is next due: from the last completion and the plan's interval, or at
once after a positive screener (`screener_follow_ups`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
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
    # Why it is due before its interval says so: "Your PHQ-2 on 3 Mar was positive." ("" when not).
    reason: str = ""

    @property
    def text(self) -> str:
        if self.state == "upcoming":
            text = f"next due {self.due_on.day} {self.due_on:%b}"
        elif self.state == "overdue":
            text = f"overdue by {self.days_overdue} day{'s' if self.days_overdue != 1 else ''}"
        else:
            text = "due now" if self.reason else "due today"
        return f"{text}: {self.reason}" if self.reason else text


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


# A positive screener makes its full questionnaire due at once (clinical-reference cut-offs):
# PHQ-2 total >= 3 (§1.2) → PHQ-9; GAD-2 total >= 3 (§1.4) → GAD-7; PHQ-4 depression subscale
# (items 3+4) >= 3 → PHQ-9 and anxiety subscale (items 1+2) >= 3 → GAD-7 (§1.4). The cut-offs
# themselves live in the instruments' scoring data; here only which result points where:
# (screener, subscale name or None for the screener's own total) → the full questionnaire.
SCREENER_FOLLOW_UPS: dict[str, tuple[tuple[str | None, str], ...]] = {
    "phq2": ((None, "phq9"),),
    "gad2": ((None, "gad7"),),
    "phq4": (("depression", "phq9"), ("anxiety", "gad7")),
}
SCREENER_NAMES = {"phq2": "PHQ-2", "gad2": "GAD-2", "phq4": "PHQ-4"}
FOLLOW_UP_NAMES = {"phq9": "PHQ-9", "gad7": "GAD-7"}
_SUBSCALE_NAMES = {"depression": "depression questions", "anxiety": "anxiety questions"}


def follow_up_reason(screener_id: str, subscale: str | None) -> str:
    """What the patient is told: "your PHQ-2 was positive", "the depression questions of your
    PHQ-4 were positive"."""
    name = SCREENER_NAMES[screener_id]
    if subscale is None:
        return f"your {name} was positive"
    return f"the {_SUBSCALE_NAMES[subscale]} of your {name} were positive"


def screener_follow_ups(instrument_id: str, result: Mapping[str, object]) -> dict[str, str]:
    """The questionnaires a screener's stored result (`ScoreResult.to_dict()`) makes due at once,
    each with the reason to show: ``{"phq9": "your PHQ-2 was positive"}``; empty when none.

    >>> screener_follow_ups("phq2", {"screen_positive": True})
    {'phq9': 'your PHQ-2 was positive'}
    """
    out: dict[str, str] = {}
    raw = result.get("subscales")
    subscales = {s.get("name"): s for s in raw if isinstance(s, Mapping)} if isinstance(raw, list) else {}
    for subscale, target in SCREENER_FOLLOW_UPS.get(instrument_id, ()):
        positive = result.get("screen_positive") if subscale is None else subscales.get(subscale, {}).get("positive")
        if positive is True:
            out[target] = follow_up_reason(instrument_id, subscale)
    return out


def due_after_screener(status: DueStatus | None, screened_on: date, reason: str, today: date) -> DueStatus:
    """A questionnaire a positive screener on `screened_on` made due at once: due from that day
    (overdue after it), whatever its interval says, until it is completed after the screener.
    A status that was already overdue earlier keeps its earlier date."""
    reason = f"{reason} ({screened_on.day} {screened_on:%b})"
    if status is not None and status.state != "upcoming" and status.due_on <= screened_on:
        return replace(status, reason=reason)
    late = max((today - screened_on).days, 0)
    return DueStatus("overdue" if late > 0 else "due", min(screened_on, today), late, reason)
