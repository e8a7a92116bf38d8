"""A patient with a full year of everything, written through the real actions (no mocks)."""

from __future__ import annotations

import io
from datetime import datetime, time, timedelta
from typing import Any

import numpy as np
from pypdf import PdfReader

from painmind.accounts.audit import Actor
from painmind.care.tests.panel_helpers import local_today, respond
from painmind.careplan.actions import do_create_goal
from painmind.diary.models import CheckIn
from painmind.meds.actions import do_add_regimen
from painmind.ops.demo.selfcare import load_demo_selfcare

# Monthly questionnaires, oldest first; the last PHQ-9 (days_ago 3) has item 9 = 1 (self-harm alert).
PHQ9_LAST = [3, 2, 2, 2, 1, 1, 1, 2, 1]  # 15 by hand: moderately severe (clinical-reference §1.1)
PHQ9_LAST_TOTAL = 15


def full_year(patient: Any, clinician: Any) -> None:
    """365 days of two check-ins a day, monthly PHQ-9, GAD-7 and PEG, two medicines that hit a
    rule, four goals, the demo's self-management tools."""
    rng = np.random.default_rng(15)
    today = local_today(patient)
    rows = []
    for back in range(365):
        day = today - timedelta(days=back)
        for hour in (9, 20):
            rows.append(
                CheckIn(
                    patient=patient,
                    recorded_at=datetime.combine(day, time(hour), tzinfo=patient.tzinfo),
                    local_on=day,
                    pain=int(rng.integers(2, 9)),
                    mood=int(rng.integers(2, 9)),
                    anxiety=int(rng.integers(0, 8)),
                    sleep_hours=float(rng.integers(4, 9)),
                    activity_minutes=int(rng.integers(0, 90)),
                )
            )
    CheckIn.objects.bulk_create(rows)
    for month in range(12, 0, -1):
        days_ago = month * 30 + 3
        respond(patient, "phq9", [int(x) for x in rng.integers(0, 3, 8)] + [0], days_ago)
        respond(patient, "gad7", [int(x) for x in rng.integers(0, 3, 7)], days_ago)
        respond(patient, "peg", [int(x) for x in rng.integers(3, 9, 3)], days_ago)
    respond(patient, "phq9", PHQ9_LAST, 3)
    me = Actor(user=patient, via="web")
    started = str(today - timedelta(days=200))
    # clinical-reference §2.1 worked example: oxycodone ER 10 mg twice a day = 30 MME/day.
    for data in (
        {"name": "Oxycodone ER", "dose": "10", "times_per_day": 2, "reason": "pain"},
        {"name": "Diazepam", "dose": "5", "times_per_day": 1, "reason": "anxiety"},
    ):
        do_add_regimen(
            me,
            patient,
            {"dose_unit": "mg", "schedule": "times_a_day", "form": "tablet", "route": "oral", "started_on": started}
            | data,
        )
    team = Actor(user=clinician, via="web")
    for description, strategy, measure, comparator, target in (
        ("Pain getting in the way less", "multidisciplinary", "peg", "le", "4"),
        ("Mood lifting", "cbt", "phq9", "lt", "5"),
        ("Sleep better most nights", "lifestyle", "sleep_quality", "ge", "6"),
        ("Walk 45 active minutes a day", "lifestyle", "activity_minutes", "ge", "45"),
    ):
        do_create_goal(
            team,
            patient.pk,
            {
                "description": description,
                "strategy": strategy,
                "measure": measure,
                "comparator": comparator,
                "target": target,
                "target_on": today + timedelta(weeks=12),
            },
        )
    load_demo_selfcare(patient, today)


def pdf_pages_and_text(content: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(content))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)
