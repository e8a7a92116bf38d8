"""What a valid daily check-in is: field bounds, normalisation and errors.

One definition serves the web form, the JSON API, the CLI and the database constraints, so
a value cannot be valid on one path and invalid on another.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from painmind.core.body_regions import BODY_REGIONS

NOTE_MAX_CHARS = 2000
TAG_MAX_CHARS = 40
MAX_TAGS = 20
# Phones' clocks drift; an entry a few minutes "in the future" is a clock, not a time machine.
FUTURE_TOLERANCE = timedelta(minutes=5)


@dataclass(frozen=True)
class Scale:
    """A numeric check-in field: inclusive bounds, type and what its ends mean."""

    name: str
    label: str
    lo: float
    hi: float
    kind: Literal["int", "float"] = "int"
    required: bool = False
    low_anchor: str = ""
    high_anchor: str = ""
    unit: str = ""
    # Which way is good, for a screen reader's description of the scale (docs/accessibility.md):
    # read off the anchors, never added where the anchors do not say it (social contact).
    higher_is_better: bool | None = None
    # What the value describes: the check-in's own day, or the night before it (the night between
    # the previous day and this one). The cycle engine pairs a last-night value recorded on day t
    # with the outcome of day t (docs/cycle.md, "Lag pairs"; analytics-reference §1 item 2).
    refers_to: Literal["today", "last_night"] = "today"


SCALES: tuple[Scale, ...] = (
    # Pain NRS 0-10 anchored "no pain" to "worst pain imaginable": clinical-reference §1.10.
    Scale(
        "pain",
        "Pain",
        0,
        10,
        required=True,
        low_anchor="no pain",
        high_anchor="worst imaginable",
        higher_is_better=False,
    ),
    Scale("mood", "Mood", 0, 10, required=True, low_anchor="very low", high_anchor="very good", higher_is_better=True),
    Scale(
        "pain_interference",
        "Pain got in the way of daily life",
        0,
        10,
        low_anchor="not at all",
        high_anchor="completely",
        higher_is_better=False,
    ),
    Scale("anxiety", "Anxiety", 0, 10, low_anchor="none", high_anchor="extreme", higher_is_better=False),
    Scale("stress", "Stress", 0, 10, low_anchor="none", high_anchor="extreme", higher_is_better=False),
    Scale("sleep_hours", "Sleep last night", 0, 24, kind="float", unit="hours", refers_to="last_night"),
    Scale(
        "sleep_quality",
        "Sleep quality",
        0,
        10,
        low_anchor="very poor",
        high_anchor="very good",
        higher_is_better=True,
        refers_to="last_night",
    ),
    Scale("activity_minutes", "Active time", 0, 1440, unit="minutes"),
    Scale("social", "Social contact", 0, 10, low_anchor="none", high_anchor="a lot"),
)
SCALE_BY_NAME: dict[str, Scale] = {s.name: s for s in SCALES}
# Check-in fields that describe the night before the check-in's day (sleep), not the day itself.
LAST_NIGHT: tuple[str, ...] = tuple(s.name for s in SCALES if s.refers_to == "last_night")
CONTENT_FIELDS: tuple[str, ...] = (*SCALE_BY_NAME, "pain_locations", "tags", "note")


class CheckInError(ValueError):
    """Invalid check-in data; `errors` maps each bad field to the reasons."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))


def _clean_number(scale: Scale, value: object) -> tuple[float | int | None, str | None]:
    if value is None or value == "":
        return None, ("is required" if scale.required else None)
    if isinstance(value, bool):
        return None, "must be a number"
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None, "must be a number"
    if not isinstance(value, int | float) or not math.isfinite(value):
        return None, "must be a number"
    if scale.kind == "int":
        if value != int(value):
            return None, "must be a whole number"
        value = int(value)
    if not scale.lo <= value <= scale.hi:
        return None, f"must be between {scale.lo:g} and {scale.hi:g}"
    return (float(value) if scale.kind == "float" else value), None


def _clean_locations(value: object) -> tuple[list[str], str | None]:
    if value is None or value == "":
        return [], None
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        return [], "must be a list of body-region codes"
    unknown = sorted({v for v in value if v not in BODY_REGIONS})
    if unknown:
        return [], f"unknown body region(s): {', '.join(unknown)}"
    # Keep the fixed list's order so equal sets compare equal.
    chosen = set(value)
    return [code for code in BODY_REGIONS if code in chosen], None


def _clean_tags(value: object) -> tuple[list[str], str | None]:
    if value is None or value == "":
        return [], None
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        return [], "must be a list of short words"
    tags: list[str] = []
    for raw in value:
        tag = " ".join(raw.split()).lower()
        if not tag:
            continue
        if len(tag) > TAG_MAX_CHARS:
            return [], f"each tag must be at most {TAG_MAX_CHARS} characters"
        if tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        return [], f"at most {MAX_TAGS} tags"
    return sorted(tags), None


def clean_checkin(data: Mapping[str, object]) -> dict[str, object]:
    """Validate and normalise check-in content.

    Parameters
    ----------
    data : mapping
        Field name to raw value (numbers, numeric strings from a form, lists or a
        comma-separated string for tags). Absent or empty optional fields become None / [].

    Returns
    -------
    dict
        Every name in `CONTENT_FIELDS`, normalised: ints for integer scales, float hours,
        locations in canonical order, tags lower-cased, de-duplicated and sorted.

    Raises
    ------
    CheckInError
        With every invalid field and why; unknown field names are errors too.

    Examples
    --------
    >>> clean_checkin({"pain": "4", "mood": 6, "tags": "Walk, walk"})["tags"]
    ['walk']
    """
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(data) - set(CONTENT_FIELDS))
    for name in unknown:
        errors[name] = ["is not a check-in field"]
    cleaned: dict[str, object] = {}
    for scale in SCALES:
        number, error = _clean_number(scale, data.get(scale.name))
        if error:
            errors[scale.name] = [error]
        cleaned[scale.name] = number
    for name, cleaner in (("pain_locations", _clean_locations), ("tags", _clean_tags)):
        items, error = cleaner(data.get(name))
        if error:
            errors[name] = [error]
        cleaned[name] = items
    note = data.get("note") or ""
    if not isinstance(note, str):
        errors["note"] = ["must be text"]
    elif len(note) > NOTE_MAX_CHARS:
        errors["note"] = [f"must be at most {NOTE_MAX_CHARS} characters (it has {len(note)})"]
    cleaned["note"] = note.strip() if isinstance(note, str) else ""
    if errors:
        raise CheckInError(errors)
    return cleaned


def check_recorded_at(recorded_at: datetime, now: datetime) -> None:
    """Raise CheckInError unless `recorded_at` is time-zone aware and not in the future."""
    if recorded_at.tzinfo is None or recorded_at.utcoffset() is None:
        raise CheckInError({"recorded_at": ["must include a time zone offset, e.g. 2026-03-29T20:00:00+01:00"]})
    if recorded_at > now + FUTURE_TOLERANCE:
        raise CheckInError({"recorded_at": ["cannot be in the future"]})
