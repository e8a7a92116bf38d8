"""The care plan over JSON: own and patient routes, 404 without consent, 403 for a patient's
intervention write, 409 for a stale PATCH, the shared error shape."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from painmind.accounts.audit import Actor
from painmind.accounts.models import AuditEvent
from painmind.careplan.actions import do_create_goal, do_create_intervention
from painmind.careplan.models import Goal, Intervention, PlanChange
from painmind.diary.actions import do_record_response


def post(client, url, body, headers):
    return client.post(url, body, content_type="application/json", headers=headers)


def patch(client, url, body, headers):
    return client.patch(url, body, content_type="application/json", headers=headers)


GOAL = {"description": "PEG down", "measure": "peg", "comparator": "le", "target": 4, "target_date": "2027-03-01"}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"target": 10.5}, "target", "must be between 0 and 10 for PEG"),
        ({"target": 4.25}, "target", "may have at most one decimal place"),
        ({"target": "four"}, "target", "Input should be a valid number"),
        ({"target": True}, "target", "Input should be a valid number"),
        ({"target": 1e30}, "target", "must be between -100000 and 100000"),
        ({"measure": ""}, "measure", "choose a measure for this target, or clear the comparator and target"),
        (
            {"measure": "", "target": None},
            "measure",
            "choose a measure for this target, or clear the comparator and target",
        ),
        ({"measure": "hba1c"}, "measure", "unknown measure 'hba1c'"),
        ({"comparator": ""}, "comparator", "is required with a measure (<, ≤, ≥ or >)"),
        ({"comparator": "=="}, "comparator", "must be one of: lt, le, ge, gt (got '==')"),
        ({"target": None}, "target", "is required with a measure"),
        ({"description": ""}, "description", "is required"),
    ],
)
def test_bad_goal_is_422_with_the_field_and_nothing_is_saved(client, pat, cara, token_for, changes, field, message):
    r = post(client, f"/api/v1/patients/{pat.pk}/plan/goals", {**GOAL, **changes}, token_for(cara))
    assert r.status_code == 422, r.content
    body = r.json()
    assert body["detail"] == "Invalid input."
    assert {"field": field, "message": message} in body["errors"] or any(
        e["field"] == field and e["message"].startswith(message) for e in body["errors"]
    )
    assert Goal.objects.count() == 0
    assert PlanChange.objects.count() == 0


def test_patient_reads_and_writes_their_own_plan(client, pat, cara, token_for):
    headers = token_for(pat)
    r = post(client, "/api/v1/plan/goals", GOAL, headers)
    assert r.status_code == 201, r.content
    goal = r.json()
    assert (goal["measure"], goal["comparator"], goal["target"], goal["status"]) == ("peg", "le", 4.0, "active")
    r = patch(client, f"/api/v1/plan/goals/{goal['id']}", {"target": 3.5, "updated_at": goal["updated_at"]}, headers)
    assert r.status_code == 200, r.content
    assert r.json()["target"] == 3.5
    # The same through the patient route with their own id.
    r = patch(client, f"/api/v1/patients/{pat.pk}/plan/goals/{goal['id']}", {"status": "achieved"}, headers)
    assert r.json()["status"] == "achieved"
    plan = client.get("/api/v1/plan", headers=headers).json()
    assert plan["patient_id"] == pat.pk
    assert [g["description"] for g in plan["goals"]] == ["PEG down"]
    assert plan["goals"][0]["progress"]["text"] == "PEG: no data yet (target ≤ 3.5 by 1 Mar 2027)"
    assert [h["action"] for h in plan["history"]] == ["update", "update", "create"]
    assert plan["history"][1]["changes"] == [{"field": "target", "label": "Target", "old": "≤ 4", "new": "≤ 3.5"}]
    assert plan["history"][0]["actor_name"] == "Pat Example"
    assert not AuditEvent.objects.filter(actor=pat).exists()


def test_patient_may_not_change_interventions(client, pat, cara, token_for):
    item = do_create_intervention(Actor(user=cara, via="web"), pat.pk, {"strategy": "cbt", "title": "CBT"})
    headers = token_for(pat)
    r = post(client, f"/api/v1/patients/{pat.pk}/plan/interventions", {"strategy": "cbt", "title": "Mine"}, headers)
    assert r.status_code == 403
    assert r.json()["detail"].startswith("Interventions are changed by the care team")
    r = patch(client, f"/api/v1/patients/{pat.pk}/plan/interventions/{item.pk}", {"title": "Mine"}, headers)
    assert r.status_code == 403
    assert list(Intervention.objects.values_list("title", flat=True)) == ["CBT"]
    # But they see it.
    plan = client.get("/api/v1/plan", headers=headers).json()
    assert [(i["title"], i["owner_name"], i["owner_discipline"]) for i in plan["interventions"]] == [
        ("CBT", "Dr Cara Lee", "psychology")
    ]


def test_clinician_without_consent_gets_404_everywhere(client, pat, cara, olga, token_for):
    goal = do_create_goal(Actor(user=pat, via="web"), pat.pk, {"description": "Sleep"})
    item = do_create_intervention(Actor(user=cara, via="web"), pat.pk, {"strategy": "cbt", "title": "CBT"})
    headers = token_for(olga)
    base = f"/api/v1/patients/{pat.pk}/plan"
    responses = [
        client.get(base, headers=headers),
        post(client, f"{base}/goals", GOAL, headers),
        patch(client, f"{base}/goals/{goal.pk}", {"description": "x"}, headers),
        post(client, f"{base}/interventions", {"strategy": "cbt", "title": "x"}, headers),
        patch(client, f"{base}/interventions/{item.pk}", {"title": "x"}, headers),
        client.get("/api/v1/plan", headers=headers),  # a clinician has no own plan
    ]
    assert [r.status_code for r in responses] == [404] * 6
    assert responses[0].json() == {"detail": "Not found.", "errors": []}
    assert (Goal.objects.get().description, Intervention.objects.get().title) == ("Sleep", "CBT")
    assert not AuditEvent.objects.filter(actor=olga).exists()


def test_goal_of_another_patient_is_404(client, pat, cara, token_for):
    from conftest import _user

    other = _user("sam@example.org", "patient", display_name="Sam")
    goal = do_create_goal(Actor(user=other, via="web"), other.pk, {"description": "Sam's goal"})
    r = patch(client, f"/api/v1/patients/{pat.pk}/plan/goals/{goal.pk}", {"description": "x"}, token_for(cara))
    assert r.status_code == 404
    r = patch(client, f"/api/v1/plan/goals/{goal.pk}", {"description": "x"}, token_for(pat))
    assert r.status_code == 404
    assert Goal.objects.get().description == "Sam's goal"


def test_clinician_api_writes_are_audited_and_stale_patch_is_409(client, pat, cara, token_for):
    headers = token_for(cara)
    base = f"/api/v1/patients/{pat.pk}/plan"
    r = post(
        client,
        f"{base}/interventions",
        {"strategy": "lifestyle", "title": "Pacing", "review_date": "2027-02-01"},
        headers,
    )
    assert r.status_code == 201, r.content
    item = r.json()
    assert (item["owner_id"], item["owner_discipline"], item["status"]) == (cara.pk, "psychology", "planned")
    first = patch(
        client, f"{base}/interventions/{item['id']}", {"status": "active", "updated_at": item["updated_at"]}, headers
    )
    assert first.status_code == 200
    stale = patch(
        client, f"{base}/interventions/{item['id']}", {"status": "paused", "updated_at": item["updated_at"]}, headers
    )
    assert stale.status_code == 409
    err = stale.json()["errors"][0]
    assert err["field"] == "updated_at"
    assert err["message"].startswith("This intervention was changed by Dr Cara Lee since you opened it")
    assert Intervention.objects.get().status == "active"
    client.get(base, headers=headers)
    events = list(
        AuditEvent.objects.filter(actor=cara).order_by("at", "id").values_list("action", "object_type", "via")
    )
    assert events == [
        ("create", "intervention", "api"),
        ("update", "intervention", "api"),
        ("view", "care_plan", "api"),
    ]


def test_patch_owner_to_a_clinician_without_consent_is_refused(client, pat, cara, olga, token_for):
    item = do_create_intervention(Actor(user=cara, via="web"), pat.pk, {"strategy": "cbt", "title": "CBT"})
    r = patch(client, f"/api/v1/patients/{pat.pk}/plan/interventions/{item.pk}", {"owner_id": olga.pk}, token_for(cara))
    assert r.status_code == 422
    assert r.json()["errors"] == [
        {"field": "owner", "message": "must be a clinician this patient shares their data with"}
    ]
    item.refresh_from_db()
    assert item.owner == cara


def test_plan_progress_over_the_api(client, pat, cara, token_for):
    actor = Actor(user=pat, via="api")
    now = timezone.now()
    # PEG is the mean of 3 items: (7+7+7)/3 = 7 before the goal; (5+6+5)/3 = 5.33 after.
    do_record_response(actor, pat, "peg", [7, 7, 7], completed_at=now - timedelta(days=10))
    post(client, f"/api/v1/patients/{pat.pk}/plan/goals", {**GOAL, "target_date": None}, token_for(cara))
    do_record_response(actor, pat, "peg", [5, 6, 5])
    progress = client.get("/api/v1/plan", headers=token_for(pat)).json()["goals"][0]["progress"]
    # (7 - 16/3) / (7 - 4) = (5/3) / 3 = 5/9 = 0.556 -> 56 %.
    assert progress["baseline"] == 7.0
    assert progress["current"] == pytest.approx(16 / 3)
    assert progress["fraction"] == pytest.approx(5 / 9)
    assert progress["met"] is False
    assert progress["days_left"] is None
    assert progress["text"] == "PEG 5.3 now, target ≤ 4: 56 % of the way from 7"
