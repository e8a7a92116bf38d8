"""POST/GET /api/v1/checkins through the real HTTP stack: bounds, idempotency, errors."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from painmind.accounts.models import AuditEvent
from painmind.diary.models import CheckIn

URL = "/api/v1/checkins"
MINIMAL = {"pain": 4, "mood": 6}

# (field, lower limit, upper limit): each from the field list.
LIMITS = [
    ("pain", 0, 10),
    ("mood", 0, 10),
    ("pain_interference", 0, 10),
    ("anxiety", 0, 10),
    ("stress", 0, 10),
    ("sleep_quality", 0, 10),
    ("social", 0, 10),
    ("activity_minutes", 0, 1440),
]


def post(client: Any, headers: dict[str, str], body: dict[str, Any]) -> Any:
    return client.post(URL, body, content_type="application/json", headers=headers)


def field_errors(response: Any) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for err in response.json()["errors"]:
        out.setdefault(err["field"], []).append(err["message"])
    return out


@pytest.mark.parametrize(("field", "lo", "hi"), LIMITS)
def test_each_bound_accepts_the_limits(client, pat, token_for, field, lo, hi):
    headers = token_for(pat)
    for value in (lo, hi):
        body = {**MINIMAL, field: value}
        r = post(client, headers, body)
        assert r.status_code == 201, r.content
        assert r.json()[field] == value
    assert CheckIn.objects.filter(patient=pat).count() == 2
    assert sorted(CheckIn.objects.values_list(field, flat=True)) == [lo, hi]


@pytest.mark.parametrize(("field", "lo", "hi"), LIMITS)
def test_each_bound_rejects_just_outside(client, pat, token_for, field, lo, hi):
    headers = token_for(pat)
    for value in (lo - 1, hi + 1):
        r = post(client, headers, {**MINIMAL, field: value})
        assert r.status_code == 422, r.content
        assert field in field_errors(r), r.json()
    assert CheckIn.objects.count() == 0


def test_sleep_hours_bounds_are_inclusive_and_fractional(client, pat, token_for):
    headers = token_for(pat)
    for ok in (0, 0.25, 7.5, 24):
        assert post(client, headers, {**MINIMAL, "sleep_hours": ok}).status_code == 201
    for bad in (-0.25, 24.25, -1, 25):
        r = post(client, headers, {**MINIMAL, "sleep_hours": bad})
        assert r.status_code == 422
        assert "sleep_hours" in field_errors(r)
    assert sorted(h for h in CheckIn.objects.values_list("sleep_hours", flat=True) if h is not None) == [
        0,
        0.25,
        7.5,
        24,
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"mood": 5}, "pain"),
        ({"pain": 5}, "mood"),
        ({"pain": 4.5, "mood": 5}, "pain"),
        ({"pain": "4", "mood": 5}, "pain"),
        ({"pain": True, "mood": 5}, "pain"),
        ({"pain": None, "mood": 5}, "pain"),
        ({**MINIMAL, "pain_locations": ["elbow_of_doom"]}, "pain_locations"),
        ({**MINIMAL, "note": "x" * 2001}, "note"),
        ({**MINIMAL, "recorded_at": "2026-03-01T20:00:00"}, "recorded_at"),
        ({**MINIMAL, "recorded_at": "2999-01-01T20:00:00Z"}, "recorded_at"),
        ({**MINIMAL, "client_id": "not-a-uuid"}, "client_id"),
        ({**MINIMAL, "tags": ["x" * 41]}, "tags"),
        ({**MINIMAL, "tags": [1]}, "tags.0"),
        ({**MINIMAL, "anxeity": 3}, "anxeity"),
        ({**MINIMAL, "pain_locations": "head"}, "pain_locations"),
    ],
)
def test_invalid_input_names_the_field_and_writes_nothing(client, pat, token_for, body, field):
    r = post(client, token_for(pat), body)
    assert r.status_code == 422, r.content
    assert r.json()["detail"] == "Invalid input."
    assert field in field_errors(r), r.json()
    assert CheckIn.objects.count() == 0


def test_note_of_exactly_2000_characters_is_accepted(client, pat, token_for):
    r = post(client, token_for(pat), {**MINIMAL, "note": "é" * 2000})
    assert r.status_code == 201
    assert len(CheckIn.objects.get().note) == 2000


@pytest.mark.parametrize(
    ("body", "content_type"),
    [("{not json", "application/json"), ("pain=3&mood=4", "application/x-www-form-urlencoded")],
)
def test_unparseable_body_is_a_clear_400_not_a_500(client, pat, token_for, body, content_type):
    r = client.generic("POST", URL, body, content_type=content_type, headers=token_for(pat))
    assert r.status_code == 400
    assert r.json() == {"detail": "Cannot parse request body", "errors": []}
    assert CheckIn.objects.count() == 0


@pytest.mark.parametrize(
    ("query", "field"), [("since=garbage", "since"), ("until=2026-01-01T00:00:00", "until"), ("limit=0", "limit")]
)
def test_bad_query_parameters_name_the_parameter(client, pat, token_for, query, field):
    r = client.get(f"{URL}?{query}", headers=token_for(pat))
    assert r.status_code == 422
    assert field in field_errors(r)


def test_full_entry_round_trips(client, pat, token_for):
    body = {
        "recorded_at": "2026-03-01T20:15:00+00:00",
        "pain": 7,
        "mood": 3,
        "pain_interference": 6,
        "anxiety": 5,
        "stress": 4,
        "sleep_hours": 5.5,
        "sleep_quality": 3,
        "activity_minutes": 25,
        "social": 2,
        "pain_locations": ["lower_back", "head"],
        "tags": ["Physio", "walk", "walk"],
        "note": "Bad night.",
    }
    r = post(client, token_for(pat), body)
    assert r.status_code == 201
    out = r.json()
    # Locations come back in the body-region list's order; tags lower-cased, unique, sorted.
    assert out["pain_locations"] == ["head", "lower_back"]
    assert out["tags"] == ["physio", "walk"]
    assert out["local_on"] == "2026-03-01"
    row = CheckIn.objects.get()
    assert (row.pain, row.mood, row.sleep_hours, row.activity_minutes) == (7, 3, 5.5, 25)
    assert row.created_by == pat
    # The patient's own writes are not audit events: the audit log is for other people's access.
    assert AuditEvent.objects.count() == 0


def test_replay_with_same_client_id_returns_the_original(client, pat, token_for):
    headers = token_for(pat)
    body = {**MINIMAL, "client_id": str(uuid.uuid4()), "recorded_at": "2026-03-01T20:00:00Z", "tags": ["a"]}
    first = post(client, headers, body)
    second = post(client, headers, body)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert CheckIn.objects.count() == 1


def test_replay_without_recorded_at_is_still_a_replay(client, pat, token_for):
    headers = token_for(pat)
    body = {**MINIMAL, "client_id": str(uuid.uuid4())}
    assert post(client, headers, body).status_code == 201
    assert post(client, headers, body).status_code == 200
    assert CheckIn.objects.count() == 1


@pytest.mark.parametrize("change", [{"pain": 5}, {"note": "different"}, {"recorded_at": "2026-03-01T21:00:00Z"}])
def test_same_client_id_with_other_content_is_409(client, pat, token_for, change):
    headers = token_for(pat)
    body = {**MINIMAL, "client_id": str(uuid.uuid4()), "recorded_at": "2026-03-01T20:00:00Z"}
    first = post(client, headers, body)
    r = post(client, headers, {**body, **change})
    assert r.status_code == 409
    assert r.json()["existing_id"] == first.json()["id"]
    assert CheckIn.objects.count() == 1
    assert CheckIn.objects.get().pain == 4


def test_client_ids_are_per_patient(client, pat, olga, token_for):
    from painmind.accounts.actions import do_create_user

    other = do_create_user("pam@example.org", "pw-not-checked", role="patient", check_password=False)
    body = {**MINIMAL, "client_id": str(uuid.uuid4())}
    assert post(client, token_for(pat), body).status_code == 201
    assert post(client, token_for(other), body).status_code == 201
    assert CheckIn.objects.count() == 2


def test_list_own_checkins_with_window(client, pat, token_for):
    headers = token_for(pat)
    for day in (1, 2, 3):
        assert post(client, headers, {**MINIMAL, "recorded_at": f"2026-03-0{day}T20:00:00Z"}).status_code == 201
    r = client.get(URL, {"since": "2026-03-02T00:00:00Z", "until": "2026-03-03T20:00:00Z"}, headers=headers)
    assert r.status_code == 200
    assert [e["recorded_at"][:10] for e in r.json()] == ["2026-03-02"]
    r = client.get(URL, headers=headers)
    assert [e["recorded_at"][:10] for e in r.json()] == ["2026-03-03", "2026-03-02", "2026-03-01"]


def test_clinicians_cannot_post_checkins_as_themselves(client, cara, token_for):
    r = post(client, token_for(cara), MINIMAL)
    assert r.status_code == 404
    assert CheckIn.objects.count() == 0
