"""Questionnaire responses over the API: server-side scoring, idempotency, change, alerts."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from painmind.accounts.models import AuditEvent
from painmind.diary.models import QuestionnaireResponse
from painmind.safety.models import Alert

URL = "/api/v1/responses"


def submit(client, headers, instrument, answers, **extra):
    body = {"instrument": instrument, "answers": answers, **extra}
    return client.post(URL, body, content_type="application/json", headers=headers)


def ago(days):
    return (timezone.now() - timedelta(days=days)).isoformat()


def test_phq9_is_scored_on_the_server_and_a_client_score_is_refused(client, pat, token_for):
    # A client-sent score is an unknown field: refused (422, each named), nothing stored.
    r = submit(client, token_for(pat), "phq9", [1, 1, 1, 1, 1, 1, 1, 1, 0], total=0, band="none")
    assert r.status_code == 422, r.content
    assert {e["field"] for e in r.json()["errors"]} == {"total", "band"}
    assert not QuestionnaireResponse.objects.exists()
    # 1+1+1+1+1+1+1+1+0 = 8: mild (5-9), clinical-reference §1.1.
    r = submit(client, token_for(pat), "phq9", [1, 1, 1, 1, 1, 1, 1, 1, 0])
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["total"] == 8
    assert body["band"]["label"] == "mild"
    assert body["prorated"] is False
    assert body["safety"]["item9"] == "negative"
    assert body["crisis"] is None
    stored = QuestionnaireResponse.objects.get()
    assert (stored.total, stored.band, stored.entered_by) == (8, "mild", pat)
    assert Alert.objects.count() == 0


@pytest.mark.parametrize(
    ("answers", "total", "band"),
    [
        ([3, 3, 3, 2, 2, 2, 2, 2, 0], 19, "moderately_severe"),
        ([3, 3, 3, 3, 2, 2, 2, 2, 0], 20, "severe"),
    ],
)
def test_severe_band_raises_one_warning_alert(client, pat, cara, token_for, answers, total, band):
    headers = token_for(pat)
    r = submit(client, headers, "phq9", answers)
    assert (r.json()["total"], r.json()["band"]["label"]) == (total, band)
    expected = 1 if band == "severe" else 0
    assert Alert.objects.filter(kind="severe_band", severity="warning").count() == expected
    submit(client, headers, "phq9", answers)  # still severe: the open alert is not raised twice
    assert Alert.objects.filter(kind="severe_band").count() == expected


def test_gad7_severe_at_15(client, pat, token_for):
    headers = token_for(pat)
    submit(client, headers, "gad7", [2, 2, 2, 2, 2, 2, 2])  # 14: moderate
    assert Alert.objects.count() == 0
    r = submit(client, headers, "gad7", [3, 2, 2, 2, 2, 2, 2])  # 15: severe, §1.3
    assert r.json()["band"]["label"] == "severe"
    assert Alert.objects.filter(kind="severe_band").count() == 1


def test_reliable_worsening_is_computed_against_the_previous_response(client, pat, token_for):
    headers = token_for(pat)
    submit(client, headers, "phq9", [1, 1, 0, 0, 0, 0, 0, 0, 0], completed_at=ago(20))  # 2
    # 2 -> 8 is +6: under the PHQ-9 reliable-change threshold 1.96*sqrt(2)*2.5 = 6.93 (§3).
    r = submit(client, headers, "phq9", [1, 1, 1, 1, 1, 1, 1, 1, 0], completed_at=ago(10))
    assert r.json()["change"]["reliable"] == "no_reliable_change"
    assert r.json()["change"]["delta"] == 6
    assert Alert.objects.filter(kind="reliable_worsening").count() == 0
    # 8 -> 15 is +7 > 6.93: reliable worsening.
    r = submit(client, headers, "phq9", [2, 2, 2, 2, 2, 2, 2, 1, 0])
    assert r.json()["change"]["reliable"] == "reliable_worsening"
    assert Alert.objects.filter(kind="reliable_worsening", key="phq9").count() == 1


def test_replay_and_conflict(client, pat, token_for):
    headers = token_for(pat)
    key = str(uuid.uuid4())
    first = submit(client, headers, "gad7", [0, 1, 0, 1, 0, 1, 0], client_id=key)
    again = submit(client, headers, "gad7", [0, 1, 0, 1, 0, 1, 0], client_id=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    clash = submit(client, headers, "gad7", [3, 1, 0, 1, 0, 1, 0], client_id=key)
    assert clash.status_code == 409
    assert clash.json()["existing_id"] == first.json()["id"]
    assert QuestionnaireResponse.objects.count() == 1


@pytest.mark.parametrize(
    ("instrument", "answers", "field"),
    [
        ("phq9", [4, 0, 0, 0, 0, 0, 0, 0, 0], "answers."),
        ("phq9", [0, 0, 0], "answers"),
        ("phq9", [0, 0, 0, 0, 0, 0, 0, 0, -1], "answers."),
        ("peg", [11, 0, 0], "answers."),
        ("xyz", [0], "instrument"),
        ("pcs", [0] * 13, "instrument"),
    ],
)
def test_bad_responses_are_refused_with_the_field(client, pat, token_for, instrument, answers, field):
    r = submit(client, token_for(pat), instrument, answers)
    assert r.status_code == 422, r.content
    assert any(e["field"].startswith(field) for e in r.json()["errors"]), r.json()
    assert QuestionnaireResponse.objects.count() == 0


def test_prorated_phq9_is_flagged(client, pat, token_for):
    # Item 3 blank: 8 answered items sum to 8, mean 1 -> prorated total 9.0 (NHS rule, §1.1).
    r = submit(client, token_for(pat), "phq9", [1, 1, None, 1, 1, 1, 1, 1, 1])
    body = r.json()
    assert body["total"] == 9
    assert body["prorated"] is True
    assert body["status"] == "prorated"


def test_peg_is_the_mean_of_three(client, pat, token_for):
    r = submit(client, token_for(pat), "peg", [7, 5, 6])
    assert r.json()["total"] == 6.0  # (7 + 5 + 6) / 3, §1.5
    assert r.json()["band"] is None


def test_clinician_reads_and_enters_responses_with_consent_only(client, pat, cara, olga, token_for):
    submit(client, token_for(pat), "peg", [4, 4, 4])
    r = client.get(f"/api/v1/patients/{pat.pk}/responses", headers=token_for(cara))
    assert [x["total"] for x in r.json()] == [4.0]
    assert client.get(f"/api/v1/patients/{pat.pk}/responses", headers=token_for(olga)).status_code == 404
    body = {"instrument": "peg", "answers": [5, 5, 5]}
    r = client.post(
        f"/api/v1/patients/{pat.pk}/responses", body, content_type="application/json", headers=token_for(cara)
    )
    assert r.status_code == 201
    assert QuestionnaireResponse.objects.get(total=5.0).entered_by == cara
    assert AuditEvent.objects.filter(actor=cara, action="create", object_type="questionnaire_response").count() == 1
    r = client.post(
        f"/api/v1/patients/{pat.pk}/responses", body, content_type="application/json", headers=token_for(olga)
    )
    assert r.status_code == 404


def test_instruments_endpoint_lists_definitions_and_licensed_ones_as_unavailable(client, pat, token_for):
    r = client.get("/api/v1/instruments", headers=token_for(pat))
    by_id = {i["id"]: i for i in r.json()}
    assert {"phq9", "phq2", "gad7", "gad2", "phq4", "peg", "pcs", "pseq"} <= set(by_id)
    assert by_id["phq9"]["questionnaire"]["resourceType"] == "Questionnaire"
    assert by_id["pcs"]["available"] is False
    assert "licen" in by_id["pcs"]["unavailable_reason"].lower()
    assert by_id["pcs"]["questionnaire"] is None


def test_list_own_responses_filtered_by_instrument(client, pat, token_for):
    headers = token_for(pat)
    submit(client, headers, "peg", [1, 2, 3])
    submit(client, headers, "gad7", [0, 0, 0, 0, 0, 0, 0])
    r = client.get(f"{URL}?instrument=peg", headers=headers)
    assert [x["instrument"] for x in r.json()] == ["peg"]


def test_gad7_proration_is_a_site_setting(client, pat, token_for, settings):
    headers = token_for(pat)
    # Default (unverified project option, §1.3): one blank item is prorated: 6 over 6 items -> 7.0.
    r = submit(client, headers, "gad7", [1, 1, 1, 1, 1, 1, None])
    assert (r.json()["total"], r.json()["status"]) == (7.0, "prorated")
    settings.GAD7_PRORATE_MAX_MISSING = 0
    r = submit(client, headers, "gad7", [1, 1, 1, 1, 1, 1, None])
    assert (r.json()["total"], r.json()["status"]) == (None, "insufficient")
