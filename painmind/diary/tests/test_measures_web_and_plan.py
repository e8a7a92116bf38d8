"""Measurement plans (what is due), the questionnaire pages, history charts and `painmind score`."""

from __future__ import annotations

import io
import json
import re
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from painmind.accounts.audit import Actor
from painmind.accounts.models import AuditEvent
from painmind.diary.actions import do_record_response
from painmind.diary.models import MeasurementPlan


def plan(client, headers, patient_id=None):
    url = "/api/v1/measurement-plan" if patient_id is None else f"/api/v1/patients/{patient_id}/measurement-plan"
    return {row["instrument"]: row for row in client.get(url, headers=headers).json()}


def test_default_plan_asks_for_phq9_gad7_every_14_days_and_peg_every_7(client, pat, token_for):
    rows = plan(client, token_for(pat))
    assert {k: (v["interval_days"], v["active"], v["state"]) for k, v in rows.items() if v["active"]} == {
        "phq9": (14, True, "due"),
        "gad7": (14, True, "due"),
        "peg": (7, True, "due"),
    }
    assert rows["phq2"]["active"] is False
    assert "pcs" not in rows  # licensed wording not installed: not offered


def test_due_and_overdue_follow_the_last_completion(client, pat, token_for):
    now = timezone.now()
    do_record_response(Actor(user=pat, via="api"), pat, "peg", [3, 3, 3], completed_at=now - timedelta(days=9))
    do_record_response(Actor(user=pat, via="api"), pat, "phq9", [0] * 9, completed_at=now - timedelta(days=3))
    rows = plan(client, token_for(pat))
    assert (rows["peg"]["state"], rows["peg"]["days_overdue"]) == ("overdue", 2)  # due 7 days after: 2 days late
    assert rows["phq9"]["state"] == "upcoming"
    assert rows["phq9"]["due_on"] == str(timezone.localdate(timezone=pat.tzinfo) + timedelta(days=11))


def test_clinician_with_consent_changes_the_plan_audited(client, pat, cara, olga, token_for):
    body = {"instrument": "peg", "interval_days": 3}
    url = f"/api/v1/patients/{pat.pk}/measurement-plan"
    assert client.put(url, body, content_type="application/json", headers=token_for(olga)).status_code == 404
    assert client.put(url, body, content_type="application/json", headers=token_for(pat)).status_code == 404
    r = client.put(url, body, content_type="application/json", headers=token_for(cara))
    assert r.status_code == 200
    assert {row["instrument"]: row["interval_days"] for row in r.json()}["peg"] == 3
    assert MeasurementPlan.objects.get(patient=pat, instrument="peg").updated_by == cara
    assert AuditEvent.objects.filter(actor=cara, object_type="measurement_plan", action="update").count() == 1
    stop = {"instrument": "gad7", "interval_days": None}
    client.put(url, stop, content_type="application/json", headers=token_for(cara))
    assert plan(client, token_for(pat))["gad7"]["active"] is False


@pytest.mark.parametrize("interval", [0, 366])
def test_plan_interval_bounds(client, pat, cara, token_for, interval):
    r = client.put(
        f"/api/v1/patients/{pat.pk}/measurement-plan",
        {"instrument": "peg", "interval_days": interval},
        content_type="application/json",
        headers=token_for(cara),
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "interval_days"
    assert MeasurementPlan.objects.count() == 0


def test_clinician_plan_form_on_the_web(client, pat, cara):
    client.force_login(cara)
    r = client.post(f"/clinician/patients/{pat.pk}/measures/", {"instrument": "phq9", "interval_days": "28"})
    assert r.status_code == 302
    assert MeasurementPlan.objects.get(patient=pat, instrument="phq9").interval_days == 28


def test_patient_questionnaire_list_result_and_history(client, pat):
    client.force_login(pat)
    page = client.get("/me/measures/").content.decode()
    assert "Due today" in page
    # A PEG: (6 + 4 + 5) / 3 = 5.0.
    from painmind.core.instruments import get_instrument

    peg = get_instrument("peg")
    data = dict(zip([i.link_id for i in peg.scored_items], ["6", "4", "5"], strict=True))
    r = client.post("/me/measures/peg/", data)
    assert r.status_code == 302
    result = client.get(r["Location"]).content.decode()
    assert re.search(r'class="big">5<', result)
    history = client.get("/me/measures/peg/history/").content.decode()
    assert "<svg" in history
    assert 'aria-describedby="history-peg"' in history
    assert '<table class="history" id="history-peg"' in history


def test_patient_questionnaire_form_refuses_a_forged_value(client, pat):
    from painmind.core.instruments import get_instrument

    client.force_login(pat)
    phq = get_instrument("phq9")
    data = {i.link_id: "1" for i in phq.scored_items}
    data[phq.scored_items[0].link_id] = "7"
    r = client.post("/me/measures/phq9/", data)
    assert r.status_code == 400
    assert "not an allowed answer" in r.content.decode()


def test_clinician_sees_history_charts_with_consent_only(client, pat, cara, olga):
    do_record_response(Actor(user=pat, via="web"), pat, "phq9", [1] * 9)
    client.force_login(cara)
    page = client.get(f"/clinician/patients/{pat.pk}/measures/").content.decode()
    assert 'id="history-phq9"' in page
    client.force_login(olga)
    assert client.get(f"/clinician/patients/{pat.pk}/measures/").status_code == 404


def run_score(*args):
    out = io.StringIO()
    call_command("score", *args, stdout=out)
    return json.loads(out.getvalue())


def test_score_cli_prints_json():
    result = run_score("PHQ-9", "--answers", "2,1,0,1,3,0,0,1,1")
    # 2+1+0+1+3+0+0+1+1 = 9: mild; item 9 = 1 is positive (§1.1).
    assert result["total"] == 9
    assert result["band"]["label"] == "mild"
    assert result["safety"]["item9"] == "positive"
    prorated = run_score("phq9", "--answers", "3,3,3,3,3,3,3,3,-")
    assert (prorated["total"], prorated["prorated"], prorated["safety"]["item9"]) == (27, True, "unknown")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["phq9", "--answers", "2,1,x"], "value 3 ('x') is not a whole number"),
        (["phq9", "--answers", "4,0,0,0,0,0,0,0,0"], "4 is not an allowed answer"),
        (["nope", "--answers", "1"], "unknown instrument"),
    ],
)
def test_score_cli_rejects_bad_input(args, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        run_score(*args)
