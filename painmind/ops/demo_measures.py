"""Questionnaire histories for the demo cohort, derived from each person's own diary.

Fictional but coherent: PHQ-9 answers follow the person's recent mood, GAD-7 their anxiety,
PEG their pain, so charts and diaries tell the same story. One person reports thoughts of
self-harm on their latest PHQ-9, so the demo shows an open critical alert.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

import numpy as np
import pandas as pd

from painmind.accounts.audit import Actor
from painmind.accounts.models import User
from painmind.diary.actions import do_record_response

SCHEDULE = (("phq9", 14, "mood", 9), ("gad7", 14, "anxiety", 7), ("peg", 7, "pain", 3))


def _items(kind: str, level: float, n: int, rng: np.random.Generator) -> list[int]:
    """n item answers around `level` (0-1, higher = worse), on the instrument's own scale."""
    top = 10 if kind == "peg" else 3
    values = rng.normal(level * top, 0.3 * top / 3, size=n)
    return [int(v) for v in np.clip(np.rint(values), 0, top)]


def load_demo_measures(patient: User, diary: pd.DataFrame, rng: np.random.Generator, *, self_harm: bool) -> int:
    """Record the patient's questionnaires over the diary's span; returns how many."""
    actor = Actor(user=patient, via="cli")
    dates = pd.to_datetime(diary["local_date"]).dt.date
    first, last = dates.min(), dates.max()
    count = 0
    for instrument, every, column, n_items in SCHEDULE:
        day = first + timedelta(days=every - 1)
        days = []
        while day <= last:
            days.append(day)
            day += timedelta(days=every)
        for i, on in enumerate(days):
            window = diary[(dates > on - timedelta(days=every)) & (dates <= on)][column].dropna()
            if window.empty:
                continue
            mean = float(window.mean())
            level = (10 - mean) / 10 if column == "mood" else mean / 10
            answers: list[int | None] = list(_items(instrument, level, n_items, rng))
            if instrument == "phq9":
                answers[8] = 1 if (self_harm and i == len(days) - 1) else 0
            at = datetime.combine(on, time(18, 30), tzinfo=patient.tzinfo)
            do_record_response(actor, patient, instrument, answers, completed_at=at)
            count += 1
    return count
