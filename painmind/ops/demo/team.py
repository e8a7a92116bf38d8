"""The demo's multidisciplinary team, its care plans, and what the demo patient has set up.

Everything goes through the real actions and access functions, so the plan's history, the
audit trail ("Who viewed my data"), invitations and share links are what real use leaves.
All people are fictional; every address is at demo.example.org.

Each action runs at its moment in the story (`StoryClock`, ops/demo/clock.py; project rules of the
demo, not clinical ones): the team joins three weeks before the diaries start; the care plans
are written at a review `PLAN_AFTER` into the period and edited on later days; an alert raised
by an earlier answer is looked at and acknowledged by one clinician the next morning
(`acknowledge_next_morning`); the demo patient sets a reminder on the first day, makes a share
link and an invitation in the last week, and each clinician opens their page every few weeks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from painmind.accounts.actions import do_create_invite, do_create_share_link, do_create_user, do_mark_welcomed
from painmind.accounts.audit import Actor
from painmind.accounts.models import Consent, Discipline, Role, User
from painmind.care.patient import get_patient_detail_for_user
from painmind.careplan.access import get_care_plan_for_user
from painmind.careplan.actions import do_create_goal, do_create_intervention, do_update_goal, do_update_intervention
from painmind.careplan.models import Goal, Intervention, Strategy
from painmind.diary.access import get_checkins_for_user, get_responses_for_user
from painmind.ops.demo.clock import StoryClock
from painmind.ops.demo.stories import FLARE, SEVERE, SILENCE, STORIES, WORSENING
from painmind.safety.actions import do_acknowledge_alerts
from painmind.safety.models import Alert

PAIN, PSY, PSYCH, GP = (
    Discipline.PAIN_MEDICINE,
    Discipline.PSYCHOLOGY,
    Discipline.PSYCHIATRY,
    Discipline.PRIMARY_CARE,
)


@dataclass(frozen=True)
class Member:
    email: str
    name: str
    discipline: str
    role_text: str


TEAM = (
    Member("clinician@demo.example.org", "Dr Demo Clinician", PAIN, "pain medicine"),
    Member("psychologist@demo.example.org", "Dr Nia Okafor", PSY, "psychologist"),
    Member("psychiatrist@demo.example.org", "Dr Tomas Berg", PSYCH, "psychiatrist"),
    Member("gp@demo.example.org", "Dr Rosa Lind", GP, "GP"),
)

# Who each story patient shares with (the pain clinic always): enough for their care plan.
STORY_TEAMS = {
    "self_harm": (PAIN, PSY, PSYCH, GP),
    SEVERE: (PAIN, PSY, PSYCH, GP),
    WORSENING: (PAIN, PSY, GP),
    FLARE: (PAIN, GP),
    SILENCE: (PAIN, PSY),
}


TEAM_JOINED_DAYS_BEFORE = 21  # the clinicians' accounts, before the diaries' first day


def create_team(password: str, time_zone: str, country: str, clock: StoryClock, start: date) -> dict[str, User]:
    """The four clinicians, by discipline, each signed up (and walked through) on a morning before `start`."""
    team = {}
    for k, m in enumerate(TEAM):
        joined = clock.on(start - timedelta(days=TEAM_JOINED_DAYS_BEFORE - k), 9, 30)
        with clock.at(joined):
            team[m.discipline] = do_create_user(
                m.email,
                password,
                role=Role.CLINICIAN,
                discipline=m.discipline,
                display_name=m.name,
                time_zone=time_zone,
                country=country,
            )
        with clock.at(joined + timedelta(minutes=2)):
            do_mark_welcomed(Actor(user=team[m.discipline], via="web"))
    return team


def disciplines_for(i: int) -> tuple[str, ...]:
    """The disciplines patient `i` shares with: the story patients' teams, then a mix."""
    story = STORIES.get(i)
    if story is not None:
        return STORY_TEAMS[story]
    extra = [PSY] if i % 2 == 0 else [GP]
    if i % 3 == 0:
        extra.append(PSYCH)
    return (PAIN, *extra)


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


# --- the demo patient's own settings, and the team having looked -----------------------------


# The team's visits to the demo patient's page: every VISIT_EVERY days from the diaries' first
# week, each clinician on a day of their own (a day apart), in the morning.
VISIT_EVERY = 21
INVITE_DAYS_AGO, SHARE_LINK_DAYS_AGO = 3, 5


def load_demo_patient_extras(patient: User, team: dict[str, User], clock: StoryClock, start: date) -> None:
    """A reminder at 20:00 (set on the first day), a pending invitation code and a share link
    (both in the last week), and the team's views across the period."""
    from painmind.reminders.actions import do_set_reminder_preference

    actor = Actor(user=patient, via="web")
    with clock.at(clock.on(start, 20, 5)):
        do_set_reminder_preference(actor, checkin_enabled=True, checkin_time=time(20, 0), questionnaires_enabled=True)
    with clock.at(clock.days_ago(INVITE_DAYS_AGO, 19, 40)):
        do_create_invite(actor)  # by code, for a clinician not yet on the team; the code is not kept
    with clock.at(clock.days_ago(SHARE_LINK_DAYS_AGO, 20, 15)):
        do_create_share_link(actor, label="Physiotherapy assessment", scopes=["checkins", "questionnaires"], days=14)
    # What each clinician opens at a visit: the patient page, the plan; psychology the scores, the GP the diary.
    today = clock.now.astimezone(clock.tz).date()
    for k, (discipline, clinician) in enumerate(team.items()):
        viewer = Actor(user=clinician, via="web")
        day = start + timedelta(days=7 + k)
        while day < today:
            with clock.at(clock.on(day, 9 + k, 15)):
                get_patient_detail_for_user(viewer, patient.pk, period_days=28)
                get_care_plan_for_user(viewer, patient.pk, history=False)
                if discipline == PSY:
                    get_responses_for_user(viewer, patient.pk, instrument="phq9")
                if discipline == GP:
                    get_checkins_for_user(viewer, patient.pk, limit=14)
            day += timedelta(days=VISIT_EVERY)


# --- the team looking at alerts ---------------------------------------------------------------

# Who acknowledges an alert about a questionnaire: the first of these the patient shares with.
ACKNOWLEDGED_BY = {"peg": (PAIN,), "phq9": (PSY, PSYCH, GP, PAIN), "gad7": (PSY, GP, PSYCH, PAIN)}
ACK_NOTE = "Looked at the answers; we will talk them through at the next appointment."


def acknowledge_next_morning(team: dict[str, User], clock: StoryClock, alerts: list[Alert]) -> None:
    """One of the patient's clinicians reads the answers behind `alerts` (raised together by one
    response) the next morning and acknowledges them with one note, through the real actions."""
    patient = alerts[0].patient
    sharing = set(Consent.objects.active().filter(patient=patient).values_list("clinician__discipline", flat=True))
    instrument = alerts[0].key if alerts[0].key in ACKNOWLEDGED_BY else "phq9"
    discipline = next(d for d in ACKNOWLEDGED_BY[instrument] if d in sharing)
    viewer = Actor(user=team[discipline], via="web")
    raised = alerts[0].created_at.astimezone(clock.tz)
    morning = clock.on(raised.date() + timedelta(days=1), 9, 0) + timedelta(minutes=10 * (patient.pk % 6))
    with clock.at(morning):
        get_responses_for_user(viewer, patient.pk, instrument=instrument)
    with clock.at(morning + timedelta(minutes=4)):
        do_acknowledge_alerts(viewer, patient.pk, [a.pk for a in alerts if a.is_open], ACK_NOTE)
