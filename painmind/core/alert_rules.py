"""Rules that turn a diary into care-team alerts. Pure, dated, testable.

- `response_alerts`: which alerts a scored questionnaire response implies: a PHQ-9 item 9
  answered above 0 or left blank (clinical-reference §1.1), a severe band (§1.1, §1.3), a
  reliable worsening (§3).
- `find_flare` and `is_silent`: pain flares and silence in a diary. These are project rules
  from the care-team issue (not clinical-reference thresholds); the numbers are named here and
  documented in docs/safety.md.

The rules say *what* should be open; `painmind.diary.actions.alerts` opens and closes them.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from painmind.core.instruments import ChangeResult, ScoreResult

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


# Reliable worsening raises an alert on these (the questionnaires issue); severe bands are
# flagged by core.instruments ("severe_band": PHQ-9 >= 20, GAD-7 >= 15, clinical-reference §1.1, §1.3).
WORSENING_ALERT_INSTRUMENTS = ("phq9", "gad7", "peg")
# One open self-harm alert per patient; later answers attach to it (docs/safety.md).
SELF_HARM_KEY = "self_harm"


def response_alerts(
    result: ScoreResult, change: ChangeResult | None, *, instrument_id: str, name: str, response_id: object
) -> list[AlertSpec]:
    """The alerts one scored response implies, most urgent first.

    `name` is the instrument's short name ("PHQ-9"); `change` the comparison with the previous
    scored response, if any. One self-harm alert is open per patient at a time (key
    ``SELF_HARM_KEY``): a further positive or blank item 9 attaches to it; score alerts are keyed
    by the instrument (one open per instrument).
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
    if change is not None and change.reliable == "reliable_worsening" and instrument_id in WORSENING_ALERT_INSTRUMENTS:
        out.append(AlertSpec("reliable_worsening", "warning", instrument_id, f"{name}: {change.text}"))
    return out


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


def silence_text(last: date, today: date) -> str:
    """The silence alert's title: "No check-in since 03 Mar (9 days) after regular check-ins"."""
    return f"No check-in since {last:%d %b} ({(today - last).days} days) after regular check-ins"


def is_silent(checkin_days: set[date], today: date) -> bool:
    """No check-in in the last SILENCE_DAYS days (today included) after a run of regular use."""
    last = max((d for d in checkin_days if d <= today), default=None)
    if last is None or (today - last).days < SILENCE_DAYS:
        return False
    window = {last - timedelta(days=i) for i in range(SILENCE_LOOKBACK_DAYS)}
    return len(window & checkin_days) >= SILENCE_MIN_ACTIVE
