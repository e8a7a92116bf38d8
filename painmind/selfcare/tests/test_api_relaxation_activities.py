"""Relaxation sessions and behavioural activation over JSON: the issue's interfaces, 422
naming the field with nothing stored, and sharing (shared by default; 404 once private)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from painmind.accounts.models import AuditEvent
from painmind.selfcare.models import Activity, RelaxationSession


def post(client, url, body, headers):
    return client.post(url, body, content_type="application/json", headers=headers)


SESSION = {"kind": "breathing", "minutes": 5, "before": {"tension": 7, "pain": 6}, "after": {"tension": 4, "pain": 5}}


def test_relaxation_sessions_and_their_usual_change(client, pat, token_for):
    h = token_for(pat)
    r = post(client, "/api/v1/relaxation-sessions", SESSION, h)
    assert r.status_code == 201, r.content
    assert r.json()["rate"] == 6.0  # the default pace
    post(client, "/api/v1/relaxation-sessions", {**SESSION, "kind": "muscle", "after": {"tension": 7}}, h)
    post(client, "/api/v1/relaxation-sessions", {**SESSION, "before": {"tension": 5}, "after": {"tension": 4}}, h)
    body = client.get("/api/v1/relaxation-sessions", headers=h).json()
    assert len(body["sessions"]) == 3
    # tension changes −3, 0, −1 → median −1 over 3; pain only in the first: −1 over 1
    assert body["usual_change"] == [
        {"measure": "tension", "median_change": -1.0, "n": 3},
        {"measure": "pain", "median_change": -1.0, "n": 1},
    ]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "yoga"}, "kind"),
        ({"minutes": 61}, "minutes"),
        ({"rate": 8}, "rate"),
        ({"before": {"tension": 11}}, "before.tension"),
        ({"after": {}}, "after"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_bad_relaxation_session_is_422_naming_the_field(client, pat, token_for, change, field):
    r = post(client, "/api/v1/relaxation-sessions", {**SESSION, **change}, token_for(pat))
    assert r.status_code == 422, r.content
    assert any(field in e["field"] for e in r.json()["errors"]), r.json()
    assert RelaxationSession.objects.count() == 0


def test_activities_planned_done_and_planned_vs_done(client, pat, token_for):
    h = token_for(pat)
    today = timezone.localdate(timezone=pat.tzinfo)
    tomorrow = (today + timedelta(days=1)).isoformat()
    done = post(
        client,
        "/api/v1/activities",
        {
            "name": "Coffee with Sam",
            "life_area": "relationships",
            "mastery": 3,
            "pleasure": 8,
            "done_on": today.isoformat(),
        },
        h,
    )
    assert done.status_code == 201, done.content
    plan = post(
        client, "/api/v1/activities", {"name": "Repot the basil", "life_area": "home", "planned_on": tomorrow}, h
    )
    assert plan.status_code == 201, plan.content
    body = client.get("/api/v1/activities", headers=h).json()
    assert body["planned_vs_done"] == {"due": 0, "done_as_planned": 0, "ahead": 1, "unplanned_done": 1}
    marked = post(client, f"/api/v1/activities/{plan.json()['id']}/done", {"mastery": 6, "pleasure": 5}, h)
    assert marked.status_code == 200, marked.content
    assert marked.json()["done_on"] == today.isoformat()
    body = client.get("/api/v1/activities", headers=h).json()
    assert body["planned_vs_done"] == {"due": 1, "done_as_planned": 1, "ahead": 0, "unplanned_done": 1}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "", "life_area": "home", "planned_on": "2999-01-01"}, "name"),
        ({"name": "Walk", "life_area": "money", "done_on": "2020-01-01"}, "life_area"),
        ({"name": "Walk", "life_area": "home", "done_on": "2020-01-01", "mastery": 12}, "mastery"),
        ({"name": "Walk", "life_area": "home"}, "planned_on"),
        ({"name": "Walk", "life_area": "home", "planned_on": "2020-01-01"}, "planned_on"),
    ],
)
def test_bad_activity_is_422_naming_the_field(client, pat, token_for, body, field):
    r = post(client, "/api/v1/activities", body, token_for(pat))
    assert r.status_code == 422, r.content
    assert field in {e["field"] for e in r.json()["errors"]}
    assert Activity.objects.count() == 0


def test_shared_by_default_audited_and_404_once_private(client, pat, cara, olga, token_for):
    post(client, "/api/v1/relaxation-sessions", SESSION, token_for(pat))
    post(client, "/api/v1/activities", {"name": "Walk", "life_area": "health", "done_on": "2020-01-01"}, token_for(pat))
    for path, kind in (("relaxation-sessions", "relaxation_session_list"), ("activities", "activity_list")):
        url = f"/api/v1/patients/{pat.pk}/{path}"
        assert client.get(url, headers=token_for(cara)).status_code == 200
        assert AuditEvent.objects.get(patient=pat, object_type=kind).actor == cara
        assert client.get(url, headers=token_for(olga)).status_code == 404  # no consent
    shared = client.put(
        "/api/v1/selfcare/sharing",
        {"relaxation": False, "activities": False},
        content_type="application/json",
        headers=token_for(pat),
    ).json()
    assert shared == {
        "thought_records": False,
        "pacing": True,
        "relaxation": False,
        "activities": False,
        "lifestyle": True,
    }
    for path in ("relaxation-sessions", "activities"):
        assert client.get(f"/api/v1/patients/{pat.pk}/{path}", headers=token_for(cara)).status_code == 404
