"""A positive PHQ-2 / GAD-2 / PHQ-4 makes the PHQ-9 / GAD-7 due at once, on every page and
endpoint that lists what is due, until it is completed after the screener (issue 10)."""

from __future__ import annotations

import json
from datetime import timedelta

from django.utils import timezone

from painmind.accounts.audit import Actor
from painmind.diary.access import measurement_schedules
from painmind.diary.actions import do_record_response
from painmind.reminders.sending import questionnaires_due_on


def record(pat, instrument, answers, days_ago=0.0):
    at = timezone.now() - timedelta(days=days_ago)
    return do_record_response(Actor(user=pat, via="api"), pat, instrument, answers, completed_at=at)[0]


def post(client, headers, body):
    return client.post("/api/v1/responses", json.dumps(body), content_type="application/json", headers=headers)


def plan(client, headers):
    return {r["instrument"]: r for r in client.get("/api/v1/measurement-plan", headers=headers).json()}


def test_a_positive_phq2_makes_the_phq9_due_until_one_is_completed_after_it(client, pat, token_for):
    record(pat, "phq9", [0] * 9, days_ago=2)  # done two days ago: next due in 12 days
    record(pat, "gad7", [0] * 7, days_ago=2)
    record(pat, "peg", [0, 0, 0], days_ago=2)  # nothing else is due
    assert plan(client, token_for(pat))["phq9"]["state"] == "upcoming"
    record(pat, "phq2", [1, 2], days_ago=1)  # 3: positive (§1.2)
    rows = plan(client, token_for(pat))
    assert rows["phq9"]["state"] == "overdue"  # due since yesterday's screener
    assert rows["phq9"]["days_overdue"] == 1
    assert rows["phq9"]["reason"].startswith("your PHQ-2 was positive (")
    assert (rows["gad7"]["state"], rows["gad7"]["reason"]) == ("upcoming", "")  # the PHQ-2 is about depression
    client.force_login(pat)
    page = client.get("/me/measures/").content.decode()
    assert "Overdue by 1 day: your PHQ-2 was positive" in page
    today = timezone.localdate(timezone=pat.tzinfo)
    assert questionnaires_due_on({pat.pk: today}) == {pat.pk}  # the reminder follows as well
    # An unscored PHQ-9 is not a completed one; a scored one ends it.
    record(pat, "phq9", [1, 1, None, None, None, None, None, None, 0])
    assert plan(client, token_for(pat))["phq9"]["state"] == "overdue"
    record(pat, "phq9", [1, 1, 0, 0, 0, 0, 0, 0, 0])
    rows = plan(client, token_for(pat))
    assert (rows["phq9"]["state"], rows["phq9"]["reason"]) == ("upcoming", "")
    assert questionnaires_due_on({pat.pk: today}) == set()


def test_a_phq2_just_below_the_cut_off_changes_nothing(client, pat, token_for):
    record(pat, "phq9", [0] * 9, days_ago=2)
    record(pat, "phq2", [1, 1])  # 2
    assert plan(client, token_for(pat))["phq9"]["state"] == "upcoming"


def test_a_phq9_completed_before_the_screener_does_not_end_it(pat):
    record(pat, "phq9", [0] * 9, days_ago=0.01)
    record(pat, "gad2", [2, 1])  # 3: positive (§1.4) → GAD-7
    record(pat, "phq4", [0, 0, 2, 1])  # depression subscale 3 → PHQ-9, although one was done minutes ago
    today = timezone.localdate(timezone=pat.tzinfo)
    rows = {s.instrument.id: s for s in measurement_schedules({pat.pk: today})[pat.pk]}
    assert rows["phq9"].due is not None
    assert rows["phq9"].due.state == "due"
    assert rows["phq9"].due.reason.startswith("the depression questions of your PHQ-4 were positive")
    assert rows["gad7"].due is not None
    assert rows["gad7"].due.reason.startswith("your GAD-2 was positive")


def test_an_unscheduled_phq9_is_still_asked_for_after_a_positive_phq4(client, pat, cara, token_for):
    headers = token_for(cara)
    r = client.put(
        f"/api/v1/patients/{pat.pk}/measurement-plan",
        json.dumps({"instrument": "phq9", "interval_days": None}),
        content_type="application/json",
        headers=headers,
    )
    assert r.status_code == 200
    assert plan(client, token_for(pat))["phq9"]["state"] is None  # not scheduled
    record(pat, "phq4", [2, 1, 2, 1])  # both subscales 3
    rows = plan(client, token_for(pat))
    assert (rows["phq9"]["active"], rows["phq9"]["state"]) == (False, "due")
    assert rows["gad7"]["reason"].startswith("the anxiety questions of your PHQ-4 were positive")


def test_the_result_page_and_the_api_response_say_what_is_due(client, pat, token_for):
    r = post(client, token_for(pat), {"instrument": "phq2", "answers": [2, 2]})
    assert r.status_code == 201
    assert r.json()["follow_ups"] == [{"instrument": "phq9", "name": "PHQ-9", "reason": "your PHQ-2 was positive"}]
    client.force_login(pat)
    page = client.get(f"/me/measures/responses/{r.json()['id']}/").content.decode()
    assert "Please complete the PHQ-9 now." in page
    assert 'href="/me/measures/phq9/"' in page
    negative = post(client, token_for(pat), {"instrument": "phq2", "answers": [0, 1]})
    assert negative.json()["follow_ups"] == []
    page = client.get(f"/me/measures/responses/{negative.json()['id']}/").content.decode()
    assert "Please complete" not in page
