"""The demo's multidisciplinary team and what the demo patient has set up (the care plans:
ops/demo/plans.py).

Everything goes through the real actions and access functions, so the plan's history, the
audit trail ("Who viewed my data"), invitations and share links are what real use leaves.
All people are fictional; every address is at demo.example.org.

Each action runs at its moment in the story (`StoryClock`, ops/demo/clock.py; project rules of the
demo, not clinical ones): the team joins three weeks before the diaries start; the care plans
are written at a review into the period and edited on later days (ops/demo/plans.py); an alert raised
by an earlier answer is looked at and acknowledged by one clinician the next morning
(`acknowledge_next_morning`); the demo patient sets a reminder on the first day, makes a share
link and an invitation in the last week, and each clinician opens their page every few weeks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from painmind.accounts.actions import do_create_invite, do_create_share_link, do_create_user, do_mark_welcomed
from painmind.accounts.audit import Actor
from painmind.accounts.models import Consent, Discipline, Role, User
from painmind.care.patient import get_patient_detail_for_user
from painmind.careplan.access import get_care_plan_for_user
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
