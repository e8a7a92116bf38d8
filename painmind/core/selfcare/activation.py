"""Behavioural activation (clinical-reference §9.3): activities logged with a life area and
rated for mastery (achievement) and pleasure (enjoyment) 0–10; specific activities planned
for coming days; planned vs done.

"Which activities went with better next days" is `activation_links` (the cycle engine's "what
helps me" machinery; docs/selfcare.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from painmind.core.selfcare._numbers import read_day, whole_in_range

RATING_MIN, RATING_MAX = 0, 10
NAME_MAX_CHARS = 80
# §9.3 leaves life areas to the person. PROJECT RULE: a short fixed list to choose from, with
# "other", so planned vs done can be read by area.
LIFE_AREAS: dict[str, str] = {
    "relationships": "Family and friends",
    "work": "Work, study or volunteering",
    "home": "Home and daily tasks",
    "health": "Health and body",
    "leisure": "Fun and interests",
    "community": "Community and beliefs",
    "other": "Something else",
}
# PROJECT RULE: plans reach at most 28 days ahead; a done day is never in the future.
PLAN_AHEAD_DAYS = 28


class ActivityError(ValueError):
    """Invalid activity input; `errors` maps each field to the reasons."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{f}: {' '.join(m)}" for f, m in errors.items()))


def check_done(data: Mapping[str, Any], today: date, errors: dict[str, list[str]]) -> dict[str, Any]:
    """`done_on` (not in the future), `mastery` and `pleasure` (0–10, only once done)."""
    done_on = read_day(data.get("done_on"), "done_on", errors)
    if done_on is not None and done_on > today:
        errors.setdefault("done_on", []).append("cannot be in the future")
    values: dict[str, Any] = {"done_on": done_on}
    for field in ("mastery", "pleasure"):
        values[field] = whole_in_range(data.get(field), field, errors, RATING_MIN, RATING_MAX, required=False)
        if values[field] is not None and done_on is None and "done_on" not in errors:
            errors.setdefault(field, []).append("is rated once the activity is done (give done_on)")
    return values


def clean_activity(data: Mapping[str, Any], today: date) -> dict[str, Any]:
    """Check a new activity: planned (`planned_on`, today up to 28 days ahead), done (`done_on`,
    with mastery and pleasure), or both. Raises ActivityError naming every bad field."""
    errors: dict[str, list[str]] = {}
    name = str(data.get("name") or "").strip()
    if not name:
        errors["name"] = ["is required"]
    elif len(name) > NAME_MAX_CHARS:
        errors["name"] = [f"must be at most {NAME_MAX_CHARS} characters"]
    area = str(data.get("life_area") or "").strip()
    if area not in LIFE_AREAS:
        errors["life_area"] = [f"must be one of: {', '.join(LIFE_AREAS)} (got {area!r})"]
    planned_on = read_day(data.get("planned_on"), "planned_on", errors)
    values = check_done(data, today, errors)
    if planned_on is not None and values["done_on"] is None and "done_on" not in errors:
        if planned_on < today:
            errors.setdefault("planned_on", []).append("must be today or later (log a past activity with done_on)")
        elif planned_on > today + timedelta(days=PLAN_AHEAD_DAYS):
            errors.setdefault("planned_on", []).append(f"must be at most {PLAN_AHEAD_DAYS} days ahead")
    if planned_on is None and values["done_on"] is None and not errors.get("planned_on") and not errors.get("done_on"):
        errors["planned_on"] = ["give planned_on (a plan) or done_on (done), or both"]
    if errors:
        raise ActivityError(errors)
    return {"name": name, "life_area": area, "planned_on": planned_on, **values}


@dataclass(frozen=True)
class PlannedVsDone:
    """Planned activities whose day has come: how many were done (on any day); the plans still
    ahead; the activities done without a plan."""

    due: int
    done_as_planned: int
    ahead: int
    unplanned_done: int


def planned_vs_done(items: Iterable[tuple[date | None, date | None]], today: date) -> PlannedVsDone:
    """From `(planned_on, done_on)` pairs. PROJECT RULE: a plan counts as done whatever day it
    was done; a plan not done is "due" once its day has come, and "ahead" before."""
    due = done = ahead = unplanned = 0
    for planned_on, done_on in items:
        if planned_on is None:
            unplanned += done_on is not None
        elif planned_on <= today or done_on is not None:
            due += 1
            done += done_on is not None
        else:
            ahead += 1
    return PlannedVsDone(due, done, ahead, unplanned)
