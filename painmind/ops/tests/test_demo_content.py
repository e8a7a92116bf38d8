"""What the demo shows: a team of four, alerts of every kind, care plans, and the demo patient's pages."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from datetime import time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from painmind.accounts.models import AuditEvent, Consent, Invite, ShareLink, User
from painmind.careplan.models import Goal, Intervention, PlanChange
from painmind.diary.models import CheckIn, QuestionnaireResponse
from painmind.ops.management.commands.demo import CLINICIAN, PATIENT
from painmind.reminders.models import ReminderPreference
from painmind.safety.models import Alert

TEAM = {
    CLINICIAN: ("Dr Demo Clinician", "pain_medicine"),
    "psychologist@demo.example.org": ("Dr Nia Okafor", "psychology"),
    "psychiatrist@demo.example.org": ("Dr Tomas Berg", "psychiatry"),
    "gp@demo.example.org": ("Dr Rosa Lind", "primary_care"),
}
# The story patients (painmind.ops.demo.stories.STORIES), by the email the demo gives them.
SEVERE, WORSENING, FLARE, SILENT = (
    "sam.01@demo.example.org",
    "robin.02@demo.example.org",
    "jo.03@demo.example.org",
    "kim.04@demo.example.org",
)


@pytest.fixture
def demo(db):
    call_command("demo", patients=5, days=40, stdout=io.StringIO())


def _open(email: str) -> set[tuple[str, str]]:
    return {(a.kind, a.severity) for a in Alert.objects.open().filter(patient__email=email)}


def test_the_team_of_four_and_who_shares_with_whom(demo):
    for email, (name, discipline) in TEAM.items():
        user = User.objects.get(email=email)
        assert (user.role, user.display_name, user.discipline) == ("clinician", name, discipline)
    active = Consent.objects.active()
    assert set(active.filter(patient__email=PATIENT).values_list("clinician__email", flat=True)) == set(TEAM)
    # Everyone shares with the pain clinic; patient 5 (odd, not a multiple of 3) also with the GP.
    assert active.filter(clinician__email=CLINICIAN).count() == 6
    five = set(active.filter(patient__email="chris.05@demo.example.org").values_list("clinician__email", flat=True))
    assert five == {CLINICIAN, "gp@demo.example.org"}


def test_each_story_raises_its_alert_through_the_real_rules(demo):
    assert ("self_harm", "critical") in _open(PATIENT)
    assert Alert.objects.open().filter(severity="critical").count() == 1  # only the demo patient's
    # Severe: the latest PHQ-9 is 3+3+2+3+2+2+3+2+0 = 20, the first "severe" total (§1.1).
    latest_phq9 = QuestionnaireResponse.objects.filter(patient__email=SEVERE, instrument="phq9").latest("completed_at")
    assert (latest_phq9.total, latest_phq9.band) == (20, "severe")
    assert ("severe_band", "warning") in _open(SEVERE)
    # Worsening: GAD-7 4 then 11, up 7 > 3.22 points (§3).
    gad7 = list(
        QuestionnaireResponse.objects.filter(patient__email=WORSENING, instrument="gad7").order_by("-completed_at")[:2]
    )
    assert [r.total for r in gad7] == [11, 4]
    assert ("reliable_worsening", "warning") in _open(WORSENING)
    # Flare: each of the last three days at least 2 above the median of the 28 days before.
    today = timezone.localdate(timezone=User.objects.get(email=FLARE).tzinfo)
    days = [today - timedelta(days=k) for k in (3, 2, 1)]
    pains = dict(CheckIn.objects.filter(patient__email=FLARE).values_list("local_on", "pain"))
    before = sorted(pains[d] for d in pains if days[0] - timedelta(days=28) <= d < days[0])
    median = (before[(len(before) - 1) // 2] + before[len(before) // 2]) / 2
    assert all(pains[d] >= median + 2 for d in days), (median, [pains[d] for d in days])
    assert ("flare", "warning") in _open(FLARE)
    # Silence: the last check-in 9 days ago, after regular ones.
    last = CheckIn.objects.filter(patient__email=SILENT).latest("local_on").local_on
    assert (today - last).days == 9
    assert CheckIn.objects.filter(patient__email=SILENT, local_on__gte=last - timedelta(days=27)).count() >= 7
    assert ("silence", "warning") in _open(SILENT)
    kinds = set(Alert.objects.open().values_list("kind", flat=True))
    assert kinds >= {"self_harm", "severe_band", "reliable_worsening", "flare", "silence"}


def test_care_plans_use_all_four_strategies_with_matching_owners_and_a_real_history(demo):
    patient = User.objects.get(email=PATIENT)
    items = Intervention.objects.filter(patient=patient)
    owners = {(i.strategy, i.owner.email, i.owner_discipline) for i in items if i.owner is not None}
    assert {
        ("multidisciplinary", CLINICIAN, "pain_medicine"),
        ("cbt", "psychologist@demo.example.org", "psychology"),
        ("medication", "psychiatrist@demo.example.org", "psychiatry"),
        ("lifestyle", "gp@demo.example.org", "primary_care"),
    } <= owners
    today = timezone.localdate(timezone=patient.tzinfo)
    reviews = [i.review_on for i in items if i.review_on is not None]
    assert any(d < today for d in reviews)  # an overdue review (CBT, 3 days ago)
    assert any(d > today for d in reviews)
    assert {i.status for i in items} >= {"active", "planned", "completed"}
    goals = {g.measure: g for g in Goal.objects.filter(patient=patient)}
    assert (goals["peg"].comparator, goals["peg"].target) == ("le", Decimal("4.0"))
    assert (goals["phq9"].comparator, goals["phq9"].target) == ("lt", Decimal("5.0"))
    assert {"sleep_quality", "activity_minutes"} <= set(goals)
    updates = PlanChange.objects.filter(patient=patient, action="update")
    editors = set(updates.values_list("actor_label", flat=True))
    assert editors == {"Dr Nia Okafor", "Alex Demo", "Dr Rosa Lind"}
    # The other story patients have plans too; across the cohort, all four strategies.
    assert Intervention.objects.exclude(patient=patient).values("patient").distinct().count() == 3
    strategies = set(Intervention.objects.values_list("strategy", flat=True))
    assert strategies == {"multidisciplinary", "cbt", "medication", "lifestyle"}


def test_the_demo_patients_pages_are_not_empty(demo, client):
    patient = User.objects.get(email=PATIENT)
    pref = ReminderPreference.objects.get(patient=patient)
    assert (pref.checkin_enabled, pref.checkin_time, pref.questionnaires_enabled) == (True, time(20, 0), True)
    invite = Invite.objects.get(patient=patient)
    assert (invite.email, invite.accepted_at, invite.cancelled_at) == ("", None, None)
    assert ShareLink.objects.active().filter(patient=patient).count() == 1
    viewers = set(AuditEvent.objects.filter(patient=patient, action="view").values_list("actor__email", flat=True))
    assert viewers == set(TEAM)
    client.force_login(patient)
    log = client.get("/me/access-log/").content.decode()
    for name, _ in TEAM.values():
        assert name in log
    assert "viewed your overview page" in log
    assert "Physiotherapy assessment" in client.get("/me/sharing/links/").content.decode()
    assert "20:00" in client.get("/me/reminders/").content.decode()


def test_the_demo_patient_comes_first_on_every_panel(demo, client):
    patient = User.objects.get(email=PATIENT)
    for email in TEAM:
        client.force_login(User.objects.get(email=email))
        html = client.get("/clinician/").content.decode()
        rows = re.findall(r'<tr id="patient-(\d+)"', html)
        assert rows[0] == str(patient.pk), email
        assert len(rows) == Consent.objects.active().filter(clinician__email=email).count()


def test_a_second_run_changes_nothing(demo):
    models = (User, CheckIn, QuestionnaireResponse, Alert, Goal, Intervention, PlanChange)
    counts = [m.objects.count() for m in models]
    audit = AuditEvent.objects.count()
    out = io.StringIO()
    call_command("demo", patients=5, days=40, stdout=out)
    assert "already loaded" in out.getvalue()
    assert [m.objects.count() for m in models] == counts
    assert AuditEvent.objects.count() == audit


def test_loading_prints_no_email_but_marks_the_critical_alert_as_sent(tmp_path: Path):
    # A real run (its own process and database): the transaction commits, so the critical
    # alert's email to the care team is sent, to the in-memory backend, not over the logins.
    env = {**os.environ, "PAINMIND_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    env["PAINMIND_EMAIL_BACKEND"] = "django.core.mail.backends.console.EmailBackend"
    code = (
        "import django, io; django.setup();"
        "from django.conf import settings;"
        "settings.PASSWORD_HASHERS = ['django.contrib.auth.hashers.MD5PasswordHasher'];"
        "from django.core.management import call_command; call_command('demo', patients=1, days=20);"
        "from painmind.safety.models import Alert;"
        "a = Alert.objects.get(kind='self_harm'); print('notified', a.notified_at is not None);"
        # Sent by the worker's code a minute after it was queued, in the story (docs/demo.md)...
        "from painmind.safety.models import AlertNotice; n = AlertNotice.objects.first();"
        "print('delay', (n.sent_at - n.queued_at).total_seconds());"
        # ...and the process clock is the real one again afterwards.
        "import time; from django.utils import timezone;"
        "print('clock', abs(timezone.now().timestamp() - time.time()) < 5 and a.notified_at < timezone.now())"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Subject:" not in done.stdout
    assert "notified True" in done.stdout
    assert "delay 60.0" in done.stdout
    assert "clock True" in done.stdout
    assert "psychologist@demo.example.org" in done.stdout  # the logins are printed


def test_demo_medicines_raise_their_rules_through_the_real_actions(demo):
    from painmind.meds.models import DoseLog, Regimen, RegimenChange, SideEffect

    def med_rules(email: str) -> set[str]:
        return set(Alert.objects.open().filter(patient__email=email, kind="medication").values_list("key", flat=True))

    assert med_rules(SEVERE) == {"R1_opioid_plus_benzo"}
    assert med_rules(WORSENING) == {"R2_opioid_plus_gabapentinoid", "R4_mme_50"}  # 30 × 2 × 1.0 = 60 MME/day
    assert med_rules(FLARE) == {"R5_serotonin"}
    assert "R5_serotonin" in med_rules(SILENT)  # buprenorphine + amitriptyline
    assert Regimen.objects.filter(generic="buprenorphine").exists()
    assert Regimen.objects.filter(generic="meperidine").exists()
    assert not Alert.objects.filter(kind="medication", severity="critical").exists()
    assert DoseLog.objects.exists()
    assert SideEffect.objects.count() >= 5
    assert RegimenChange.objects.filter(actor__email=CLINICIAN).count() == 2


def test_the_demo_patient_uses_every_self_management_tool(demo, client, token_for):
    """Hand-checked against the fixed values in painmind/ops/demo/selfcare.py."""
    patient = User.objects.get(email=PATIENT)
    h = token_for(patient)
    today = timezone.localdate(timezone=patient.tzinfo)
    records = client.get("/api/v1/thought-records", headers=h).json()
    # Newest first: 1, 5, 12 and 20 days ago; (60−80 + 55−70)/2 = −17.5, 50−75 = −25,
    # (45−60 + 40−50)/2 = −12.5, and the newest not re-rated yet.
    assert [r["date"] for r in records] == [str(today - timedelta(days=d)) for d in (1, 5, 12, 20)]
    assert [r["change"] for r in records] == [None, -12.5, -25, -17.5]
    plans = client.get("/api/v1/pacing-plans", headers=h).json()
    assert len(plans) == 1
    plan = client.get(f"/api/v1/pacing-plans/{plans[0]['id']}", headers=h).json()
    weeks = plan["weeks"]
    # 80 % of 20 = 16, +2 (10 % of 20) a week, to the goal of 30: eight weeks.
    assert [Decimal(str(w["quota"])) for w in weeks] == [Decimal(q) for q in (16, 18, 20, 22, 24, 26, 28, 30)]
    # Week 1: 5 days at ≥ 16; week 2: 4 days at ≥ 18 (the 15-minute walk is short): both met.
    assert [(w["week"], w["state"], w["sessions_done"]) for w in weeks[:3]] == [
        (1, "met", 5),
        (2, "met", 4),
        (3, "current", 2),
    ]
    assert len(plan["sessions"]) == 12
    relax = client.get("/api/v1/relaxation-sessions", headers=h).json()
    assert len(relax["sessions"]) == 5
    # Tension −3, −2, −3, −1, −3 → median −3; pain −1, 0, −2, 0, −1 → median −1.
    assert {c["measure"]: (c["median_change"], c["n"]) for c in relax["usual_change"]} == {
        "tension": (-3, 5),
        "pain": (-1, 5),
    }
    acts = client.get("/api/v1/activities", headers=h).json()
    assert acts["planned_vs_done"] == {"due": 1, "done_as_planned": 1, "ahead": 2, "unplanned_done": 2}
    # Alex shares thought records, so the pain clinician's view lists them (an audited read).
    client.force_login(User.objects.get(email=CLINICIAN))
    page = client.get(f"/clinician/patients/{patient.pk}/tools/").content.decode()
    assert "Had to leave the supermarket halfway round" in page
    reads = AuditEvent.objects.filter(patient=patient, object_type="thought_record_list", actor__email=CLINICIAN)
    assert reads.exists()


def test_the_demo_patient_keeps_lifestyle_fields_across_the_period(demo, client, token_for):
    """Hand-checked against ops/demo/selfcare.py: the fixture's 40 days, so day indexes 0-40 from
    40 days ago; no entry on indexes 5, 11, 17, 23, 29, 35: 35 entries."""
    patient = User.objects.get(email=PATIENT)
    today = timezone.localdate(timezone=patient.tzinfo)
    h = token_for(patient)
    assert client.get("/api/v1/lifestyle/fields", headers=h).json()["fields"] == [
        "exercise", "caffeine", "outdoors", "role",
    ]  # fmt: skip
    days = client.get(f"/api/v1/lifestyle?from={today - timedelta(days=60)}&to={today}", headers=h).json()
    rows = days["entries"] if isinstance(days, dict) else days
    assert len(rows) == 35
    assert rows[-1]["date"] == str(today - timedelta(days=40))  # oldest: index 0
    assert str(today - timedelta(days=35)) not in {r["date"] for r in rows}  # index 5 skipped
    # Today is index 40: exercise (40 % 7 = 5) 40 min walking, caffeine (40 % 5 = 0) 2,
    # outdoors (40 % 9 = 4) 0 min, role (40 % 4 = 0) some.
    latest = rows[0]
    assert latest["date"] == str(today)
    assert (latest["exercise_kind"], latest["exercise_minutes"], latest["caffeine_drinks"]) == ("walking", 40, 2)
    assert (latest["outdoors_minutes"], latest["role_done"], latest["meals"]) == (0, "some", None)


def test_the_demo_plan_shows_tool_use_against_its_ties(demo, client):
    patient = User.objects.get(email=PATIENT)
    today = timezone.localdate(timezone=patient.tzinfo)
    monday = today - timedelta(days=today.weekday())
    # Thought records 1, 5, 12 and 20 days ago; pacing sessions on the days in PACING_SESSIONS.
    records_this_week = sum(today - timedelta(days=d) >= monday for d in (1, 5, 12, 20))
    pacing_days = (16, 15, 13, 12, 11, 9, 8, 6, 5, 4, 2, 1)
    pacing_this_week = sum(today - timedelta(days=d) >= monday for d in pacing_days)
    client.force_login(User.objects.get(email=CLINICIAN))
    page = client.get(f"/clinician/patients/{patient.pk}/plan/").content.decode()
    assert (
        f"Thought records, 2 a week: 4 thought records in the last 28 days; this week {records_this_week} of 2" in page
    )
    assert f"Pacing plans, 5 a week: 12 pacing sessions in the last 28 days; this week {pacing_this_week} of 5" in page


def test_the_plan_history_names_the_patient_with_one_label(demo, client):
    """Issue 16: "Alex Demo (demo patient) (patient)" — the name itself no longer says its role."""
    client.force_login(User.objects.get(email=PATIENT))
    page = client.get("/me/plan/").content.decode()
    assert "Alex Demo (patient) changed" in page
    assert "(demo patient)" not in page
    assert "(demo)" not in page


def test_the_demo_diaries_say_where_it_hurts_and_how_much_it_got_in_the_way(demo):
    """Issue 16: a demo that looks lived in. Only body-region codes from core.body_regions; marked
    only on days with pain 3 or more; at most two a day; interference on most days."""
    from painmind.core.body_regions import BODY_REGIONS
    from painmind.diary.models import CheckIn

    for patient in User.objects.filter(role="patient", email__endswith="@demo.example.org"):
        entries = list(CheckIn.objects.filter(patient=patient))
        marked = [e for e in entries if e.pain_locations]
        assert marked, patient.email
        assert all(set(e.pain_locations) <= set(BODY_REGIONS) for e in marked)
        assert all(len(e.pain_locations) <= 2 for e in marked)
        assert all(e.pain >= 3 for e in marked)
        assert len({r for e in marked for r in e.pain_locations}) <= 3  # their usual regions
        rated = [e.pain_interference for e in entries if e.pain_interference is not None]
        assert len(rated) > len(entries) / 2
        assert all(0 <= v <= 10 for v in rated)
