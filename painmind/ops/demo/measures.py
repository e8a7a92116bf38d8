"""Questionnaire histories for the demo cohort, derived from each person's own diary.

Fictional but coherent: PHQ-9 answers follow the person's recent mood, GAD-7 their anxiety,
PEG their pain, so charts and diaries tell the same story. Some people's latest answers are
set by their story (`stories`): thoughts of self-harm, a severe PHQ-9, a worsening GAD-7.

Each response is recorded at the time it was completed (`clock.at`), so the alerts it raises
carry that time too; `after` is told of the alerts an earlier (not the latest) response raised,
before the next response is recorded, so the team can acknowledge them in the story's order.
The demo patient's self-harm answer is a PHQ-9 taken again out of schedule a little before the
load (`FRESH_BEFORE_LOAD`), so the critical alert the tour opens is new, not days unacknowledged.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta

import numpy as np
import pandas as pd

from painmind.accounts.audit import Actor
from painmind.accounts.models import User
from painmind.diary.actions import do_record_response
from painmind.ops.demo.clock import StoryClock
from painmind.ops.demo.stories import GAD7_AFTER, GAD7_BEFORE, SELF_HARM, SEVERE, SEVERE_PHQ9, WORSENING
from painmind.safety.models import Alert

SCHEDULE = (("phq9", 14, "mood", 9), ("gad7", 14, "anxiety", 7), ("peg", 7, "pain", 3))
# Project rule (demo story): the demo patient's out-of-schedule PHQ-9 with item 9 answered
# "several days" was completed this long before the load.
FRESH_BEFORE_LOAD = timedelta(hours=2)
Planned = list[tuple[datetime, list[int | None]]]


def _items(kind: str, level: float, n: int, rng: np.random.Generator) -> list[int]:
    """n item answers around `level` (0-1, higher = worse), on the instrument's own scale."""
    top = 10 if kind == "peg" else 3
    values = rng.normal(level * top, 0.3 * top / 3, size=n)
    return [int(v) for v in np.clip(np.rint(values), 0, top)]


def load_demo_measures(
    patient: User,
    diary: pd.DataFrame,
    rng: np.random.Generator,
    *,
    story: str | None,
    clock: StoryClock,
    after: Callable[[list[Alert]], None] | None = None,
) -> int:
    """Record the patient's questionnaires over the diary's span; returns how many."""
    actor = Actor(user=patient, via="cli")
    if diary.empty:
        return 0
    dates = pd.to_datetime(diary["local_date"]).dt.date
    first, last = dates.min(), dates.max()
    count = 0
    for instrument, every, column, n_items in SCHEDULE:
        day = first + timedelta(days=every - 1)
        planned: Planned = []
        while day <= last:
            window = diary[(dates > day - timedelta(days=every)) & (dates <= day)][column].dropna()
            if not window.empty:
                mean = float(window.mean())
                level = (10 - mean) / 10 if column == "mood" else mean / 10
                answers: list[int | None] = list(_items(instrument, level, n_items, rng))
                if instrument == "phq9":
                    answers[8] = 0
                planned.append((datetime.combine(day, time(18, 30), tzinfo=patient.tzinfo), answers))
            day += timedelta(days=every)
        _apply_story(instrument, planned, story, clock)
        for n, (at, answers) in enumerate(planned, start=1):
            opened = set(Alert.objects.open().filter(patient=patient).values_list("pk", flat=True))
            with clock.at(at) as now:
                do_record_response(actor, patient, instrument, answers, completed_at=now)
            raised = list(Alert.objects.open().filter(patient=patient).exclude(pk__in=opened))
            if raised and after is not None and n < len(planned):
                after(raised)
            count += 1
    return count


def _apply_story(instrument: str, planned: Planned, story: str | None, clock: StoryClock) -> None:
    """Set the latest answers the patient's story needs (the real scoring raises the alerts)."""
    if not planned:
        return
    last_day, last = planned[-1]
    if instrument == "phq9" and story == SELF_HARM:
        again = list(last)
        again[8] = 1  # clinical-reference §1.1: any item 9 ≥ 1 is a critical alert
        planned.append((clock.now - FRESH_BEFORE_LOAD, again))
    elif instrument == "phq9" and story == SEVERE:
        planned[-1] = (last_day, list(SEVERE_PHQ9))
    elif instrument == "gad7" and story == WORSENING and len(planned) >= 2:
        planned[-2] = (planned[-2][0], list(GAD7_BEFORE))
        planned[-1] = (last_day, list(GAD7_AFTER))
