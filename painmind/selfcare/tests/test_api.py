"""Thought records, per-tool sharing and pacing plans over JSON: the issue's interfaces,
422 naming the field with nothing stored, and privacy (404 until shared, then audited)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from painmind.accounts.models import AuditEvent
from painmind.selfcare.models import PacingPlan, PacingSession, ThoughtRecord


def post(client, url, body, headers):
    return client.post(url, body, content_type="application/json", headers=headers)


RECORD = {
    "situation": "Couldn't finish the shopping",
    "emotions": [{"name": "Frustrated", "before": 80, "after": 55}],
    "thoughts": [{"text": "I can't do anything any more", "belief": 85}],
    "evidence_for": "Had to stop halfway",
    "evidence_against": "Did the laundry yesterday",
    "balanced_thought": "Some days I do less, not nothing",
    "balanced_belief": 60,
    "distortions": ["all_or_nothing", "overgeneralization"],
    "facets": ["helplessness"],
}


def test_patient_writes_and_reads_a_thought_record(client, pat, token_for):
    h = token_for(pat)
    r = post(client, "/api/v1/thought-records", RECORD, h)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["change"] == -25  # 55 − 80
    assert body["thoughts"][0]["hot"] is True
    listed = client.get("/api/v1/thought-records", headers=h).json()
    assert [x["id"] for x in listed] == [body["id"]]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"situation": ""}, "situation"),
        ({"emotions": [{"name": "Sad", "before": 120}]}, "emotions.0.before"),
        ({"distortions": ["doom"]}, "distortions"),
        ({"form": "five"}, "evidence_for"),
        ({"balanced_belief": None}, "balanced_belief"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_bad_thought_record_is_422_naming_the_field(client, pat, token_for, change, field):
    r = post(client, "/api/v1/thought-records", {**RECORD, **change}, token_for(pat))
    assert r.status_code == 422, r.content
    assert field in {e["field"] for e in r.json()["errors"]}
    assert ThoughtRecord.objects.count() == 0


def test_private_until_shared_then_audited_in_who_viewed_my_data(client, pat, cara, olga, token_for):
    post(client, "/api/v1/thought-records", RECORD, token_for(pat))
    url = f"/api/v1/patients/{pat.pk}/thought-records"
    assert client.get(url, headers=token_for(cara)).status_code == 404  # private by default
    assert not AuditEvent.objects.filter(patient=pat, object_type="thought_record_list").exists()
    shared = client.put(
        "/api/v1/selfcare/sharing", {"thought_records": True}, content_type="application/json", headers=token_for(pat)
    )
    assert shared.json() == {
        "thought_records": True,
        "pacing": True,
        "relaxation": True,
        "activities": True,
        "lifestyle": True,
    }
    r = client.get(url, headers=token_for(cara))
    assert r.status_code == 200
    assert len(r.json()) == 1
    event = AuditEvent.objects.get(patient=pat, object_type="thought_record_list")
    assert event.actor == cara
    client.force_login(pat)
    log = client.get("/me/access-log/").content.decode()
    assert "Dr Cara Lee" in log
    assert "viewed your thought records" in log
    assert client.get(url, headers=token_for(olga)).status_code == 404  # no consent: still 404
    client.put(
        "/api/v1/selfcare/sharing", {"thought_records": False}, content_type="application/json", headers=token_for(pat)
    )
    assert client.get(url, headers=token_for(cara)).status_code == 404


def test_the_issue_pacing_vector_and_its_weeks(client, pat, token_for):
    start = timezone.localdate() + timedelta(days=1)
    body = {
        "activity": "Walking",
        "unit": "minutes",
        "baseline": 20,
        "step_percent": 10,
        "goal": 26,
        "start_on": start.isoformat(),
    }
    r = post(client, "/api/v1/pacing-plans", body, token_for(pat))
    assert r.status_code == 201, r.content
    weeks = r.json()["weeks"]
    assert [w["quota"] for w in weeks] == [16, 18, 20, 22, 24, 26]
    assert [w["starts_on"] for w in weeks] == [(start + timedelta(days=7 * i)).isoformat() for i in range(6)]
    got = client.get(f"/api/v1/pacing-plans/{r.json()['id']}", headers=token_for(pat)).json()
    assert got["weeks"] == weeks
    assert got["sessions"] == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"unit": "miles"}, "unit"),
        ({"step_percent": 25}, "step_percent"),
        ({"goal": 15}, "goal"),  # not above 80 % of 20
        ({"baseline": -1}, "baseline"),
        ({"activity": " "}, "activity"),
        ({"goal": 12.345}, "goal"),
    ],
)
def test_bad_pacing_plan_is_422_naming_the_field(client, pat, token_for, change, field):
    body = {"activity": "Walking", "unit": "minutes", "baseline": 20, "step_percent": 10, "goal": 30, **change}
    r = post(client, "/api/v1/pacing-plans", body, token_for(pat))
    assert r.status_code == 422, r.content
    assert field in {e["field"] for e in r.json()["errors"]}
    assert PacingPlan.objects.count() == 0


def test_sessions_set_a_measured_baseline_and_show_done_vs_quota(client, pat, cara, olga, token_for):
    h = token_for(pat)
    today = timezone.localdate(timezone=pat.tzinfo)
    r = post(
        client,
        "/api/v1/pacing-plans",
        {
            "activity": "Walking",
            "unit": "minutes",
            "step_percent": 20,
            "goal": 40,
            "start_on": (today - timedelta(days=3)).isoformat(),
        },
        h,
    )
    assert r.status_code == 201, r.content
    plan_id = r.json()["id"]
    assert r.json()["measuring"] is True
    assert r.json()["weeks"] == []
    for i, done in enumerate([10, 20, 15]):  # mean 15
        s = post(
            client,
            f"/api/v1/pacing-plans/{plan_id}/sessions",
            {"done": done, "pain_before": 4, "pain_after": 5, "on": (today - timedelta(days=3 - i)).isoformat()},
            h,
        )
        assert s.status_code == 201, s.content
    plan = client.get(f"/api/v1/pacing-plans/{plan_id}", headers=h).json()
    assert plan["baseline"] == 15
    assert plan["start_on"] == today.isoformat()  # the day after the third session
    # start 12, rise 3 a week: 12, 15, 18, … 39, 40.
    assert [w["quota"] for w in plan["weeks"]] == [12, 15, 18, 21, 24, 27, 30, 33, 36, 39, 40]
    s = post(client, f"/api/v1/pacing-plans/{plan_id}/sessions", {"done": 12}, h)
    assert s.json()["quota"] == 12
    bad = post(client, f"/api/v1/pacing-plans/{plan_id}/sessions", {"done": 12, "pain_after": 11}, h)
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"pain_after"}
    future = post(
        client,
        f"/api/v1/pacing-plans/{plan_id}/sessions",
        {"done": 12, "on": (today + timedelta(days=1)).isoformat()},
        h,
    )
    assert {e["field"] for e in future.json()["errors"]} == {"on"}
    assert PacingSession.objects.count() == 4
    # Pacing is shared by default: the consenting clinician reads it (audited); olga gets 404.
    assert client.get(f"/api/v1/patients/{pat.pk}/pacing-plans/{plan_id}", headers=token_for(cara)).status_code == 200
    assert AuditEvent.objects.filter(patient=pat, actor=cara, object_type="pacing_plan").count() == 1
    assert client.get(f"/api/v1/patients/{pat.pk}/pacing-plans/{plan_id}", headers=token_for(olga)).status_code == 404
    # Another patient's plan id is a 404 to the owner of a different account.
    assert post(client, f"/api/v1/pacing-plans/{plan_id}/sessions", {"done": 1}, token_for(cara)).status_code == 404


def test_baseline_from_earlier_sessions_of_the_same_activity(client, pat, token_for):
    h = token_for(pat)
    today = timezone.localdate(timezone=pat.tzinfo)
    first = post(
        client,
        "/api/v1/pacing-plans",
        {"activity": "Walking", "unit": "minutes", "step_percent": 10, "baseline": 10, "goal": 30},
        h,
    ).json()
    for i, done in enumerate([10, 12, 14, 16, 18, 20]):
        post(
            client,
            f"/api/v1/pacing-plans/{first['id']}/sessions",
            {"done": done, "on": (today - timedelta(days=6 - i)).isoformat()},
            h,
        )
    second = post(
        client, "/api/v1/pacing-plans", {"activity": "walking", "unit": "minutes", "step_percent": 10, "goal": 30}, h
    ).json()
    assert second["baseline"] == 16  # mean of the last five: 12, 14, 16, 18, 20
    assert second["baseline_from_sessions"] is True
