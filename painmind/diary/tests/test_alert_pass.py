"""`painmind alerts`: flare and silence alerts from stored diaries, never doubled, closed when over."""

from __future__ import annotations

import io
import uuid
from datetime import datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from painmind.accounts.audit import Actor
from painmind.diary.actions import do_import_checkins, do_record_checkin, do_record_response
from painmind.diary.actions.alerts import do_evaluate_alerts
from painmind.diary.models import CheckIn
from painmind.safety.models import Alert
from tests.concurrency import run_at_once


def days_ago(patient, n, hour=19):
    day = timezone.localdate(timezone=patient.tzinfo) - timedelta(days=n)
    return datetime.combine(day, time(hour, 0), tzinfo=patient.tzinfo)


def record_days(patient, pains_by_days_ago):
    rows = [(days_ago(patient, n), {"pain": p, "mood": 5}) for n, p in pains_by_days_ago.items()]
    do_import_checkins(Actor(user=patient, via="cli"), patient, rows)


def store_days(patient, pains_by_days_ago):
    """Rows already in the database (stored before alerts ran on write): only the pass sees them."""
    now = timezone.now()
    CheckIn.objects.bulk_create(
        CheckIn(patient=patient, recorded_at=at, local_on=at.date(), created_at=now, pain=p, mood=5)
        for at, p in ((days_ago(patient, n), p) for n, p in pains_by_days_ago.items())
    )


def run():
    out = io.StringIO()
    call_command("alerts", stdout=out)
    return out.getvalue().strip()


def test_flare_is_raised_once_and_closes_when_pain_settles(pat, cara):
    # Baseline: 20 days at pain 3 (days 4-23 ago); then 5, 5, 5 on the last three days (3 + 2 = 5).
    store_days(pat, {**dict.fromkeys(range(4, 24), 3), 3: 5, 2: 5, 1: 5})
    assert run() == "Raised 1 alert, closed 0."
    assert run() == "Raised 0 alerts, closed 0."
    alert = Alert.objects.get(kind="flare")
    assert alert.severity == "warning"
    assert "28-day median of 3" in alert.title
    store_days(pat, {0: 3})  # today back to baseline: the last three days are 5, 5, 3
    assert run() == "Raised 0 alerts, closed 1."
    alert.refresh_from_db()
    assert alert.resolved_at is not None


def test_just_below_the_flare_threshold_raises_nothing(pat):
    record_days(pat, {**dict.fromkeys(range(4, 24), 3), 3: 5, 2: 4, 1: 5})
    assert run() == "Raised 0 alerts, closed 0."


@pytest.mark.parametrize(("gap", "expected"), [(6, 0), (7, 1)])
def test_silence_after_seven_quiet_days(pat, gap, expected):
    record_days(pat, dict.fromkeys(range(gap, gap + 10), 4))
    do_evaluate_alerts()
    assert Alert.objects.filter(kind="silence").count() == expected


def test_silence_closes_when_the_patient_checks_in_again(pat):
    store_days(pat, dict.fromkeys(range(8, 18), 4))
    assert do_evaluate_alerts() == (1, 0)
    store_days(pat, {0: 4})
    raised, closed = do_evaluate_alerts()
    assert (raised, closed) == (0, 1)
    assert Alert.objects.open().count() == 0


def test_a_flare_is_raised_by_the_check_in_that_completes_it(pat):
    record_days(pat, {**dict.fromkeys(range(4, 24), 3), 3: 5, 2: 5})
    assert not Alert.objects.filter(kind="flare").exists()
    do_record_checkin(Actor(user=pat, via="web"), pat, {"pain": 5, "mood": 5}, recorded_at=days_ago(pat, 1))
    alert = Alert.objects.get(kind="flare")
    assert alert.resolved_at is None
    assert run() == "Raised 0 alerts, closed 0."  # the pass finds it already open


def test_a_check_in_ends_a_silence_at_once(pat):
    record_days(pat, dict.fromkeys(range(8, 18), 4))  # the import itself notices the silence
    assert Alert.objects.open().filter(kind="silence").count() == 1
    do_record_checkin(Actor(user=pat, via="web"), pat, {"pain": 4, "mood": 5})
    assert Alert.objects.open().filter(kind="silence").count() == 0
    assert Alert.objects.filter(kind="silence", resolved_at__isnull=False).count() == 1


def test_severe_band_closes_when_the_latest_score_is_no_longer_severe_but_critical_stays(pat):
    actor = Actor(user=pat, via="api")
    now = timezone.now()
    do_record_response(actor, pat, "phq9", [3, 3, 3, 3, 2, 2, 2, 2, 1], completed_at=now - timedelta(days=3))
    assert set(Alert.objects.open().values_list("kind", flat=True)) == {"severe_band", "self_harm"}
    do_record_response(actor, pat, "phq9", [2, 2, 2, 2, 1, 1, 1, 1, 1])  # 13: moderate; item 9 still 1
    do_evaluate_alerts()
    open_kinds = sorted(Alert.objects.open().values_list("kind", flat=True))
    assert open_kinds == ["self_harm"]  # critical alerts wait for a clinician; the second answer attached
    assert Alert.objects.get(kind="self_harm").entries.count() == 2


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_passes_at_once_never_double_an_alert(pat):
    record_days(pat, {**dict.fromkeys(range(4, 24), 3), 3: 6, 2: 6, 1: 6})
    outcomes = run_at_once(do_evaluate_alerts, do_evaluate_alerts)
    assert [o.error for o in outcomes] == [None, None]
    assert Alert.objects.filter(kind="flare").count() == 1
    assert CheckIn.objects.count() == 23


def test_a_check_in_back_at_baseline_closes_the_flare_at_once(pat):
    record_days(pat, {**dict.fromkeys(range(4, 24), 3), 3: 5, 2: 5, 1: 5})  # the import raises it
    assert Alert.objects.open().filter(kind="flare").count() == 1
    do_record_checkin(Actor(user=pat, via="web"), pat, {"pain": 3, "mood": 5})  # today: 5, 5, 3
    assert Alert.objects.open().filter(kind="flare").count() == 0
    assert Alert.objects.filter(kind="flare", resolved_at__isnull=False).count() == 1


def test_a_back_filled_check_in_does_not_end_a_silence(pat):
    record_days(pat, dict.fromkeys(range(9, 19), 4))
    assert Alert.objects.open().filter(kind="silence").count() == 1
    # Eight days ago: the last seven days are still empty.
    do_record_checkin(Actor(user=pat, via="web"), pat, {"pain": 4, "mood": 5}, recorded_at=days_ago(pat, 8))
    assert Alert.objects.open().filter(kind="silence").count() == 1


def test_a_plain_check_in_reads_its_alerts_once_and_writes_none(pat, cara):
    # Open score alerts exist (a check-in cannot change them: it must not touch them).
    actor = Actor(user=pat, via="api")
    do_record_response(actor, pat, "phq9", [3, 3, 3, 3, 2, 2, 2, 2, 0])  # 20: severe band
    record_days(pat, dict.fromkeys(range(1, 20), 4))
    with CaptureQueriesContext(connection) as ctx:
        do_record_checkin(actor, pat, {"pain": 4, "mood": 5})
    alert_sql = [q["sql"] for q in ctx.captured_queries if "care_alert" in q["sql"]]
    assert len(alert_sql) == 1  # the open flare/silence alerts, read before the write
    assert alert_sql[0].lstrip().upper().startswith("SELECT")
    assert not any("questionnaireresponse" in q["sql"] for q in ctx.captured_queries)


@pytest.mark.django_db(transaction=True)
def test_a_patients_own_check_in_that_changes_nothing_is_one_insert_without_a_transaction(pat):
    """The hot write path (docs/benchmarks.md): one read, then the INSERT on its own; no BEGIN,
    no savepoint, no audit event (the patient's own data) and no alert write."""
    record_days(pat, dict.fromkeys(range(1, 20), 4))
    actor = Actor(user=pat, via="api")
    with CaptureQueriesContext(connection) as ctx:
        entry, created = do_record_checkin(actor, pat, {"pain": 4, "mood": 5}, client_id=uuid.uuid4())
    assert created
    kinds = [q["sql"].split()[0].upper() for q in ctx.captured_queries]
    assert kinds == ["SELECT", "INSERT"]  # the flare window and the open diary alerts; the entry
    assert "diary_checkin" in ctx.captured_queries[1]["sql"]
    # A retry with the same key: the index refuses the second insert and the first entry is returned.
    again, created = do_record_checkin(actor, pat, {"pain": 4, "mood": 5}, client_id=entry.client_id)
    assert (again.pk, created) == (entry.pk, False)
    assert CheckIn.objects.filter(client_id=entry.client_id).count() == 1


def test_the_check_in_read_equals_the_orm_definition(pat, cara):
    """`load_checkin_alert_state` reads with one hand-built statement; it must say what the ORM
    says of the same rows: the flare window's pain, and only open, non-critical flare/silence alerts."""
    from painmind.accounts.actions import do_create_user
    from painmind.diary.actions.alerts import FLARE_WINDOW_DAYS, load_checkin_alert_state
    from painmind.safety.actions import do_raise_alert
    from painmind.safety.models import AlertKind, Severity

    other = do_create_user("other@example.org", "x" * 12, role="patient", check_password=False)
    store_days(pat, {0: 7, 1: 6, 5: 3, FLARE_WINDOW_DAYS: 2, FLARE_WINDOW_DAYS + 1: 9})  # the last: too old
    store_days(pat, {1: 4})  # a second check-in on one day
    store_days(other, {0: 1, 1: 1})
    do_raise_alert(pat, AlertKind.FLARE, Severity.WARNING, key="flare", title="f")
    do_raise_alert(pat, AlertKind.SILENCE, Severity.CRITICAL, key="silence", title="s")  # critical: never closed here
    do_raise_alert(other, AlertKind.SILENCE, Severity.WARNING, key="silence", title="s")
    done, _ = do_raise_alert(pat, AlertKind.SILENCE, Severity.WARNING, key="other", title="s")
    Alert.objects.filter(pk=done.pk).update(resolved_at=timezone.now())

    state = load_checkin_alert_state(pat)
    today = timezone.localdate(timezone=pat.tzinfo)
    window = CheckIn.objects.filter(patient=pat, local_on__gte=today - timedelta(days=FLARE_WINDOW_DAYS))
    assert sorted(state.pains) == sorted((d, float(p)) for d, p in window.values_list("local_on", "pain"))
    assert len(state.pains) == 5  # by hand: days 0, 1 (twice), 5 and FLARE_WINDOW_DAYS
    assert state.open_kinds == {"flare"}
    assert state.today == today


def test_a_flare_with_a_day_missing_is_raised_by_the_check_in_that_completes_it(pat):
    # Baseline: 20 days at 4 (median 4, threshold 6); then 9 three days ago, nothing two days ago,
    # 9 yesterday. Today's 9 makes three flare days within four calendar days.
    record_days(pat, {**dict.fromkeys(range(4, 24), 4), 3: 9, 1: 9})
    assert not Alert.objects.filter(kind="flare").exists()
    do_record_checkin(Actor(user=pat, via="web"), pat, {"pain": 9, "mood": 5})
    [alert] = Alert.objects.open().filter(kind="flare")
    assert "median of 4" in alert.title
    assert run() == "Raised 0 alerts, closed 0."


@pytest.mark.parametrize(("today", "raised"), [(10, True), (9, False)])
def test_a_flare_above_a_high_median_is_capped_at_ten(pat, today, raised):
    # Median 8.5 (ten days at 8, ten at 9): 8.5 + 2 = 10.5 is off the scale; the threshold is 10.
    record_days(pat, {**dict.fromkeys(range(3, 13), 8), **dict.fromkeys(range(13, 23), 9), 2: 10, 1: 10})
    do_record_checkin(Actor(user=pat, via="web"), pat, {"pain": today, "mood": 5})
    assert Alert.objects.open().filter(kind="flare").count() == (1 if raised else 0)
