"""Rules that turn a diary into care-team alerts. Pure, dated, testable.

- `response_alerts`: which alerts a scored questionnaire response implies: a PHQ-9 item 9
  answered above 0 or left blank (clinical-reference §1.1), a severe band (§1.1, §1.3), a
  reliable worsening (§3) against the previous score or the 90-day baseline (`find_worsening`).
- `severe_band_passed` and `worsening_passed`: when an open score alert may close.
- `find_flare` and `is_silent`: pain flares and silence in a diary. These are project rules
  from the care-team issue (not clinical-reference thresholds); the numbers are named here and
  documented in docs/safety.md.

The rules say *what* should be open; `painmind.diary.actions.alerts` opens and closes them.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from painmind.core.instruments import ChangeResult, ReliableChangeConfig, ScoreResult, compare
from painmind.core.instruments.model import format_number

# Pain flare (project rules, docs/safety.md): a flare day's pain is at least
# min(median + FLARE_RISE, FLARE_CAP), the median of the person's own FLARE_BASELINE_DAYS before
# the run (capped so that a median above 8 can still flare: the scale ends at 10); FLARE_DAYS
# flare days within FLARE_SPAN_DAYS consecutive calendar days, where a day without a check-in
# neither counts nor breaks the run. The baseline needs FLARE_MIN_BASELINE days with a
# check-in, so a new user's first week is not a "flare".
FLARE_RISE = 2.0
FLARE_CAP = 10.0
FLARE_DAYS = 3
FLARE_SPAN_DAYS = 4
FLARE_BASELINE_DAYS = 28
FLARE_MIN_BASELINE = 14
# Silence: no check-in for SILENCE_DAYS days while the person had been checking in, i.e. had at
# least SILENCE_MIN_ACTIVE check-in days in the SILENCE_LOOKBACK_DAYS before the silence began.
SILENCE_DAYS = 7
SILENCE_LOOKBACK_DAYS = 28
SILENCE_MIN_ACTIVE = 7


@dataclass(frozen=True)
class AlertSpec:
    """An alert a rule says should be open.

    ``kind`` and ``severity`` are the values of the alert model's choices (``"self_harm"``,
    ``"critical"``…); ``key`` makes a second alert with the same kind a duplicate while the
    first is open. ``level`` ranks a self-harm answer (the item-9 value; 0 when left blank), so
    that a later answer can be told apart as worse than the one the team heard about.
    """

    kind: str
    severity: str
    key: str
    title: str
    level: int = 0
    data: Mapping[str, object] | None = None  # rule state kept on the alert (`Alert.data`)


# Reliable worsening raises an alert on these (the questionnaires issue); severe bands are
# flagged by core.instruments ("severe_band": PHQ-9 >= 20, GAD-7 >= 15, clinical-reference §1.1, §1.3).
WORSENING_ALERT_INSTRUMENTS = ("phq9", "gad7", "peg")
# One open self-harm alert per patient; later answers attach to it (docs/safety.md).
SELF_HARM_KEY = "self_harm"
# PROJECT RULE (docs/safety.md): a person's baseline for an instrument is their first scored
# response to it within the BASELINE_DAYS before the new one, so a slow decline whose every
# step stays inside measurement error (§3) is still caught once it adds up.
BASELINE_DAYS = 90


@dataclass(frozen=True)
class ScorePoint:
    """One stored, scored response: what a later score is compared with."""

    response_id: int
    total: float
    on: date  # the patient's local date of the response


@dataclass(frozen=True)
class Worsening:
    """A reliable worsening (§3) and the score it was judged against."""

    against: Literal["previous", "baseline"]
    reference: ScorePoint
    change: ChangeResult

    @property
    def text(self) -> str:
        """ "14, reliably worse than the first score in 90 days (2 on 1 Mar): up 12 points, more
        than the 6.9 points measurement error can explain" (short: it is an alert's title)."""
        c = self.change
        what = "last score" if self.against == "previous" else f"first score in {BASELINE_DAYS} days"
        move = f"{'up' if c.delta > 0 else 'down'} {format_number(abs(c.delta))} points"
        limit = "" if c.threshold is None else f", more than the {c.threshold:.1f} points measurement error can explain"
        return (
            f"{format_number(c.after)}, reliably worse than the {what} "
            f"({format_number(self.reference.total)} on {self.reference.on.day} {self.reference.on:%b}): {move}{limit}"
        )

    def to_data(self) -> dict[str, object]:
        """What `Alert.data` keeps, so the alert closes against the same reference."""
        return {
            "against": self.against,
            "response_id": self.reference.response_id,
            "total": self.reference.total,
            "on": self.reference.on.isoformat(),
        }


def find_worsening(
    instrument_id: str,
    total: float,
    *,
    previous: ScorePoint | None,
    baseline: ScorePoint | None,
    config: Mapping[str, ReliableChangeConfig] | None = None,
) -> Worsening | None:
    """Is `total` reliably worse (§3) than the previous score or the BASELINE_DAYS baseline?

    When it is worse than both, the alert is raised against the one it is further from (the
    better score; the baseline on a tie), so it stays open until the person is back within
    measurement error of the better of the two (PROJECT RULE, docs/safety.md).
    """
    found: list[Worsening] = []
    candidates: tuple[tuple[Literal["previous", "baseline"], ScorePoint | None], ...] = (
        ("baseline", baseline),
        ("previous", previous),
    )
    for against, ref in candidates:
        if ref is None:
            continue
        change = compare(instrument_id, ref.total, total, config=config)
        if change.reliable == "reliable_worsening":
            found.append(Worsening(against, ref, change))
    if not found:
        return None
    return max(found, key=lambda w: abs(w.change.delta))  # max keeps the first (baseline) on a tie


def worsening_passed(
    instrument_id: str,
    reference_total: float,
    latest_total: float,
    *,
    config: Mapping[str, ReliableChangeConfig] | None = None,
) -> bool:
    """A reliable-worsening alert closes only when the latest scored total is no longer reliably
    worse (§3) than the score it was raised against."""
    return compare(instrument_id, reference_total, latest_total, config=config).reliable != "reliable_worsening"


def severe_band_passed(total: float | None, flags: Iterable[str]) -> bool:
    """A severe-band alert closes only on a later *scored* response below the severe band
    (§1.1, §1.3): `total` and `flags` of the latest response (`ScoreResult`); one too
    incomplete to score (total None) says nothing and keeps it open."""
    return total is not None and "severe_band" not in flags


def response_alerts(
    result: ScoreResult,
    worsening: Worsening | None,
    *,
    instrument_id: str,
    name: str,
) -> list[AlertSpec]:
    """The alerts one scored response implies, most urgent first.

    `name` is the instrument's short name ("PHQ-9"); `worsening` the reliable worsening against
    the previous score or the baseline (`find_worsening`), if any. One self-harm alert is open
    per patient at a time (key ``SELF_HARM_KEY``): a further positive or blank item 9 attaches to
    it; score alerts are keyed by the instrument (one open per instrument).
    """
    out: list[AlertSpec] = []
    if result.safety is not None and result.safety.item9 in ("positive", "unknown"):
        # clinical-reference §1.1: item 9 >= 1 fires whatever the total; blank = risk unknown.
        title = (
            f"PHQ-9 item 9 (thoughts of being better off dead or of self-harm) answered {result.safety.value}"
            if result.safety.item9 == "positive"
            else "PHQ-9 item 9 (thoughts of self-harm) left blank: risk unknown"
        )
        level = result.safety.value if result.safety.item9 == "positive" and result.safety.value else 0
        out.append(AlertSpec("self_harm", "critical", SELF_HARM_KEY, title, level=level))
    if "severe_band" in result.flags and result.band is not None and result.total is not None:
        out.append(AlertSpec("severe_band", "warning", instrument_id, f"{name} {result.total:g}: {result.band.text}"))
    if worsening is not None and instrument_id in WORSENING_ALERT_INSTRUMENTS:
        out.append(
            AlertSpec(
                "reliable_worsening", "warning", instrument_id, f"{name}: {worsening.text}", data=worsening.to_data()
            )
        )
    return out


def flare_threshold(median: float) -> float:
    """The pain a flare day reaches: min(median + FLARE_RISE, FLARE_CAP) (PROJECT RULE)."""
    return min(median + FLARE_RISE, FLARE_CAP)


@dataclass(frozen=True)
class Flare:
    start: date
    end: date
    baseline_median: float
    threshold: float
    days: tuple[date, ...]  # the flare days, oldest first (a day without a check-in is not one)
    pains: tuple[float, ...]

    @property
    def text(self) -> str:
        values = ", ".join(f"{p:g}" for p in self.pains)
        return (
            f"Pain flare: {values} on {len(self.pains)} of the {FLARE_SPAN_DAYS} days to {self.end.day} {self.end:%b}, "
            f"at or above {self.threshold:g} (this person's 28-day median of {self.baseline_median:g} "
            f"+ {FLARE_RISE:g}, at most {FLARE_CAP:g})"
        )


def find_flare(daily_pain: Mapping[date, float], today: date) -> Flare | None:
    """The flare that is going on now: FLARE_DAYS flare days within the FLARE_SPAN_DAYS
    calendar days up to today.

    `daily_pain` maps each local date with check-ins to that day's pain (mean of the day).
    Until today's check-in exists the span may end yesterday (the evening entry may not have
    happened yet); once today is recorded, today decides. A day without a check-in neither
    counts nor breaks the run; a recorded day below the threshold breaks it: the newest
    FLARE_DAYS recorded days of the span must all be flare days. The threshold comes from the
    median of the FLARE_BASELINE_DAYS before the first of them.
    """
    end = today if today in daily_pain else today - timedelta(days=1)
    span = [end - timedelta(days=i) for i in range(FLARE_SPAN_DAYS)]  # newest first
    recorded = [d for d in span if d in daily_pain][:FLARE_DAYS]
    if len(recorded) < FLARE_DAYS:
        return None
    days = tuple(reversed(recorded))
    start = days[0]
    baseline = [
        daily_pain[d] for d in (start - timedelta(days=i) for i in range(1, FLARE_BASELINE_DAYS + 1)) if d in daily_pain
    ]
    if len(baseline) < FLARE_MIN_BASELINE:
        return None
    median = float(statistics.median(baseline))
    threshold = flare_threshold(median)
    pains = tuple(daily_pain[d] for d in days)
    if all(p >= threshold for p in pains):
        return Flare(start, end, median, threshold, days, pains)
    return None


def silence_text(last: date, today: date) -> str:
    """The silence alert's title: "No check-in since 3 Mar (9 days) after regular check-ins"."""
    return f"No check-in since {last.day} {last:%b} ({(today - last).days} days) after regular check-ins"


def is_silent(checkin_days: set[date], today: date) -> bool:
    """No check-in in the last SILENCE_DAYS days (today included) after a run of regular use."""
    last = max((d for d in checkin_days if d <= today), default=None)
    if last is None or (today - last).days < SILENCE_DAYS:
        return False
    window = {last - timedelta(days=i) for i in range(SILENCE_LOOKBACK_DAYS)}
    return len(window & checkin_days) >= SILENCE_MIN_ACTIVE
