"""/me/reminders/: the patient turns reminders on, picks a local time, sees when the next one comes."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from painmind.reminders.models import ReminderPreference
from painmind.reminders.views import next_reminder_text

URL = "/me/reminders/"


def test_off_until_the_patient_turns_them_on(client, pat):
    client.force_login(pat)
    r = client.get(URL)
    assert r.status_code == 200
    html = r.content.decode()
    assert "Reminders are off." in html
    assert 'value="20:00"' in html  # the suggested time
    assert ReminderPreference.objects.count() == 0


def test_saving_turns_them_on_and_shows_the_next_one(client, pat):
    client.force_login(pat)
    r = client.post(URL, {"checkin_enabled": "on", "checkin_time": "07:45", "questionnaires_enabled": "on"})
    assert r.status_code == 302
    assert r["Location"] == URL
    pref = ReminderPreference.objects.get(patient=pat)
    assert (pref.checkin_enabled, pref.checkin_time, pref.questionnaires_enabled) == (True, time(7, 45), True)
    html = client.get(URL).content.decode()
    assert "Reminder settings saved." in html
    assert "Next reminder: " in html
    assert " at 07:45 (Europe/London)" in html
    assert 'value="07:45"' in html
    # turning them off again keeps the time for next time
    client.post(URL, {"checkin_time": "07:45"})
    pref.refresh_from_db()
    assert (pref.checkin_enabled, pref.questionnaires_enabled, pref.checkin_time) == (False, False, time(7, 45))
    assert "Reminders are off." in client.get(URL).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"checkin_enabled": "on", "checkin_time": "25:00"}, "Enter the time as HH:MM on a 24-hour clock"),
        ({"checkin_enabled": "on", "checkin_time": "8pm"}, "Enter the time as HH:MM on a 24-hour clock"),
        ({"checkin_enabled": "on", "checkin_time": "20:00:30"}, "Enter the time as HH:MM on a 24-hour clock"),
        ({"checkin_enabled": "on", "checkin_time": ""}, "Choose a time for your reminders"),
        ({"questionnaires_enabled": "on", "checkin_time": ""}, "Choose a time for your reminders"),
        ({"questionnaires_enabled": "on"}, "Choose a time for your reminders"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(client, pat, data, message):
    client.force_login(pat)
    r = client.post(URL, data)
    assert r.status_code == 400
    html = r.content.decode()
    assert 'id="err_checkin_time"' in html
    assert message in html
    assert 'aria-invalid="true"' in html
    assert ReminderPreference.objects.count() == 0


def test_only_patients_have_reminders(client, cara):
    client.force_login(cara)
    assert client.get(URL).status_code == 404


def test_signed_out_goes_to_sign_in(client, db):
    r = client.get(URL)
    assert r.status_code == 302
    assert r["Location"].startswith("/login/")


@pytest.mark.parametrize(
    ("now", "hhmm", "zone", "expected"),
    [
        (
            datetime(2026, 11, 26, 12, 0, tzinfo=UTC),
            time(20, 0),
            "Europe/London",
            "Thu 26 Nov at 20:00 (Europe/London)",
        ),
        (
            datetime(2026, 11, 26, 20, 1, tzinfo=UTC),
            time(20, 0),
            "Europe/London",
            "Fri 27 Nov at 20:00 (Europe/London)",
        ),
        # 20:00 UTC on Thursday is 12:00 PST: today's 20:00 is still to come
        (
            datetime(2026, 11, 26, 20, 1, tzinfo=UTC),
            time(20, 0),
            "America/Los_Angeles",
            "Thu 26 Nov at 20:00 (America/Los_Angeles)",
        ),
        # 01:30 does not exist on 28 Mar 2027 in London: the reminder comes at 02:00
        (datetime(2027, 3, 27, 22, 0, tzinfo=UTC), time(1, 30), "Europe/London", "Sun 28 Mar at 02:00 (Europe/London)"),
    ],
)
def test_next_reminder_text(pat, now, hhmm, zone, expected):
    pat.time_zone = zone
    pat.save()
    pref = ReminderPreference.objects.create(patient=pat, checkin_enabled=True, checkin_time=hhmm)
    assert next_reminder_text(pref, now) == expected
