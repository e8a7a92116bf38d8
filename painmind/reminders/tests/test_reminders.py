"""`painmind reminders --now …`: due reminders by email, once, in each patient's own zone.

The clock is pinned with --now (no time-freezing library). Check-ins and questionnaires are
recorded in the past (before the real clock), reminders are evaluated at the pinned instant.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import REFUSING_BACKEND
from painmind.accounts.actions import do_create_user
from painmind.accounts.audit import Actor
from painmind.diary.access import get_measurement_plan_for_user
from painmind.diary.actions import do_import_checkins, do_record_response
from painmind.diary.actions.questionnaires import do_set_measurement_interval
from painmind.reminders.actions import do_set_reminder_preference
from painmind.reminders.models import ReminderSent
from painmind.reminders.sending import do_send_due_reminders, find_due_reminders, questionnaires_due_on
from tests.concurrency import run_at_once

pytestmark = pytest.mark.django_db

SITE = "https://painmind.example.org"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.BASE_URL = SITE


def patient(email, zone):
    return do_create_user(email, "x" * 20, role="patient", time_zone=zone, check_password=False)


def remind(user, hhmm, *, checkin=True, questionnaires=False):
    hh, mm = map(int, hhmm.split(":"))
    return do_set_reminder_preference(
        Actor(user=user, via="web"),
        checkin_enabled=checkin,
        checkin_time=time(hh, mm),
        questionnaires_enabled=questionnaires,
    )


def run(now: str) -> str:
    out = io.StringIO()
    call_command("reminders", "--now", now, stdout=out)
    return out.getvalue().strip()


def check_in(user, at: datetime):
    do_import_checkins(Actor(user=user, via="web"), user, [(at, {"pain": 4, "mood": 5})])


def all_questionnaires_done(user, at: datetime):
    actor = Actor(user=user, via="web")
    do_record_response(actor, user, "phq9", [0] * 9, completed_at=at)
    do_record_response(actor, user, "gad7", [0] * 7, completed_at=at)
    do_record_response(actor, user, "peg", [3, 3, 3], completed_at=at)


NONE = "sent 0 check-in reminders, 0 questionnaire reminders"
ONE = "sent 1 check-in reminder, 0 questionnaire reminders"


# Thursday 19 November 2026 (GMT, so London wall time = UTC); before the real clock.
@pytest.mark.parametrize(
    ("now", "expected"),
    [
        ("2026-11-19T19:59:59+00:00", NONE),  # just before 20:00
        ("2026-11-19T20:00:00+00:00", ONE),  # at
        ("2026-11-19T20:10:00+00:00", ONE),  # after, on a 10-minute cron
        ("2026-11-20T01:59:59+00:00", ONE),  # almost 6 h late: still sent
        ("2026-11-20T02:00:00+00:00", NONE),  # 6 h late: dropped as stale
    ],
)
def test_due_just_before_at_and_after_the_time(pat, now, expected):
    remind(pat, "20:00")
    assert run(now) == expected
    assert len(mail.outbox) == (0 if expected == NONE else 1)


def test_the_email_invites_and_links_without_clinical_content(pat):
    remind(pat, "20:00")
    run("2026-11-19T20:00:00Z")
    [message] = mail.outbox
    assert message.to == ["pat@example.org"]
    assert message.subject == "Time for your PainMind check-in"
    assert "Time for your PainMind check-in" in message.body
    assert f"{SITE}/me/\n" in message.body
    assert "questionnaire" not in message.body
    assert ReminderSent.objects.get().local_on.isoformat() == "2026-11-19"


def test_sent_once_when_the_command_runs_twice(pat):
    remind(pat, "20:00")
    assert run("2026-11-19T20:00:00Z") == ONE
    assert run("2026-11-19T20:05:00Z") == NONE
    assert run("2026-11-19T20:00:00Z") == NONE
    assert len(mail.outbox) == 1
    assert ReminderSent.objects.count() == 1
    # and the next day again
    assert run("2026-11-20T20:00:00Z") == ONE


def test_not_sent_when_already_checked_in_that_local_day(pat):
    remind(pat, "20:00")
    check_in(pat, datetime(2026, 11, 19, 8, 0, tzinfo=UTC))
    assert run("2026-11-19T20:00:00Z") == NONE
    assert mail.outbox == []


def test_the_local_date_decides_not_the_utc_date():
    lee = patient("lee@example.org", "America/Los_Angeles")
    remind(lee, "23:40")
    # 23:30 on Wed 18 Nov in Los Angeles (PST, -8) is 07:30 UTC on Thu 19 Nov.
    check_in(lee, datetime(2026, 11, 18, 23, 30, tzinfo=ZoneInfo("America/Los_Angeles")))
    # 23:45 PST on 18 Nov = 07:45 UTC 19 Nov: she has checked in today (local), so no reminder.
    assert run("2026-11-19T07:45:00Z") == NONE
    # Next local day (19 Nov) she has not: 23:45 PST on 19 Nov = 07:45 UTC 20 Nov.
    assert run("2026-11-20T07:45:00Z") == ONE
    assert ReminderSent.objects.get().local_on.isoformat() == "2026-11-19"


def test_two_patients_in_different_zones(pat):
    ny = patient("nia@example.org", "America/New_York")
    remind(pat, "20:00")  # London, GMT: 20:00 UTC
    remind(ny, "20:00")  # New York, EST (-5): 01:00 UTC the next day
    assert run("2026-11-19T20:00:00Z") == ONE
    assert [m.to for m in mail.outbox] == [["pat@example.org"]]
    assert run("2026-11-20T00:59:00Z") == NONE
    assert run("2026-11-20T01:00:00Z") == ONE
    assert [m.to for m in mail.outbox] == [["pat@example.org"], ["nia@example.org"]]
    assert sorted((r.patient.email, r.local_on.isoformat()) for r in ReminderSent.objects.all()) == [
        ("nia@example.org", "2026-11-19"),
        ("pat@example.org", "2026-11-19"),
    ]


@pytest.mark.parametrize(
    ("zone", "hhmm", "before", "at"),
    [
        # 01:30 does not exist in London on 28 Mar 2027 (01:00 GMT → 02:00 BST): fires at 01:00 UTC.
        ("Europe/London", "01:30", "2027-03-28T00:59:59Z", "2027-03-28T01:00:00Z"),
        # 02:30 does not exist in New York on 14 Mar 2027 (02:00 EST → 03:00 EDT): fires at 07:00 UTC.
        ("America/New_York", "02:30", "2027-03-14T06:59:59Z", "2027-03-14T07:00:00Z"),
    ],
)
def test_spring_forward_nonexistent_time_fires_at_the_first_valid_instant_after(zone, hhmm, before, at):
    user = patient("dst@example.org", zone)
    remind(user, hhmm)
    assert run(before) == NONE
    assert run(at) == ONE
    assert ReminderSent.objects.get().local_on.isoformat() == at[:10]


@pytest.mark.parametrize(
    ("zone", "before", "first", "second"),
    [
        # London 31 Oct 2027: 01:30 happens at 00:30 UTC (BST) and again at 01:30 UTC (GMT).
        ("Europe/London", "2027-10-31T00:29:59Z", "2027-10-31T00:30:00Z", "2027-10-31T01:30:00Z"),
        # New York 7 Nov 2027: 01:30 happens at 05:30 UTC (EDT) and again at 06:30 UTC (EST).
        ("America/New_York", "2027-11-07T05:29:59Z", "2027-11-07T05:30:00Z", "2027-11-07T06:30:00Z"),
    ],
)
def test_fall_back_ambiguous_time_fires_once_at_the_first_occurrence(zone, before, first, second):
    user = patient("dst@example.org", zone)
    remind(user, "01:30")
    assert run(before) == NONE
    assert run(first) == ONE
    assert run(second) == NONE
    assert len(mail.outbox) == 1


def test_questionnaire_reminder_only_when_something_is_due(pat):
    remind(pat, "20:00", checkin=False, questionnaires=True)
    # PHQ-9 and GAD-7 every 14 days, PEG every 7 (core.schedule defaults), all done on 18 Nov.
    all_questionnaires_done(pat, datetime(2026, 11, 18, 9, 0, tzinfo=UTC))
    assert run("2026-11-24T20:00:00Z") == NONE  # PEG next due 25 Nov
    assert run("2026-11-25T20:00:00Z") == "sent 0 check-in reminders, 1 questionnaire reminder"
    assert run("2026-11-25T20:30:00Z") == NONE  # at most one a local day
    [message] = mail.outbox
    assert message.subject == "PainMind: a questionnaire is waiting for you"
    assert "You have a questionnaire to fill in." in message.body
    assert f"{SITE}/me/" in message.body
    for leak in ("PEG", "peg", "PHQ", "GAD", "Enjoyment", "overdue"):
        assert leak not in message.body, leak


def test_check_in_and_questionnaire_due_together_make_one_email(pat):
    remind(pat, "20:00", questionnaires=True)  # never completed anything: every default is due
    assert run("2026-11-19T20:00:00Z") == "sent 1 check-in reminder, 1 questionnaire reminder"
    [message] = mail.outbox
    assert message.subject == "Time for your PainMind check-in"
    assert "You also have a questionnaire to fill in." in message.body
    assert sorted(ReminderSent.objects.values_list("kind", flat=True)) == ["checkin", "questionnaires"]


def test_disabled_or_missing_preference_sends_nothing(pat):
    patient("nopref@example.org", "Europe/London")  # never set reminders
    remind(pat, "20:00", checkin=False, questionnaires=False)
    assert run("2026-11-19T20:00:00Z") == NONE
    assert mail.outbox == []


def test_inactive_patient_gets_nothing(pat):
    remind(pat, "20:00")
    pat.is_active = False
    pat.save()
    assert run("2026-11-19T20:00:00Z") == NONE


def test_a_failed_send_is_retried_by_the_next_run(pat, settings):
    remind(pat, "20:00", questionnaires=True)
    settings.EMAIL_BACKEND = REFUSING_BACKEND
    assert run("2026-11-19T20:00:00Z") == NONE + " (1 failed; the next run retries)"
    assert ReminderSent.objects.count() == 0  # claims released
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert run("2026-11-19T20:10:00Z") == "sent 1 check-in reminder, 1 questionnaire reminder"
    assert len(mail.outbox) == 1


def test_now_must_be_iso_with_an_offset(pat):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="needs a UTC offset"):
        run("2026-11-19T20:00:00")
    with pytest.raises(CommandError, match="is not an ISO 8601"):
        run("tomorrow")


def test_questionnaire_due_rule_matches_the_patients_measurement_plan(pat):
    # The bulk rule against the per-patient page's rule, on today's real date.
    now = datetime.now(UTC)
    sam = patient("sam@example.org", "Europe/London")
    all_questionnaires_done(sam, now)  # nothing due
    actor = Actor(user=pat, via="web")
    do_record_response(actor, pat, "phq9", [0] * 9, completed_at=now)
    do_record_response(actor, pat, "gad7", [0] * 7, completed_at=now)
    do_set_measurement_interval(Actor.cli(), pat, "peg", None)  # PEG no longer asked
    today = {p.pk: now.astimezone(p.tzinfo).date() for p in (pat, sam)}

    def plan_says_due(user):
        _, rows = get_measurement_plan_for_user(Actor(user=user, via="web"))
        return any(r.due is not None and r.due.state != "upcoming" for r in rows)

    assert (plan_says_due(pat), plan_says_due(sam)) == (False, False)
    assert questionnaires_due_on(today) == set()
    do_set_measurement_interval(Actor.cli(), pat, "peg", 7)  # PEG asked again, never done: due today
    assert plan_says_due(pat) is True
    assert questionnaires_due_on(today) == {pat.pk}


def test_reading_what_is_due_does_not_grow_with_the_number_of_patients(pat):
    def queries_for(n):
        users = [patient(f"p{n}-{i}@example.org", "Europe/London") for i in range(n)]
        for u in users:
            remind(u, "20:00", questionnaires=True)
        with CaptureQueriesContext(connection) as ctx:
            due = find_due_reminders(datetime(2026, 11, 19, 20, 0, tzinfo=UTC))
        for u in users:
            u.reminder_preference.delete()
        return len(due), len(ctx.captured_queries)

    n_due_2, q2 = queries_for(2)
    n_due_8, q8 = queries_for(8)
    assert (n_due_2, n_due_8) == (2, 8)
    assert q2 == q8 == 5  # preferences, check-ins, claims, plans, last completions


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_once(pat):
    remind(pat, "20:00")
    now = datetime(2026, 11, 19, 20, 0, tzinfo=UTC)
    outcomes = run_at_once(*[lambda: do_send_due_reminders(now).n_checkin] * 2)
    assert [o.error for o in outcomes] == [None, None]
    assert sum(o.value for o in outcomes) == 1
    assert len(mail.outbox) == 1
    assert ReminderSent.objects.count() == 1
