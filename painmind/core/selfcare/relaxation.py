"""Relaxation (clinical-reference §9.4): the slow-breathing pacer, short progressive muscle
relaxation, and what a session usually does for this person.

- Slow paced breathing around 6 breaths a minute (resonance range about 4.5–7; e.g. 4 s in,
  6 s out). The evidence for mood and stress is modest (SMD −0.51, CI crossing 0): the pages
  call it a skill to try, not a treatment.
- Progressive muscle relaxation: tense a group about 5–7 s, release about 30–40 s; 7 or 4
  groups in the short forms. In pain: tense gently, never into pain, skip a painful area.
- Ratings before and after (tension, pain 0–10), so the person sees what a session does.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from painmind.core.selfcare._numbers import whole_in_range

KINDS = {"breathing": "Slow breathing", "muscle": "Muscle relaxation"}
MEASURES = ("tension", "pain")
RATING_MIN, RATING_MAX = 0, 10

# §9.4: around 6 a minute, range about 4.5–7. PROJECT RULE: the pacer offers half-breath steps.
RATE_DEFAULT = Decimal("6")
RATES = tuple(Decimal(x) for x in ("4.5", "5", "5.5", "6", "6.5", "7"))
# §9.4's example is 4 s in, 6 s out at 6 a minute. PROJECT RULE: every rate keeps that split,
# breathing in for 40 % of each breath.
INHALE_SHARE = Decimal("0.4")
# PROJECT RULE: the timer runs 2–20 minutes (§9.4 says sessions of 5–20; 2 is allowed as a
# first try) and a logged session of any kind is 1–60 whole minutes (it may be cut short).
TIMER_MINUTES_MIN, TIMER_MINUTES_MAX, TIMER_MINUTES_DEFAULT = 2, 20, 5
MINUTES_MIN, MINUTES_MAX = 1, 60

# §9.4 timings; the pages say "about" and the guide uses the middle of each range.
TENSE_SECONDS = (5, 7)
RELEASE_SECONDS = (30, 40)
# PROJECT RULE: the groups of the 7- and 4-group forms (§9.4 gives only their number).
MUSCLE_GROUPS: dict[int, tuple[str, ...]] = {
    7: (
        "Right hand and arm",
        "Left hand and arm",
        "Face",
        "Neck and throat",
        "Chest, shoulders, back and belly",
        "Right leg and foot",
        "Left leg and foot",
    ),
    4: ("Both arms and hands", "Face and neck", "Chest, shoulders, back and belly", "Both legs and feet"),
}


@dataclass(frozen=True)
class Pace:
    """One breath at `rate` a minute: seconds in, seconds out."""

    rate: Decimal
    breath_seconds: Decimal
    inhale_seconds: Decimal
    exhale_seconds: Decimal

    @property
    def css_class(self) -> str:
        """`pace-6`, `pace-4-5`, … (the stylesheet holds one duration per offered rate)."""
        return "pace-" + format(self.rate.normalize(), "f").replace(".", "-")


def pace(rate: Decimal | str | float = RATE_DEFAULT) -> Pace:
    """The breath at `rate` (one of `RATES`; ValueError otherwise), times to 0.1 s."""
    r = Decimal(str(rate))
    if r not in RATES:
        raise ValueError(f"rate must be one of {', '.join(str(x) for x in RATES)}")
    breath = Decimal(60) / r
    inhale = breath * INHALE_SHARE
    tenth = Decimal("0.1")
    return Pace(r, breath.quantize(tenth), inhale.quantize(tenth), (breath - inhale).quantize(tenth))


def muscle_minutes(groups: int) -> int:
    """About how long a round takes: each group tensed and released once at the middle of the
    §9.4 ranges (6 s + 35 s), rounded up to whole minutes."""
    per_group = sum(TENSE_SECONDS) / 2 + sum(RELEASE_SECONDS) / 2
    return math.ceil(len(MUSCLE_GROUPS[groups]) * per_group / 60)


class SessionError(ValueError):
    """An invalid session; `errors` maps each field to the reasons."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{f}: {' '.join(m)}" for f, m in errors.items()))


def clean_session(data: Mapping[str, Any]) -> dict[str, Any]:
    """Check a session: `kind`, `minutes`, `before` and `after` as `{tension, pain}` (each 0–10,
    either may be left out, but each of before and after needs one), `rate` for breathing
    (default 6). Returns the model fields; raises SessionError naming every bad field."""
    errors: dict[str, list[str]] = {}
    kind = str(data.get("kind") or "").strip()
    if kind not in KINDS:
        errors["kind"] = [f"must be one of: {', '.join(KINDS)} (got {kind!r})"]
    minutes = whole_in_range(data.get("minutes"), "minutes", errors, MINUTES_MIN, MINUTES_MAX, required=True)
    values: dict[str, Any] = {"kind": kind, "minutes": minutes, "rate": None}
    if kind == "breathing":
        raw = data.get("rate")
        try:
            values["rate"] = pace(RATE_DEFAULT if raw in (None, "") else str(raw).strip()).rate
        except (ValueError, ArithmeticError):
            errors["rate"] = [f"must be one of: {', '.join(str(x) for x in RATES)} breaths a minute"]
    elif data.get("rate") not in (None, ""):
        errors["rate"] = ["is only for slow breathing"]
    for when in ("before", "after"):
        ratings = data.get(when)
        if ratings is None or ratings == "":
            ratings = {}
        if not isinstance(ratings, Mapping):
            errors[when] = ["must be an object with tension and/or pain (0–10)"]
            continue
        extra = sorted(set(ratings) - set(MEASURES))
        if extra:
            errors[when] = [f"unknown rating: {', '.join(map(str, extra))}"]
        got = {
            m: whole_in_range(ratings.get(m), f"{when}.{m}", errors, RATING_MIN, RATING_MAX, required=False)
            for m in MEASURES
        }
        if all(ratings.get(m) in (None, "") for m in MEASURES) and when not in errors:
            errors[when] = ["needs a tension or pain rating (0–10)"]
        for m in MEASURES:
            values[f"{m}_{when}"] = got[m]
    if errors:
        raise SessionError(errors)
    return values


@dataclass(frozen=True)
class UsualChange:
    """The median change (after − before) of one measure, over `n` sessions rated both times."""

    measure: str
    median: float | None
    n: int


def usual_change(pairs: Iterable[tuple[int | None, int | None]], measure: str) -> UsualChange:
    """What a session usually does: the median of after − before over the sessions with both."""
    diffs = [after - before for before, after in pairs if before is not None and after is not None]
    return UsualChange(measure, float(statistics.median(diffs)) if diffs else None, len(diffs))
