"""The demo's stories: which fictional patient shows which alert, and how their diary shows it.

The panel is only realistic if its alerts come about the way real ones do. So nothing here
writes an alert: the diaries and questionnaire answers are shaped so that the real write
path (`do_record_response`) and the real periodic pass (`do_evaluate_alerts`) raise them.

| patient | story | raised by |
|---|---|---|
| 0, the demo patient | latest PHQ-9 item 9 answered 1: a critical self-harm alert (see below) | `do_record_response` |
| 1 | latest PHQ-9 in the severe band (20, clinical-reference §1.1) | `do_record_response` |
| 2 | GAD-7 from 4 to 11: a reliable worsening (> 3.22 points, clinical-reference §3) | `do_record_response` |
| 3 | pain ≥ 2 above their own 28-day median for the last 3 days (core.alert_rules) | `do_evaluate_alerts` |
| 4 | regular check-ins, then none for the last 9 days (core.alert_rules, ≥ 7) | `do_evaluate_alerts` |

The demo patient's diary also carries one link the "My cycle" page can honestly call clear: pain
on a day is lowered by `SLEEP_LINK_STD` standard deviations per standard deviation of better
sleep the night before — inside the range real diaries show for sleep quality and next-morning
pain (analytics-reference §2.1 Tang 2012, Gerhart 2017; §2.3: −0.1 … −0.4 SD; the strong end,
so that four months of one diary can show it). The synthetic cohort's own cross-lags stay at
literature size, so most other demo patients show nothing clear.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import pandas as pd

from painmind.core.alert_rules import FLARE_BASELINE_DAYS, FLARE_DAYS, FLARE_MIN_BASELINE, FLARE_RISE, SILENCE_DAYS

SELF_HARM, SEVERE, WORSENING, FLARE, SILENCE = "self_harm", "severe", "worsening", "flare", "silence"
STORIES = {0: SELF_HARM, 1: SEVERE, 2: WORSENING, 3: FLARE, 4: SILENCE}

# PHQ-9 answers totalling 20, the lowest "severe" total (clinical-reference §1.1: 20–27), item 9 = 0.
SEVERE_PHQ9 = [3, 3, 2, 3, 2, 2, 3, 2, 0]
# GAD-7 4 ("minimal", 0–4) then 11 ("moderate", 10–14; clinical-reference §1.3): up 7 points,
# more than the 3.22 that measurement error explains (clinical-reference §3), and not severe.
GAD7_BEFORE = [1, 1, 1, 0, 1, 0, 0]
GAD7_AFTER = [2, 2, 2, 1, 2, 1, 1]
# A silence this long: last check-in SILENCE_GAP days ago (today's count starts at 0).
SILENCE_GAP = SILENCE_DAYS + 2


SLEEP_LINK_STD = -0.4


def shape_diary(frame: pd.DataFrame, story: str | None, today: date) -> pd.DataFrame:
    """The patient's synthetic diary, changed as their story needs (a copy; others unchanged)."""
    if story == SELF_HARM:
        return _sleep_link(frame)
    if story == FLARE:
        return _flare(frame, today)
    if story == SILENCE:
        local = frame["local_date"].dt.date
        kept: pd.DataFrame = frame[local <= today - timedelta(days=SILENCE_GAP)]
        return kept.reset_index(drop=True)
    return frame


def _flare(frame: pd.DataFrame, today: date) -> pd.DataFrame:
    """The last FLARE_DAYS days (ending yesterday: the diary's last day) become a flare.

    A missing flare day gets a copy of the latest earlier check-in moved to that day. If the
    person's 28-day median is so high that +2 would pass 10, their earlier pain is lowered so
    the flare fits on the 0–10 scale.
    """
    frame = frame.sort_values("recorded_at").reset_index(drop=True)
    flare_days = [today - timedelta(days=k) for k in range(FLARE_DAYS, 0, -1)]
    if frame.empty or frame["local_date"].dt.date.min() > flare_days[0] - timedelta(days=FLARE_MIN_BASELINE):
        return frame  # too short a diary for a flare (a tiny demo)
    for day in flare_days:
        local = frame["local_date"].dt.date
        if (local == day).any():
            continue
        source = frame[local < day].tail(1).copy()
        shift = pd.Timedelta(days=(day - source["local_date"].dt.date.iloc[0]).days)
        source["recorded_at"] += shift
        source["local_date"] += shift
        frame = pd.concat([frame, source], ignore_index=True).sort_values("recorded_at").reset_index(drop=True)
    local = frame["local_date"].dt.date
    start = flare_days[0]
    baseline = (local >= start - timedelta(days=FLARE_BASELINE_DAYS)) & (local < start)
    before = local < start
    median = float(frame.loc[baseline].groupby(local[baseline])["pain"].mean().median())
    top = 10 - FLARE_RISE - 1  # the flare goes to median + 3 at most
    if median > top:
        frame.loc[before, "pain"] = (frame.loc[before, "pain"] - math.ceil(median - top)).clip(lower=0)
        median = float(frame.loc[baseline].groupby(local[baseline])["pain"].mean().median())
    base = math.ceil(median)
    for day, rise in zip(flare_days, (FLARE_RISE, FLARE_RISE + 1, FLARE_RISE + 1), strict=False):
        frame.loc[local == day, "pain"] = min(10.0, base + rise)
    return frame


def _sleep_link(frame: pd.DataFrame) -> pd.DataFrame:
    """Pain that day lowered by SLEEP_LINK_STD SDs of pain per SD of last night's sleep quality
    (recorded on the same row: it describes the night before), kept on the 0–10 scale."""
    frame = frame.copy()
    sleep, pain = frame["sleep_quality"], frame["pain"]
    if sleep.notna().sum() < 3 or not sleep.std() > 0:
        return frame
    slope = SLEEP_LINK_STD * pain.std() / sleep.std()
    shifted = pain + slope * (sleep - sleep.mean()).fillna(0.0)
    frame["pain"] = shifted.round().clip(0, 10).where(pain.notna())
    return frame
