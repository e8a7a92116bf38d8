"""The demo patient's self-management tools (issue 13), all written through the real actions.

Alex Demo has four thought records (three re-rated later, the newest not yet), a walking pacing
plan now in its third week, five relaxation sessions with ratings before and after, activities
planned and done, and lifestyle fields (exercise, caffeine, time outdoors, usual role) on most
days of the demo period. Every value is fixed here, so the tests can check them by hand.

Each action runs at its moment in the story (ops/demo/clock.py), so the actions themselves date
what they write: a thought record on the evening of its day (re-rated two evenings later), the
pacing plan on its first morning and each session that evening, relaxation at night, an activity
the evening it was done (or, if only planned, yesterday evening), lifestyle fields each night.
Alex shares thought records with the team (the default is private), so the clinician's view has
records to open.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from painmind.accounts.audit import Actor
from painmind.accounts.models import User
from painmind.ops.demo.clock import StoryClock
from painmind.selfcare.actions import (
    do_add_activity,
    do_choose_lifestyle_fields,
    do_create_pacing_plan,
    do_create_thought_record,
    do_log_pacing_session,
    do_log_relaxation_session,
    do_rerate_thought_record,
    do_save_lifestyle,
    do_set_sharing,
)

# (days ago, record, re-ratings or None). Changes: −17.5, −25, −12.5, not re-rated.
THOUGHT_RECORDS: list[tuple[int, dict[str, Any], list[int] | None]] = [
    (
        20,
        {
            "situation": "Had to leave the supermarket halfway round",
            "emotions": [{"name": "Anxious", "before": 80}, {"name": "Hopeless", "before": 70}],
            "thoughts": [{"text": "I can't even do the shopping any more", "belief": 85}],
            "evidence_for": "I had to stop and sit in the car",
            "evidence_against": "I did a smaller shop on Tuesday without trouble",
            "balanced_thought": "Long trips are hard at the moment; short ones I can do",
            "balanced_belief": 60,
            "distortions": ["magnification", "all_or_nothing"],
            "facets": ["helplessness"],
        },
        [60, 55],
    ),
    (
        12,
        {
            "form": "five",
            "situation": "Cancelled dinner with friends",
            "emotions": [{"name": "Frustrated", "before": 75}],
            "thoughts": [{"text": "I should be able to manage one evening out", "belief": 80}],
            "balanced_thought": "Resting tonight is a choice, not a failure",
            "balanced_belief": 50,
            "distortions": ["should_statements", "all_or_nothing"],
        },
        [50],
    ),
    (
        5,
        {
            "situation": "Woke at 4 with back pain",
            "emotions": [{"name": "Sad", "before": 60}, {"name": "Guilty", "before": 50}],
            "thoughts": [{"text": "I'm useless to everyone like this", "belief": 70}],
            "evidence_for": "I missed the school run",
            "evidence_against": "I helped with homework in the evening",
            "balanced_thought": "A bad night doesn't cancel what I do for them",
            "balanced_belief": 55,
            "distortions": ["labeling", "magnification"],
            "facets": ["rumination"],
        },
        [45, 40],
    ),
    (
        1,
        {
            "form": "five",
            "situation": "Pain flared after gardening",
            "emotions": [{"name": "Worried", "before": 70}],
            "thoughts": [{"text": "This will last for weeks", "belief": 75}],
            "distortions": ["magnification"],
            "facets": ["magnification"],
        },
        None,
    ),
]

# Walking, baseline 20 min, +10 % a week, goal 30: quotas 16, 18, 20, 22 … 30 (weeks 1–8).
PACING_START_DAYS_AGO = 16  # today is day 16: week 3 (days 14–20), quota 20
PACING_PLAN = {"activity": "Walking", "unit": "minutes", "baseline": 20, "step_percent": 10, "goal": 30}
# (days ago, minutes, pain before, pain after). Week 1 (16–10 days ago, quota 16): 5 days met.
# Week 2 (9–3 days ago, quota 18): 4 days met, one short walk (15). Week 3 so far: 2 days at 20.
PACING_SESSIONS = [
    (16, 16, 5, 5), (15, 17, 6, 6), (13, 16, 5, 4), (12, 18, 5, 5), (11, 16, 6, 5),
    (9, 18, 5, 5), (8, 18, 6, 6), (6, 19, 5, 4), (5, 18, 5, 5), (4, 15, 7, 7),
    (2, 20, 5, 5), (1, 20, 6, 5),
]  # fmt: skip

# (days ago, kind, minutes, (tension, pain) before, (tension, pain) after).
# Tension changes −3, −2, −3, −1, −3: median −3. Pain −1, 0, −2, 0, −1: median −1.
RELAXATION = [
    (14, "breathing", 5, (7, 6), (4, 5)),
    (10, "muscle", 7, (6, 5), (4, 5)),
    (7, "breathing", 10, (8, 7), (5, 5)),
    (3, "breathing", 5, (6, 6), (5, 6)),
    (1, "muscle", 4, (7, 6), (4, 5)),
]

# (name, life area, planned (days from today) or None, done (days ago) or None, mastery, pleasure).
# Planned vs done: 1 due and done, 2 ahead, 2 done without a plan.
ACTIVITIES: list[tuple[str, str, int | None, int | None, int | None, int | None]] = [
    ("Coffee with Sam", "relationships", None, 6, 3, 8),
    ("Repotted the basil", "home", None, 4, 6, 5),
    ("Swim at the leisure centre", "health", -2, 2, 7, 6),
    ("Call Mum", "relationships", 1, None, None, None),
    ("Pick up a library book", "leisure", 3, None, None, None),
]


# Lifestyle fields: the groups Alex keeps, and each day's values, fixed patterns of different
# lengths (so no two fields move together) on every day of the demo period except each sixth
# (day index i from the period's first day: no entry when i % 6 == 5, as people miss days).
LIFESTYLE_GROUPS = ["exercise", "caffeine", "outdoors", "role"]
EXERCISE_MINUTES = (20, 0, 30, 15, 0, 40, 10)  # i % 7; kind "walking" when above 0
CAFFEINE_DRINKS = (2, 3, 1, 2, 4)  # i % 5
OUTDOORS_MINUTES = (30, 60, 15, 45, 0, 90, 20, 30, 10)  # i % 9
ROLE_DONE = ("some", "all", "some", "none")  # i % 4
LIFESTYLE_SKIP_EVERY = 6


def lifestyle_values(i: int) -> dict[str, Any] | None:
    """Day i's lifestyle fields (None: no entry that day)."""
    if i % LIFESTYLE_SKIP_EVERY == LIFESTYLE_SKIP_EVERY - 1:
        return None
    minutes = EXERCISE_MINUTES[i % 7]
    return {
        "exercise_kind": "walking" if minutes else "",
        "exercise_minutes": minutes,
        "caffeine_drinks": CAFFEINE_DRINKS[i % 5],
        "outdoors_minutes": OUTDOORS_MINUTES[i % 9],
        "role_done": ROLE_DONE[i % 4],
    }


RERATED_AFTER_DAYS = 2


def load_demo_selfcare(
    patient: User, today: date, start: date | None = None, *, clock: StoryClock | None = None
) -> None:
    """Alex Demo's thought records, pacing plan, relaxation sessions, activities and, from `start`
    (the demo period's first day; default 28 days ago) to today, lifestyle fields."""
    clock = clock or StoryClock(now=timezone.now(), tz=patient.tzinfo)
    me = Actor(user=patient, via="web")
    first = start if start is not None else today - timedelta(days=28)
    for back, data, after in THOUGHT_RECORDS:
        day = today - timedelta(days=back)
        with clock.at(clock.on(day, 19)):
            item = do_create_thought_record(me, data)
        if after is not None:
            with clock.at(clock.on(day + timedelta(days=RERATED_AFTER_DAYS), 20)):
                do_rerate_thought_record(me, item.pk, after)
    with clock.at(clock.on(today - timedelta(days=THOUGHT_RECORDS[0][0]), 19, 10)):
        do_set_sharing(me, "thought_records", True)
    plan_start = today - timedelta(days=PACING_START_DAYS_AGO)
    with clock.at(clock.on(plan_start, 9)):
        plan = do_create_pacing_plan(me, {**PACING_PLAN, "start_on": plan_start})
    for back, done, before, after_pain in PACING_SESSIONS:
        day = today - timedelta(days=back)
        data = {"done": done, "pain_before": before, "pain_after": after_pain, "on": day}
        with clock.at(clock.on(day, 18)):
            do_log_pacing_session(me, plan.pk, data)
    for back, kind, minutes, (t0, p0), (t1, p1) in RELAXATION:
        ratings = {"before": {"tension": t0, "pain": p0}, "after": {"tension": t1, "pain": p1}}
        with clock.at(clock.on(today - timedelta(days=back), 21)):
            do_log_relaxation_session(me, {"kind": kind, "minutes": minutes, **ratings})
    for name, area, planned, done_ago, mastery, pleasure in ACTIVITIES:
        made = today - timedelta(days=done_ago if done_ago is not None else 1)
        with clock.at(clock.on(made, 20, 30)):
            do_add_activity(
                me,
                {
                    "name": name,
                    "life_area": area,
                    "planned_on": None if planned is None else today + timedelta(days=planned),
                    "done_on": None if done_ago is None else today - timedelta(days=done_ago),
                    "mastery": mastery,
                    "pleasure": pleasure,
                },
            )
    with clock.at(clock.on(first, 21)):
        do_choose_lifestyle_fields(me, LIFESTYLE_GROUPS)
    for i in range((today - first).days + 1):
        values = lifestyle_values(i)
        if values is not None:
            day = first + timedelta(days=i)
            with clock.at(clock.on(day, 21, 30)):
                do_save_lifestyle(me, day, values)
