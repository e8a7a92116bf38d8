"""The demo's care plans: goals and interventions across the four strategies, each owned by the
matching clinician, written at a review `PLAN_AFTER` into the period and edited on later days
(`StoryClock`, ops/demo/clock.py; project rules of the demo, not clinical ones). Through the real
actions, so the plan's history is what real use leaves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from painmind.accounts.audit import Actor
from painmind.accounts.models import User
from painmind.careplan.actions import do_create_goal, do_create_intervention, do_update_goal, do_update_intervention
from painmind.careplan.models import Goal, Intervention, Strategy
from painmind.ops.demo.clock import StoryClock
from painmind.ops.demo.stories import FLARE, SEVERE, STORIES, WORSENING
from painmind.ops.demo.team import GP, PAIN, PSY, PSYCH

# --- care plans ------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalSpec:
    by: str  # a discipline, or "patient"
    description: str
    strategy: str
    measure: str
    comparator: str
    target: str
    weeks: int


@dataclass(frozen=True)
class InterventionSpec:
    owner: str  # discipline
    strategy: str
    title: str
    detail: str
    review_days: int | None  # from today; negative = overdue
    status: str
    tool: str = ""  # the self-management tool it prescribes (core.selfcare.tools), if any
    tool_per_week: int | None = None


MDT, CBT, MED, LIFE = Strategy.MULTIDISCIPLINARY, Strategy.CBT, Strategy.MEDICATION, Strategy.LIFESTYLE

# The goals' measures and their ranges: PEG 0–10 (clinical-reference §1.5); PHQ-9 0–27, under
# 5 is "none/minimal" and under 15 moderate or less (§0, §1.1); GAD-7 0–21, under 10 mild or
# less (§1.3).
DEMO_GOALS: tuple[GoalSpec, ...] = (
    GoalSpec(PAIN, "Pain getting in the way less", MDT, "peg", "le", "4", 12),
    GoalSpec(PSY, "Mood lifting", CBT, "phq9", "lt", "5", 8),
    GoalSpec("patient", "Sleep better most nights", LIFE, "sleep_quality", "ge", "6", 6),
    GoalSpec(GP, "Walk 45 active minutes a day", LIFE, "activity_minutes", "ge", "45", 10),
)
DEMO_INTERVENTIONS: tuple[InterventionSpec, ...] = (
    InterventionSpec(
        PAIN,
        MDT,
        "Pain management programme with a team review",
        "Joint review with psychology and the GP.",
        14,
        "active",
    ),
    InterventionSpec(
        PSY,
        CBT,
        "CBT for chronic pain: 8 weekly sessions",
        "Pacing, unhelpful thoughts about pain, relaxation.",
        -3,
        "active",
        "thought_records",
        2,
    ),
    # clinical-reference §2.4: some medicines are indicated for both depression and pain.
    InterventionSpec(
        PSYCH, MED, "Medication review: one medicine for mood and pain?", "Discuss options with the GP.", 7, "planned"
    ),
    InterventionSpec(
        GP, LIFE, "Graded walking, a little more each week", "Start at 10 minutes a day.", 21, "planned", "pacing", 5
    ),
    InterventionSpec(GP, LIFE, "Sleep routine: the same wake-up time every day", "", None, "completed"),
)
OTHER_PLANS: dict[str, tuple[tuple[GoalSpec, ...], tuple[InterventionSpec, ...]]] = {
    SEVERE: (
        (GoalSpec(PSYCH, "Depression easing (PHQ-9 below 15)", MED, "phq9", "lt", "15", 6),),
        (
            InterventionSpec(PSYCH, MED, "Start an antidepressant; review in 4 weeks", "", 5, "active"),
            InterventionSpec(PSY, CBT, "Behavioural activation, weekly", "", -6, "active"),
            InterventionSpec(PAIN, MDT, "Team meeting about safety and support", "", 2, "planned"),
            InterventionSpec(GP, LIFE, "Short daily walks with a friend", "", 30, "planned"),
        ),
    ),
    WORSENING: (
        (GoalSpec(PSY, "Worry under control (GAD-7 below 10)", CBT, "gad7", "lt", "10", 8),),
        (
            InterventionSpec(PSY, CBT, "CBT for worry: 6 sessions", "", -1, "active"),
            InterventionSpec(GP, LIFE, "Cut down caffeine after midday", "", 14, "active"),
            InterventionSpec(PAIN, MDT, "Pain clinic review", "", 40, "planned"),
        ),
    ),
    FLARE: (
        (GoalSpec("patient", "Back to my usual pain (5 or less)", MDT, "pain", "le", "5", 4),),
        (
            InterventionSpec(GP, MED, "Review of pain medicines during the flare", "", -2, "active"),
            InterventionSpec(PAIN, LIFE, "Pacing plan for bad days", "", 10, "paused"),
        ),
    ),
}


# The plan is written at a team review this far into the demo period (a fraction of it, so a
# short demo has one too), each item a few minutes after the last, on the review's afternoon.
PLAN_AFTER = 0.6
PLAN_HOUR = 14


def plan_day(start: date, today: date) -> date:
    return start + timedelta(days=int((today - start).days * PLAN_AFTER))


def load_care_plans(patients: list[User], team: dict[str, User], today: date, clock: StoryClock, start: date) -> None:
    """Care plans for the demo patient and the story patients, with a few edits by different people."""
    written = clock.on(plan_day(start, today), PLAN_HOUR)
    for i, patient in enumerate(patients):
        story = STORIES.get(i)
        if i == 0:
            goals, interventions = DEMO_GOALS, DEMO_INTERVENTIONS
        elif story in OTHER_PLANS:
            goals, interventions = OTHER_PLANS[story]
        else:
            continue
        made_goals, made = [], []
        for n, spec in enumerate(goals):
            with clock.at(written + timedelta(minutes=3 * n)):
                made_goals.append(_goal(patient, team, spec, today))
        for n, ispec in enumerate(interventions):
            with clock.at(written + timedelta(minutes=3 * (len(goals) + n))):
                made.append(_intervention(patient, team, ispec, today))
        if i == 0:
            _demo_edits(patient, team, made_goals, made, today, clock=clock, written=written.date())


def _actor(patient: User, team: dict[str, User], who: str) -> Actor:
    return Actor(user=patient if who == "patient" else team[who], via="web")


def _goal(patient: User, team: dict[str, User], spec: GoalSpec, today: date) -> Goal:
    return do_create_goal(
        _actor(patient, team, spec.by),
        patient.pk,
        {
            "description": spec.description,
            "strategy": spec.strategy,
            "measure": spec.measure,
            "comparator": spec.comparator,
            "target": spec.target,
            "target_on": today + timedelta(weeks=spec.weeks),
        },
    )


def _intervention(patient: User, team: dict[str, User], spec: InterventionSpec, today: date) -> Intervention:
    owner = team[spec.owner]
    return do_create_intervention(
        Actor(user=owner, via="web"),
        patient.pk,
        {
            "strategy": spec.strategy,
            "title": spec.title,
            "detail": spec.detail,
            "owner": owner.pk,
            "review_on": today + timedelta(days=spec.review_days) if spec.review_days is not None else None,
            "status": spec.status,
            "tool": spec.tool,
            "tool_per_week": spec.tool_per_week,
        },
    )


def _demo_edits(
    patient: User,
    team: dict[str, User],
    goals: list[Goal],
    interventions: list[Intervention],
    today: date,
    *,
    clock: StoryClock,
    written: date,
) -> None:
    """A few changes by different people on later days (a third, half and four fifths of the way
    from the plan's review to today), so the plan's history reads like a shared plan."""
    mood, sleep, walking = goals[1], goals[2], interventions[3]
    span = (today - written).days

    def later(share: float, hour: int) -> datetime:
        return clock.on(written + timedelta(days=max(1, int(span * share))), hour)

    with clock.at(later(1 / 3, 11)):
        do_update_goal(_actor(patient, team, PSY), patient.pk, mood.pk, {"target_on": today + timedelta(weeks=10)})
    with clock.at(later(1 / 2, 21)):
        do_update_goal(_actor(patient, team, "patient"), patient.pk, sleep.pk, {"description": "Sleep better: 6/10+"})
    with clock.at(later(4 / 5, 10)):
        do_update_intervention(_actor(patient, team, GP), patient.pk, walking.pk, {"status": "active"})
