"""The demo's history is dated across its period (docs/demo.md), and the README's per-login table is true.

Expectations come from the rules docs/demo.md writes down (hours and days worked out by hand for
a 40-day demo), and from invariants any real history has: nothing in the future, nothing before
its account, an acknowledgement after its alert.
"""

from __future__ import annotations

import io
import re
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.db.models import F
from django.utils import timezone

from painmind.accounts.models import AuditEvent, Consent, User
from painmind.careplan.models import PlanChange
from painmind.diary.models import CheckIn, QuestionnaireResponse
from painmind.ops.management.commands.demo import CLINICIAN, PATIENT
from painmind.safety.models import Alert

LONDON = zoneinfo.ZoneInfo("Europe/London")
DAYS = 40
PSY, PSYCH, GP = "psychologist@demo.example.org", "psychiatrist@demo.example.org", "gp@demo.example.org"
README = Path(__file__).resolve().parents[3] / "README.md"


@dataclass(frozen=True)
class Loaded:
    before: datetime
    after: datetime

    @property
    def today(self) -> date:
        return self.before.astimezone(LONDON).date()

    @property
    def start(self) -> date:
        return self.today - timedelta(days=DAYS)


@pytest.fixture
def loaded(db) -> Loaded:
    before = timezone.now()
    call_command("demo", patients=5, days=DAYS, stdout=io.StringIO())
    return Loaded(before, timezone.now())


def _local(at: datetime) -> datetime:
    return at.astimezone(LONDON)


def _timestamps() -> list[tuple[type[models.Model], str]]:
    """Every (model, date-time field) of ours, less expiry times (in the future by design)."""
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("painmind."):
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.DateTimeField) and "expires" not in field.name:
                found.append((model, field.name))
    return found


def test_nothing_is_dated_in_the_future_or_before_its_persons_account(loaded):
    checked = 0
    for model, name in _timestamps():
        rows = model._default_manager.exclude(**{name: None})
        if not rows.exists():
            continue
        checked += 1
        latest = rows.order_by(f"-{name}").values_list(name, flat=True)[0]
        assert latest <= loaded.after, (model.__name__, name, latest)
        if any(f.name == "patient" for f in model._meta.get_fields()):
            early = rows.filter(**{f"{name}__lt": F("patient__date_joined")})
            assert not early.exists(), (model.__name__, name)
    assert checked >= 30  # consent, audit, alerts, diary, medicines, plans, self-care, reminders, ...
    assert not AuditEvent.objects.filter(at__lt=F("actor__date_joined")).exists()
    assert not User.objects.filter(welcomed_at__lt=F("date_joined")).exists()


def test_accounts_and_consent_come_before_the_first_check_in(loaded):
    # The team signs up 21, 20, 19, 18 days before the first day, at 09:30.
    team = User.objects.filter(role="clinician").order_by("date_joined")
    assert [(loaded.start - _local(u.date_joined).date()).days for u in team] == [21, 20, 19, 18]
    assert {(_local(u.date_joined).hour, _local(u.date_joined).minute) for u in team} == {(9, 30)}
    # Each patient the afternoon before the first day, granting consent minutes later.
    for patient in User.objects.filter(role="patient"):
        joined = _local(patient.date_joined)
        assert (joined.date(), joined.hour) == (loaded.start - timedelta(days=1), 14)
        grants = Consent.objects.filter(patient=patient).values_list("granted_at", flat=True)
        assert all(timedelta(0) < g - patient.date_joined < timedelta(minutes=10) for g in grants)
        first = CheckIn.objects.filter(patient=patient).order_by("recorded_at").first()
        assert first is not None
        assert max(grants) < first.recorded_at


def test_each_check_in_and_answer_is_saved_when_made(loaded):
    assert not CheckIn.objects.exclude(created_at=F("recorded_at")).exists()
    assert not QuestionnaireResponse.objects.exclude(created_at=F("completed_at")).exists()
    # Their days spread over the period, not one load minute.
    days = {_local(c.created_at).date() for c in CheckIn.objects.filter(patient__email=PATIENT)}
    assert len(days) >= 30
    assert min(days) >= loaded.start


def test_alerts_are_raised_when_answered_and_acknowledged_the_next_morning(loaded):
    answered = set(QuestionnaireResponse.objects.values_list("patient_id", "completed_at"))
    for alert in Alert.objects.filter(kind__in=["severe_band", "reliable_worsening", "self_harm"]):
        assert (alert.patient_id, alert.created_at) in answered, alert
    acknowledged = Alert.objects.exclude(acknowledged_at=None)
    assert acknowledged.exists()
    for alert in acknowledged:
        at = alert.acknowledged_at
        assert at is not None
        raised, done = _local(alert.created_at), _local(at)
        assert (done.date(), done.hour) == (raised.date() + timedelta(days=1), 9), (raised, done)
        consent = Consent.objects.get(patient=alert.patient, clinician=alert.acknowledged_by)
        assert consent.granted_at < at
        # The clinician looked at the answers first, that same morning.
        assert AuditEvent.objects.filter(
            actor=alert.acknowledged_by,
            patient=alert.patient,
            action="view",
            at__gte=at - timedelta(hours=1),
            at__lte=at,
        ).exists()
    # The demo patient's self-harm answer came two hours before the load: new, not overdue.
    critical = Alert.objects.get(patient__email=PATIENT, kind="self_harm")
    assert loaded.before - timedelta(hours=2, minutes=1) <= critical.created_at <= loaded.after - timedelta(hours=2)
    assert critical.acknowledged_at is None


def test_the_care_plan_history_is_in_order_on_past_days(loaded):
    changes = list(PlanChange.objects.filter(patient__email=PATIENT).order_by("id"))
    times = [c.at for c in changes]
    assert times == sorted(times)
    # Written at the review 24 days in (60 % of 40) at 14:00; then 16 days remain, and the three
    # edits fall 5, 8 and 12 days later (a third, half and four fifths of 16, rounded down).
    created = {_local(c.at).date() for c in changes if c.action == "create"}
    assert created == {loaded.start + timedelta(days=24)}
    edits = sorted((_local(c.at).date(), c.actor_label) for c in changes if c.action == "update")
    written = loaded.start + timedelta(days=24)
    assert edits == [
        (written + timedelta(days=5), "Dr Nia Okafor"),
        (written + timedelta(days=8), "Alex Demo"),
        (written + timedelta(days=12), "Dr Rosa Lind"),
    ]


def test_the_teams_views_are_spread_over_the_period(loaded):
    views = AuditEvent.objects.filter(patient__email=PATIENT, action="view")
    seen = {(e.actor.email, _local(e.at).date()) for e in views}
    # Every 21 days from the first day + 7, each clinician a day after the one before.
    for k, email in enumerate([CLINICIAN, PSY, PSYCH, GP]):
        for day in (7 + k, 28 + k):
            assert (email, loaded.start + timedelta(days=day)) in seen
    days = {_local(e.at).date() for e in AuditEvent.objects.all()}
    assert len(days) >= 8
    assert min(days) >= loaded.start


# --- the README's "What each demo login shows" -------------------------------------------------


def _readme_logins() -> dict[str, tuple[int, set[str], set[str]]]:
    """email -> (patients on the panel, story patients named, story patients said to be absent)."""
    text = README.read_text(encoding="utf-8")
    section = text.split("### What each demo login shows", 1)[1].split("\n### ", 1)[0]
    rows = {}
    for email, count, stories in re.findall(r"^\| `([^`]+)` \| (\d+) \| (.*) \|$", section, flags=re.M):
        absent = set(re.findall(r"not ([A-Z][a-z]+ [A-Z]\.)", stories))
        named = set(re.findall(r"(Alex Demo|[A-Z][a-z]+ [A-Z]\.)", stories)) - absent
        rows[email] = (int(count), named, absent)
    return rows


def test_the_readme_says_what_each_clinician_login_shows(db, client):
    rows = _readme_logins()
    assert set(rows) == {CLINICIAN, PSY, PSYCH, GP}
    # Who shares with whom does not depend on the days: the README's 21 patients in a shorter demo.
    call_command("demo", patients=20, days=30, stdout=io.StringIO())
    for email, (count, named, absent) in rows.items():
        client.force_login(User.objects.get(email=email))
        html = client.get("/clinician/").content.decode()
        ids = re.findall(r'<tr id="patient-(\d+)"', html)
        assert len(ids) == count, email
        on_panel = set(User.objects.filter(pk__in=ids).values_list("display_name", flat=True))
        assert named <= on_panel, (email, named - on_panel)
        assert not absent & on_panel, email
        assert named, email
