"""Care-plan interventions tied to a self-management tool (issue 13): the tie over the API and
the form, its checks (422 naming the field, nothing stored), and the usage line on every page
that shows the plan — counted by hand, "not shared" for a tool the patient keeps private."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from painmind.accounts.audit import Actor
from painmind.accounts.models import AuditEvent
from painmind.careplan.actions import do_create_intervention
from painmind.careplan.models import Intervention, PlanChange
from painmind.selfcare.actions import do_set_sharing
from painmind.selfcare.models import RelaxationSession, ThoughtRecord

pytestmark = pytest.mark.django_db

RELAX = {"strategy": "cbt", "title": "Slow breathing most days", "tool": "relaxation", "tool_per_week": 3}


def post(client, url, body, headers):
    return client.post(url, body, content_type="application/json", headers=headers)


def test_a_clinician_ties_an_intervention_to_a_tool(client, pat, cara, token_for):
    r = post(client, f"/api/v1/patients/{pat.pk}/plan/interventions", RELAX, token_for(cara))
    assert r.status_code == 201, r.content
    assert (r.json()["tool"], r.json()["tool_per_week"]) == ("relaxation", 3)
    item = Intervention.objects.get()
    assert (item.tool, item.tool_per_week) == ("relaxation", 3)
    change = PlanChange.objects.get()
    assert {"field": "tool", "label": "Tool", "old": "", "new": "Relaxation sessions"} in change.changes
    assert {"field": "tool_per_week", "label": "Uses a week", "old": "", "new": "3"} in change.changes
    # Untying (null clears, as for other text fields) drops the weekly count with it.
    url = f"/api/v1/patients/{pat.pk}/plan/interventions/{item.pk}"
    r = client.patch(url, {"tool": None, "tool_per_week": None}, content_type="application/json",
                     headers=token_for(cara))  # fmt: skip
    assert r.status_code == 200, r.content
    item.refresh_from_db()
    assert (item.tool, item.tool_per_week) == ("", None)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"strategy": "medication"}, "tool", "only a Cognitive-behavioural therapy or Lifestyle intervention"),
        ({"tool": "yoga"}, "tool", "must be one of: thought_records, pacing, relaxation, activities, lifestyle"),
        ({"tool_per_week": 0}, "tool_per_week", "must be between 1 and 21"),
        ({"tool_per_week": 22}, "tool_per_week", "must be between 1 and 21"),
        ({"tool_per_week": 2.5}, "tool_per_week", "Input should be a valid integer"),
        ({"tool": ""}, "tool_per_week", "needs a tool"),
    ],
)
def test_a_bad_tie_is_422_naming_the_field_and_nothing_is_stored(client, pat, cara, token_for, changes, field, message):
    r = post(client, f"/api/v1/patients/{pat.pk}/plan/interventions", {**RELAX, **changes}, token_for(cara))
    assert r.status_code == 422, r.content
    assert any(e["field"] == field and e["message"].startswith(message) for e in r.json()["errors"]), r.json()
    assert Intervention.objects.count() == 0
    assert PlanChange.objects.count() == 0


def test_the_form_ties_a_tool_and_names_a_bad_count(client, pat, cara):
    client.force_login(cara)
    url = f"/clinician/patients/{pat.pk}/plan/interventions/new/"
    assert 'name="tool"' in client.get(url).content.decode()
    form = {"strategy": "lifestyle", "title": "Log lifestyle", "status": "active", "tool": "lifestyle", "owner": ""}
    r = client.post(url, {**form, "tool_per_week": "many"})
    assert r.status_code == 400
    assert "Uses a week must be a whole number" in r.content.decode()
    assert Intervention.objects.count() == 0
    r = client.post(url, {**form, "tool_per_week": "5"})
    assert r.status_code == 302
    assert Intervention.objects.get().tool_per_week == 5


def _relaxation_days(pat, today):
    """Sessions today, on the Sunday before this week, 27 days ago (the window's first day) and
    28 days ago (outside): 3 in the last 28 days, 1 this week."""
    monday = today - timedelta(days=today.weekday())
    days = [today, monday - timedelta(days=1), today - timedelta(days=27), today - timedelta(days=28)]
    RelaxationSession.objects.bulk_create(
        RelaxationSession(patient=pat, local_on=d, kind="breathing", minutes=5) for d in days
    )


def _tie(pat, cara, **data):
    return do_create_intervention(Actor(user=cara, via="web"), pat.pk, {"title": "Tool", "status": "active", **data})


def test_the_usage_line_on_every_page_that_shows_the_plan(client, pat, cara, token_for):
    today = timezone.localdate(timezone=pat.tzinfo)
    _relaxation_days(pat, today)
    item = _tie(pat, cara, strategy="cbt", tool="relaxation", tool_per_week=3)
    expected = "3 relaxation sessions in the last 28 days; this week 1 of 3"
    client.force_login(cara)
    for url in (f"/clinician/patients/{pat.pk}/plan/", f"/clinician/patients/{pat.pk}/"):
        page = client.get(url).content.decode()
        assert f"Relaxation sessions, 3 a week: {expected}" in page, url
    body = client.get(f"/api/v1/patients/{pat.pk}/plan", headers=token_for(cara)).json()
    assert [i["tool_usage"] for i in body["interventions"] if i["id"] == item.pk] == [expected]
    # Every clinician read of the counts is in "who viewed my data".
    reads = AuditEvent.objects.filter(patient=pat, actor=cara, object_type="selfcare_usage", detail__startswith="care")
    assert reads.count() == 3  # plan page, patient page (its usage table is a separate event), API
    assert set(reads.values_list("detail", flat=True)) == {"care plan: relaxation"}
    client.force_login(pat)
    assert f"Relaxation sessions, 3 a week: {expected}" in client.get("/me/plan/").content.decode()
    assert not AuditEvent.objects.filter(
        actor=pat, object_type="selfcare_usage", detail__startswith="care plan"
    ).exists()


def test_a_private_tool_is_not_shared_and_never_counted_for_the_team(client, pat, cara, token_for):
    today = timezone.localdate(timezone=pat.tzinfo)
    for day in (today, today - timedelta(days=2)):
        ThoughtRecord.objects.create(patient=pat, local_on=day, situation="s", emotions=[], thoughts=[])
    item = _tie(pat, cara, strategy="cbt", tool="thought_records")
    client.force_login(cara)
    page = client.get(f"/clinician/patients/{pat.pk}/plan/").content.decode()
    assert "Thought records: not shared by the patient" in page
    assert "2 thought records" not in page
    body = client.get(f"/api/v1/patients/{pat.pk}/plan", headers=token_for(cara)).json()
    assert [i["tool_usage"] for i in body["interventions"] if i["id"] == item.pk] == ["not shared by the patient"]
    assert not AuditEvent.objects.filter(
        object_type="selfcare_usage", detail__startswith="care plan"
    ).exists()  # nothing was counted
    client.force_login(pat)  # the patient sees their own counts, and that the team does not
    mine = client.get("/me/plan/").content.decode()
    assert "2 thought records in the last 28 days; " in mine
    assert "your team does not see it" in mine
    do_set_sharing(Actor(user=pat, via="web"), "thought_records", True)
    client.force_login(cara)
    page = client.get(f"/clinician/patients/{pat.pk}/plan/").content.decode()
    assert "Thought records: 2 thought records in the last 28 days; " in page


def test_a_closed_intervention_shows_no_usage(client, pat, cara):
    _relaxation_days(pat, timezone.localdate(timezone=pat.tzinfo))
    _tie(pat, cara, strategy="cbt", tool="relaxation", status="completed")
    client.force_login(cara)
    page = client.get(f"/clinician/patients/{pat.pk}/plan/").content.decode()
    assert "Relaxation sessions" in page
    assert "in the last 28 days" not in page
    assert not AuditEvent.objects.filter(object_type="selfcare_usage", detail__startswith="care plan").exists()


def test_without_consent_the_plan_and_its_usage_are_404(client, pat, cara, olga, token_for):
    _relaxation_days(pat, timezone.localdate(timezone=pat.tzinfo))
    _tie(pat, cara, strategy="cbt", tool="relaxation")
    client.force_login(olga)
    assert client.get(f"/clinician/patients/{pat.pk}/plan/").status_code == 404
    assert client.get(f"/api/v1/patients/{pat.pk}/plan", headers=token_for(olga)).status_code == 404
    assert not AuditEvent.objects.filter(
        actor=olga, object_type="selfcare_usage", detail__startswith="care plan"
    ).exists()


def test_the_care_plan_knows_the_same_tools_as_the_app():
    # careplan stores keys from core.selfcare.tools; selfcare.models.Tool must name the same ones.
    from painmind.core.selfcare.tools import TOOL_LABELS
    from painmind.selfcare.models import Tool

    assert {t.value: str(t.label) for t in Tool} == TOOL_LABELS
