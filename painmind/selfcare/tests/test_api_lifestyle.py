"""Lifestyle fields over JSON: one entry per local day (PUT replaces it, idempotently), the
window query, 422 naming the field with nothing stored, the chosen groups, and sharing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from painmind.accounts.models import AuditEvent
from painmind.selfcare.models import LifestyleEntry

DAY = {"exercise_kind": "walking", "exercise_minutes": 30, "caffeine_drinks": 2, "role_done": "some"}


def put(client, url, body, headers):
    return client.put(url, body, content_type="application/json", headers=headers)


def test_one_entry_per_day_replaced_idempotently(client, pat, token_for):
    h = token_for(pat)
    first = put(client, "/api/v1/lifestyle/2026-01-05", DAY, h)
    assert first.status_code == 200, first.content
    again = put(client, "/api/v1/lifestyle/2026-01-05", DAY, h)
    assert again.json() == first.json()
    assert LifestyleEntry.objects.count() == 1
    body = first.json()
    assert body["date"] == "2026-01-05"
    assert body["exercise_minutes"] == 30
    assert body["role_done"] == "some"
    assert body["meals"] is None
    assert body["loneliness"] is None
    # A later PUT replaces the day: what it leaves out is empty again.
    put(client, "/api/v1/lifestyle/2026-01-05", {"loneliness": 6}, h)
    row = LifestyleEntry.objects.get()
    assert (row.loneliness, row.exercise_minutes, row.role_done) == (6, None, "")


def test_window_from_to_inclusive_newest_first(client, pat, token_for):
    h = token_for(pat)
    for d in ("2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04"):
        put(client, f"/api/v1/lifestyle/{d}", {"meals": 3}, h)
    got = client.get("/api/v1/lifestyle?from=2026-01-02&to=2026-01-03", headers=h).json()
    assert [e["date"] for e in got] == ["2026-01-03", "2026-01-02"]
    assert len(client.get("/api/v1/lifestyle", headers=h).json()) == 4
    assert client.get("/api/v1/lifestyle?from=soon", headers=h).status_code == 422


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"exercise_minutes": 1441}, "exercise_minutes"),
        ({"loneliness": 11}, "loneliness"),
        ({"meals": -1}, "meals"),
        ({"alcohol_drinks": "2"}, "alcohol_drinks"),
        ({"caffeine_drinks": True}, "caffeine_drinks"),
        ({"role_done": "most"}, "role_done"),
        ({"exercise_kind": "x" * 61}, "exercise_kind"),
        ({"exercise_kind": "run\x00"}, "exercise_kind"),
        ({"sleep": 8}, "sleep"),
    ],
)
def test_bad_input_is_422_naming_the_field(client, pat, token_for, change, field):
    r = put(client, "/api/v1/lifestyle/2026-01-05", {**DAY, **change}, token_for(pat))
    assert r.status_code == 422, r.content
    assert any(field in e["field"] for e in r.json()["errors"]), r.json()
    assert LifestyleEntry.objects.count() == 0


def test_a_future_or_bad_day_is_refused(client, pat, token_for):
    tomorrow = timezone.localdate(timezone=pat.tzinfo) + timedelta(days=1)
    r = put(client, f"/api/v1/lifestyle/{tomorrow.isoformat()}", DAY, token_for(pat))
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "date"
    assert put(client, "/api/v1/lifestyle/2026-02-30", DAY, token_for(pat)).status_code == 422
    assert LifestyleEntry.objects.count() == 0


def test_chosen_groups_none_by_default(client, pat, token_for):
    h = token_for(pat)
    assert client.get("/api/v1/lifestyle/fields", headers=h).json()["fields"] == []
    r = put(client, "/api/v1/lifestyle/fields", {"fields": ["role", "exercise"]}, h)
    assert r.json()["fields"] == ["exercise", "role"]  # in the form's order
    bad = put(client, "/api/v1/lifestyle/fields", {"fields": ["sleep"]}, h)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "fields"
    assert client.get("/api/v1/lifestyle/fields", headers=h).json()["fields"] == ["exercise", "role"]


def test_shared_by_default_audited_and_404_once_private(client, pat, cara, olga, token_for):
    put(client, "/api/v1/lifestyle/2026-01-05", DAY, token_for(pat))
    url = f"/api/v1/patients/{pat.pk}/lifestyle"
    got = client.get(url, headers=token_for(cara))
    assert got.status_code == 200
    assert got.json()[0]["exercise_minutes"] == 30
    assert AuditEvent.objects.get(patient=pat, object_type="lifestyle_list").actor == cara
    assert client.get(url, headers=token_for(olga)).status_code == 404  # no consent
    put(client, "/api/v1/selfcare/sharing", {"lifestyle": False}, token_for(pat))
    assert client.get(url, headers=token_for(cara)).status_code == 404
    # A clinician cannot write a patient's lifestyle fields.
    assert put(client, "/api/v1/lifestyle/2026-01-06", DAY, token_for(cara)).status_code == 404
