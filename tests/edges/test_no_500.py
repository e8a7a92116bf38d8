"""Issue 14, "No 500 from any input": one regression test for each input that answered 500,
through the real HTTP stack and database (SQLite here; PostgreSQL with DATABASE_URL set).
Each bad input is refused with the field named (API: 422; web form: the page again with the
error), or 404 for an id no row can have, and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from painmind.accounts.models import Consent
from painmind.diary.models import CheckIn, QuestionnaireResponse

HUGE = 2**63  # one past the largest 64-bit id
END_OF_TIME = "9999-12-31T23:59:59-12:00"  # stored by PostgreSQL as year 10000


def fields(response: Any) -> set[str]:
    return {e["field"] for e in response.json()["errors"]}


def post(client: Any, url: str, body: Any, headers: dict[str, str] | None = None, method: str = "post") -> Any:
    return getattr(client, method)(url, body, content_type="application/json", headers=headers or {})


@pytest.mark.parametrize("when", [END_OF_TIME, "0001-01-01T00:00:00Z", "2101-01-01T00:00:00Z"])
def test_consent_expiry_outside_the_date_range_is_refused(client, pat, olga, token_for, when):
    r = post(client, "/api/v1/consents", {"clinician_email": olga.email, "expires_at": when}, token_for(pat))
    assert r.status_code == 422, r.content
    assert fields(r) == {"expires_at"}
    assert not Consent.objects.filter(clinician=olga).exists()


def test_consent_expiry_more_than_a_year_ahead_is_refused(client, pat, olga, token_for):
    from datetime import timedelta

    from django.utils import timezone

    headers = token_for(pat)
    too_far = (timezone.now() + timedelta(days=367)).isoformat()
    r = post(client, "/api/v1/consents", {"clinician_email": olga.email, "expires_at": too_far}, headers)
    assert r.status_code == 422, r.content
    assert fields(r) == {"expires_at"}
    in_a_year = (timezone.now() + timedelta(days=365)).isoformat()
    r = post(client, "/api/v1/consents", {"clinician_email": olga.email, "expires_at": in_a_year}, headers)
    assert r.status_code == 201, r.content
    # The grant is listed and revocable.
    assert client.get("/api/v1/consents", headers=headers).status_code == 200
    assert client.delete(f"/api/v1/consents/{r.json()['id']}", headers=headers).json()["active"] is False


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00+14:00"])
def test_checkin_dates_outside_the_range_are_refused(client, pat, token_for, when):
    r = post(client, "/api/v1/checkins", {"pain": 3, "mood": 5, "recorded_at": when}, token_for(pat))
    assert r.status_code == 422, r.content
    assert fields(r) == {"recorded_at"}
    assert CheckIn.objects.count() == 0


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"])
def test_checkin_list_window_outside_the_range_is_refused(client, pat, token_for, when):
    r = client.get("/api/v1/checkins", {"since": when}, headers=token_for(pat))
    assert r.status_code == 422, r.content
    assert fields(r) == {"since"}


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"])
def test_response_dates_outside_the_range_are_refused(client, pat, token_for, when):
    body = {"instrument": "gad7", "answers": [0] * 7, "completed_at": when}
    r = post(client, "/api/v1/responses", body, token_for(pat))
    assert r.status_code == 422, r.content
    assert fields(r) == {"completed_at"}
    assert QuestionnaireResponse.objects.count() == 0


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_access_log_filters_outside_the_range_are_refused(client, pat, token_for, day):
    for name in ("since", "until"):
        r = client.get("/api/v1/access-log", {name: day}, headers=token_for(pat))
        assert r.status_code == 422, r.content
        assert fields(r) == {name}
    client.force_login(pat)
    for name in ("since", "until"):
        r = client.get("/me/access-log/", {name: day})
        assert r.status_code == 400  # the page again, the error on the field
        assert "between the years 1900 and 2100" in r.content.decode()


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_sharing_form_date_outside_the_range_is_refused(client, pat, day):
    from painmind.accounts.models import Invite

    client.force_login(pat)
    r = client.post("/me/sharing/invites/", {"how": "code", "share_until": day})
    assert r.status_code == 400  # the page again, the error on the field
    assert "between the years 1900 and 2100" in r.content.decode()
    assert not Invite.objects.exists()


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("delete", f"/api/v1/consents/{HUGE}"),
        ("get", f"/api/v1/patients/{HUGE}/checkins"),
        ("delete", f"/api/v1/share-links/{HUGE}"),
        ("get", f"/api/v1/patients/{HUGE}/plan"),
        # schemathesis found these: a huge negative id cannot be bound by SQLite either
        ("get", f"/api/v1/patients/-{HUGE * 10}/pacing-plans/1"),
        ("get", f"/api/v1/pacing-plans/-{HUGE * 10}"),
        ("get", "/api/v1/patients/-1/checkins"),
    ],
)
def test_ids_beyond_64_bits_are_not_found(client, cara, pat, token_for, method, url):
    r = getattr(client, method)(url, headers=token_for(cara if "patients" in url else pat))
    assert r.status_code == 404, r.content
    assert r.json()["detail"]


def test_web_ids_beyond_64_bits_are_not_found(client, pat):
    client.force_login(pat)
    assert client.post(f"/me/sharing/{HUGE}/revoke/").status_code == 404
    assert client.post(f"/me/sharing/links/{HUGE}/revoke/").status_code == 404


def test_nul_in_the_token_endpoint_is_refused(client, pat):
    r = post(client, "/api/v1/auth/token", {"email": "pat@example.org\x00", "password": "x\x00"})
    assert r.status_code == 422, r.content
    assert fields(r) == {"email", "password"}


def test_nul_in_a_checkin_note_is_refused(client, pat, token_for):
    r = post(client, "/api/v1/checkins", {"pain": 3, "mood": 5, "note": "a\x00b", "tags": ["x\x07"]}, token_for(pat))
    assert r.status_code == 422, r.content
    assert fields(r) == {"note", "tags.0"}
    assert CheckIn.objects.count() == 0


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/api/v1/access-log", "who"),
        ("/api/v1/responses", "instrument"),
    ],  # the second found by schemathesis on PostgreSQL
)
def test_nul_in_a_query_is_refused(client, pat, token_for, url, name):
    r = client.get(url, {name: "a\x00"}, headers=token_for(pat))
    assert r.status_code == 422, r.content
    assert fields(r) == {name}


@pytest.mark.parametrize("target", [1e30, 10**40, -1e30])
def test_goal_targets_beyond_the_stored_digits_are_refused(client, pat, token_for, target):
    from painmind.careplan.models import Goal

    body = {"description": "Walk", "measure": "pain", "comparator": "le", "target": target}
    r = post(client, "/api/v1/plan/goals", body, token_for(pat))
    assert r.status_code == 422, r.content
    assert fields(r) == {"target"}
    assert not Goal.objects.exists()
