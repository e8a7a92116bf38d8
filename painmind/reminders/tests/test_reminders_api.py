"""Reminder settings over the API: the patient's own; a time is needed when a reminder is on."""

from __future__ import annotations

from datetime import time

from painmind.reminders.models import ReminderPreference


def test_defaults_then_set_and_read_back(client, pat, token_for):
    headers = token_for(pat)
    r = client.get("/api/v1/reminders", headers=headers)
    assert r.status_code == 200
    assert r.json()["checkin_enabled"] is False
    assert r.json()["next_reminder_at"] is None
    assert r.json()["time_zone"] == "Europe/London"
    r = client.put(
        "/api/v1/reminders",
        {"checkin_enabled": True, "checkin_time": "20:30", "questionnaires_enabled": False},
        content_type="application/json",
        headers=headers,
    )
    assert r.status_code == 200
    body = r.json()
    assert (body["checkin_enabled"], body["checkin_time"], body["questionnaires_enabled"]) == (True, "20:30:00", False)
    # The next reminder is 20:30 London time, whatever the date: 19:30 or 20:30 UTC.
    assert body["next_reminder_at"][11:16] in {"19:30", "20:30"}
    pref = ReminderPreference.objects.get(patient=pat)
    assert (pref.checkin_enabled, pref.checkin_time) == (True, time(20, 30))


def test_on_without_a_time_is_refused_and_changes_nothing(client, pat, token_for):
    r = client.put(
        "/api/v1/reminders",
        {"checkin_enabled": True, "checkin_time": None, "questionnaires_enabled": True},
        content_type="application/json",
        headers=token_for(pat),
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "checkin_time"
    assert not ReminderPreference.objects.exists()  # not even the default row


def test_a_clinician_has_no_reminders(client, cara, token_for):
    assert client.get("/api/v1/reminders", headers=token_for(cara)).status_code == 404
