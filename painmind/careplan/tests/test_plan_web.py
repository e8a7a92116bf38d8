"""The care-plan pages: validation, who may change what, progress from stored data, history,
audit, stale edits and the summary partial."""

from __future__ import annotations

import html
import re
from datetime import datetime, time, timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from conftest import _user
from painmind.accounts.actions import do_grant_consent
from painmind.accounts.audit import Actor
from painmind.accounts.models import AuditEvent
from painmind.careplan.access import get_care_plan_for_user
from painmind.careplan.actions import do_create_goal, do_create_intervention, do_update_goal
from painmind.careplan.models import Goal, Intervention, PlanChange
from painmind.diary.actions import do_import_checkins, do_record_response


def text_of(response) -> str:
    """The page's visible text, whitespace collapsed (tags stripped, entities decoded)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def plan_url(patient):
    return f"/clinician/patients/{patient.pk}/plan/"


GOAL = {
    "description": "Less pain getting in the way",
    "strategy": "lifestyle",
    "measure": "peg",
    "comparator": "le",
    "target": "4",
    "target_on": "2027-03-01",
    "status": "active",
}


BAD_GOALS = [
    ({"target": "11"}, "target", "must be between 0 and 10 for PEG"),
    ({"measure": "phq9", "target": "28"}, "target", "must be between 0 and 27 for PHQ-9"),
    ({"target": "-1"}, "target", "must be between 0 and 10 for PEG"),
    ({"target": "4.25"}, "target", "may have at most one decimal place"),
    ({"target": "four"}, "target", "must be a number"),
    ({"measure": ""}, "measure", "choose a measure for this target"),
    ({"measure": "", "target": ""}, "measure", "choose a measure for this target"),
    ({"measure": "hba1c"}, "measure", "unknown measure 'hba1c'"),
    ({"comparator": ""}, "comparator", "is required with a measure"),
    ({"target": ""}, "target", "is required with a measure"),
    ({"description": "  "}, "description", "is required"),
    ({"description": "x" * 201}, "description", "must be at most 200 characters (it has 201)"),
    ({"target_on": "1 March"}, "target_on", "must be a date (YYYY-MM-DD)"),
    ({"status": "done"}, "status", "must be one of"),
    ({"measure": "sleep_hours", "target": "25"}, "target", "must be between 0 and 24 for Sleep last night"),
]


@pytest.mark.parametrize(("changes", "field", "message"), BAD_GOALS)
def test_bad_goal_gets_a_field_error_and_nothing_is_saved(client, pat, cara, changes, field, message):
    client.force_login(cara)
    r = client.post(f"{plan_url(pat)}goals/new/", {**GOAL, **changes})
    assert r.status_code == 400
    assert f"{field[:1].upper()}{field[1:]}: {message}" in text_of(r)
    assert Goal.objects.count() == 0
    assert PlanChange.objects.count() == 0
    assert not AuditEvent.objects.filter(object_type="goal").exists()


def test_goal_at_the_ends_of_the_range_is_accepted(client, pat, cara):
    client.force_login(cara)
    for target in ("0", "10"):
        assert client.post(f"{plan_url(pat)}goals/new/", {**GOAL, "target": target}).status_code == 302
    assert sorted(str(t) for t in Goal.objects.values_list("target", flat=True)) == ["0.0", "10.0"]


def test_goal_without_a_measure_needs_only_a_description(client, pat):
    client.force_login(pat)
    form = client.get("/me/plan/goals/new/")
    assert form.status_code == 200
    assert '<option value="phq9">PHQ-9 (0–27)</option>' in form.content.decode()
    assert '<option value="pain">Pain, daily check-in (0–10)</option>' in form.content.decode()
    r = client.post("/me/plan/goals/new/", {"description": "Walk the dog with my daughter", "status": "active"})
    assert r.status_code == 302
    assert r.headers["Location"] == "/me/plan/"
    goal = Goal.objects.get()
    assert (goal.measure, goal.comparator, goal.target, goal.created_by) == ("", "", None, pat)


def test_clinician_without_consent_gets_404_and_changes_nothing(client, pat, cara, olga):
    goal = do_create_goal(Actor(user=pat, via="web"), pat.pk, {"description": "Sleep better"})
    client.force_login(olga)
    assert client.get(plan_url(pat)).status_code == 404
    assert client.get(f"{plan_url(pat)}goals/{goal.pk}/").status_code == 404
    assert client.post(f"{plan_url(pat)}goals/new/", GOAL).status_code == 404
    assert (
        client.post(f"{plan_url(pat)}goals/{goal.pk}/", {**GOAL, "updated_at": goal.updated_at.isoformat()}).status_code
        == 404
    )
    body = {"strategy": "cbt", "title": "CBT for pain", "status": "planned"}
    assert client.post(f"{plan_url(pat)}interventions/new/", body).status_code == 404
    assert Goal.objects.get().description == "Sleep better"
    assert Intervention.objects.count() == 0
    assert not AuditEvent.objects.filter(actor=olga).exists()


def test_revoked_consent_ends_plan_access_at_the_next_request(client, pat, cara):
    client.force_login(cara)
    assert client.get(plan_url(pat)).status_code == 200
    consent = pat.consents_given.get(clinician=cara)
    client.force_login(pat)
    client.post(f"/me/sharing/{consent.pk}/revoke/")
    client.force_login(cara)
    assert client.get(plan_url(pat)).status_code == 404


def test_patient_edits_goals_but_not_interventions(client, pat, cara):
    do_create_intervention(Actor(user=cara, via="web"), pat.pk, {"strategy": "cbt", "title": "CBT for pain"})
    client.force_login(pat)
    r = client.post("/me/plan/goals/new/", GOAL)
    assert r.status_code == 302
    goal = Goal.objects.get()
    r = client.post(f"/me/plan/goals/{goal.pk}/", {**GOAL, "target": "5", "updated_at": goal.updated_at.isoformat()})
    assert r.status_code == 302
    goal.refresh_from_db()
    assert str(goal.target) == "5.0"
    # The clinician pages are not the patient's, even with their own id.
    item = Intervention.objects.get()
    assert client.get(f"{plan_url(pat)}interventions/new/").status_code == 404
    assert client.post(f"{plan_url(pat)}interventions/{item.pk}/", {"title": "mine"}).status_code == 404
    item.refresh_from_db()
    assert item.title == "CBT for pain"
    page = text_of(client.get("/me/plan/"))
    assert "CBT for pain" in page
    assert "Add an intervention" not in page
    assert "Add a goal" in page
    # The patient's own writes are not audit events (no one else read or wrote their data).
    assert not AuditEvent.objects.filter(actor=pat).exists()


def test_patient_nav_links_to_my_care_plan(client, pat):
    client.force_login(pat)
    r = client.get("/me/plan/")
    assert r.status_code == 200
    assert 'href="/me/plan/">My care plan</a>' in r.content.decode()
    assert "<h1>My care plan</h1>" in r.content.decode()


def second_clinician(pat):
    dan = _user("dan@example.org", "clinician", discipline="pain_medicine", display_name="Dr Dan Ode")
    do_grant_consent(Actor(user=pat, via="web"), dan.email)
    return dan


def test_owner_defaults_to_the_editor_and_must_be_a_consenting_clinician(client, pat, cara, olga):
    dan = second_clinician(pat)
    client.force_login(cara)
    body = {"strategy": "medication", "title": "Review analgesia", "review_on": "2027-02-01", "status": "active"}
    r = client.post(f"{plan_url(pat)}interventions/new/", {**body, "owner": str(olga.pk)})
    assert r.status_code == 400
    assert "Owner must be a clinician this patient shares their data with" in text_of(r)
    assert Intervention.objects.count() == 0
    assert client.post(f"{plan_url(pat)}interventions/new/", {**body, "owner": ""}).status_code == 302
    mine = Intervention.objects.get()
    assert (mine.owner, mine.owner_discipline, mine.created_by) == (cara, "psychology", cara)
    assert client.post(f"{plan_url(pat)}interventions/new/", {**body, "owner": str(dan.pk)}).status_code == 302
    dans = Intervention.objects.exclude(pk=mine.pk).get()
    assert (dans.owner, dans.owner_discipline) == (dan, "pain_medicine")
    # The form offers exactly the consenting clinicians.
    form = client.get(f"{plan_url(pat)}interventions/new/").content.decode()
    assert f'<option value="{cara.pk}" selected>Dr Cara Lee (Psychology)</option>' in form
    assert f'<option value="{dan.pk}">Dr Dan Ode (Pain medicine)</option>' in form
    assert f'value="{olga.pk}"' not in form


def test_intervention_needs_a_strategy_and_a_title(client, pat, cara):
    client.force_login(cara)
    r = client.post(f"{plan_url(pat)}interventions/new/", {"strategy": "yoga", "title": ""})
    assert r.status_code == 400
    page = text_of(r)
    assert "Strategy must be one of: multidisciplinary, cbt, medication, lifestyle" in page
    assert "Title is required" in page
    assert Intervention.objects.count() == 0


def test_history_records_each_field_with_readable_old_and_new_values_and_the_actor(client, pat, cara):
    client.force_login(cara)
    client.post(f"{plan_url(pat)}goals/new/", {**GOAL, "target": "5"})
    goal = Goal.objects.get()
    r = client.post(
        f"{plan_url(pat)}goals/{goal.pk}/",
        {**GOAL, "target": "4", "status": "achieved", "updated_at": goal.updated_at.isoformat()},
    )
    assert r.status_code == 302
    created, updated = PlanChange.objects.order_by("at", "id")
    assert (created.action, created.object_type, created.object_id) == ("create", "goal", goal.pk)
    assert {c["label"]: c["new"] for c in created.changes} == {
        "Description": "Less pain getting in the way",
        "Strategy": "Lifestyle",
        "Measure": "PEG",
        "Target": "≤ 5",
        "Target date": "1 Mar 2027",
        "Status": "Active",
    }
    assert updated.action == "update"
    assert updated.changes == [
        {"field": "target", "label": "Target", "old": "≤ 5", "new": "≤ 4"},
        {"field": "status", "label": "Status", "old": "Active", "new": "Achieved"},
    ]
    assert (updated.actor, updated.actor_label, updated.actor_role, updated.actor_discipline) == (
        cara,
        "Dr Cara Lee",
        "clinician",
        "psychology",
    )
    # The patient sees it on their page, newest first.
    client.force_login(pat)
    page = text_of(client.get("/me/plan/"))
    history = page.split("History", 1)[1]
    changed = history.index("Dr Cara Lee (clinician, Psychology) changed goal “Less pain getting in the way”")
    added = history.index("Dr Cara Lee (clinician, Psychology) added goal “Less pain getting in the way”")
    assert changed < added
    assert "Target: ≤ 5 → ≤ 4" in history
    assert "Status: Active → Achieved" in history
    # A change shows its old → new values; what an item said when added is one tap away.
    html = client.get("/me/plan/").content.decode()
    changed_entry, added_entry = html.split("changed goal", 1)[1].split("added goal", 1)
    assert "<details" not in changed_entry
    assert '<details class="small added"><summary>What it said when added</summary>' in added_entry


def test_intervention_history_names_owner_and_dates(client, pat, cara):
    dan = second_clinician(pat)
    actor = Actor(user=cara, via="web")
    item = do_create_intervention(
        actor, pat.pk, {"strategy": "cbt", "title": "CBT for pain", "review_on": "2027-02-01"}
    )
    client.force_login(cara)
    r = client.post(
        f"{plan_url(pat)}interventions/{item.pk}/",
        {
            "strategy": "cbt",
            "title": "CBT for pain",
            "detail": "",
            "owner": str(dan.pk),
            "review_on": "2027-02-15",
            "status": "active",
            "updated_at": item.updated_at.isoformat(),
        },
    )
    assert r.status_code == 302
    change = PlanChange.objects.filter(action="update").get()
    assert change.changes == [
        {"field": "owner", "label": "Owner", "old": "Dr Cara Lee (Psychology)", "new": "Dr Dan Ode (Pain medicine)"},
        {"field": "review_date", "label": "Review date", "old": "1 Feb 2027", "new": "15 Feb 2027"},
        {"field": "status", "label": "Status", "old": "Planned", "new": "Active"},
    ]
    item.refresh_from_db()
    assert (item.owner, item.owner_discipline) == (dan, "pain_medicine")


def test_saving_an_unchanged_goal_writes_nothing(client, pat, cara):
    goal = do_create_goal(Actor(user=cara, via="web"), pat.pk, GOAL)
    client.force_login(cara)
    before = PlanChange.objects.count()
    r = client.post(f"{plan_url(pat)}goals/{goal.pk}/", {**GOAL, "updated_at": goal.updated_at.isoformat()})
    assert r.status_code == 302
    assert PlanChange.objects.count() == before
    assert not AuditEvent.objects.filter(object_type="goal", action="update").exists()


def test_clinician_reads_and_writes_are_audited(client, pat, cara):
    client.force_login(cara)
    assert client.get(plan_url(pat)).status_code == 200
    client.post(f"{plan_url(pat)}goals/new/", GOAL)
    goal = Goal.objects.get()
    assert client.get(f"{plan_url(pat)}goals/{goal.pk}/").status_code == 200
    client.post(f"{plan_url(pat)}goals/{goal.pk}/", {**GOAL, "target": "3", "updated_at": goal.updated_at.isoformat()})
    client.post(f"{plan_url(pat)}interventions/new/", {"strategy": "lifestyle", "title": "Graded walking"})
    events = list(
        AuditEvent.objects.filter(actor=cara, patient=pat)
        .exclude(object_type="patient_list")
        .order_by("at", "id")
        .values_list("action", "object_type", "object_id", "via")
    )
    item = Intervention.objects.get()
    assert events == [
        ("view", "care_plan", "", "web"),
        ("create", "goal", str(goal.pk), "web"),
        ("view", "goal", str(goal.pk), "web"),
        ("update", "goal", str(goal.pk), "web"),
        ("create", "intervention", str(item.pk), "web"),
    ]
    assert AuditEvent.objects.get(action="update").detail == "changed target"


def test_stale_edit_is_refused_naming_who_changed_it(client, pat, cara):
    goal = do_create_goal(Actor(user=cara, via="web"), pat.pk, GOAL)
    client.force_login(cara)
    form = client.get(f"{plan_url(pat)}goals/{goal.pk}/").content.decode()
    found = re.search(r'name="updated_at" value="([^"]+)"', form)
    assert found is not None
    opened_at = found.group(1)
    # Meanwhile the patient changes the target.
    do_update_goal(Actor(user=pat, via="web"), pat.pk, goal.pk, {"target": "3"}, expected_updated_at=opened_at)
    r = client.post(f"{plan_url(pat)}goals/{goal.pk}/", {**GOAL, "status": "stopped", "updated_at": opened_at})
    assert r.status_code == 400
    assert "This goal was changed by Pat Example since you opened it" in text_of(r)
    assert "Nothing was saved" in text_of(r)
    goal.refresh_from_db()
    assert (str(goal.target), goal.status) == ("3.0", "active")
    assert PlanChange.objects.filter(action="update").count() == 1


def test_stale_intervention_edit_is_refused(client, pat, cara):
    dan = second_clinician(pat)
    item = do_create_intervention(Actor(user=cara, via="web"), pat.pk, {"strategy": "cbt", "title": "CBT"})
    opened_at = item.updated_at.isoformat()
    client.force_login(dan)
    body = {"strategy": "cbt", "title": "CBT, 8 sessions", "status": "active", "owner": str(cara.pk)}
    assert client.post(f"{plan_url(pat)}interventions/{item.pk}/", {**body, "updated_at": opened_at}).status_code == 302
    client.force_login(cara)
    r = client.post(f"{plan_url(pat)}interventions/{item.pk}/", {**body, "title": "CBT, 6", "updated_at": opened_at})
    assert r.status_code == 400
    assert "This intervention was changed by Dr Dan Ode since you opened it" in text_of(r)
    item.refresh_from_db()
    assert item.title == "CBT, 8 sessions"


def local_noon(patient, days_ago):
    day = timezone.localdate(timezone=patient.tzinfo) - timedelta(days=days_ago)
    return datetime.combine(day, time(12, 0), tzinfo=patient.tzinfo)


def test_instrument_goal_progress_from_stored_responses(client, pat, cara):
    actor = Actor(user=pat, via="api")
    # PHQ-9 16 (2 x 8 items) 20 days ago, then the goal, then 11 (2+2+2+1+1+1+1+1+0) today.
    do_record_response(actor, pat, "phq9", [2, 2, 2, 2, 2, 2, 2, 2, 0], completed_at=local_noon(pat, 20))
    goal = do_create_goal(
        Actor(user=cara, via="web"),
        pat.pk,
        {"description": "Mood lifts", "measure": "phq9", "comparator": "lt", "target": "10"},
    )
    do_record_response(actor, pat, "phq9", [2, 2, 2, 1, 1, 1, 1, 1, 0])
    # (16 - 11) / (16 - 10) = 5/6 = 83 %.
    client.force_login(cara)
    page = text_of(client.get(plan_url(pat)))
    assert "PHQ-9 11 now, target < 10: 83 % of the way from 16" in page
    assert 'value="83"' in client.get(plan_url(pat)).content.decode()
    plan = get_care_plan_for_user(Actor(user=pat, via="web"))
    (view,) = plan.goals
    assert view.goal == goal
    assert view.progress is not None
    assert (view.progress.baseline, view.progress.current, view.progress.met) == (16.0, 11.0, False)


def test_checkin_goal_progress_from_stored_check_ins(client, pat, cara):
    # Days 14-8 before the goal: pain 8 except day 10 with two check-ins, 6 and 8 (mean 7):
    # (6 x 8 + 7) / 7 = 55/7 = 7.86. Goal set 7 days ago; days 7-1: 5,5,4,4,4,3,3 -> 28/7 = 4.0.
    # Target ≤ 3: (55/7 - 4) / (55/7 - 3) = (27/7) / (34/7) = 27/34 = 0.794 -> 79 %.
    rows = [(local_noon(pat, d), {"pain": 8, "mood": 5}) for d in (14, 13, 12, 11, 9, 8)]
    rows += [
        (local_noon(pat, 10), {"pain": 6, "mood": 5}),
        (local_noon(pat, 10) + timedelta(hours=6), {"pain": 8, "mood": 5}),
    ]
    rows += [
        (local_noon(pat, d), {"pain": p, "mood": 5})
        for d, p in zip(range(7, 0, -1), (5, 5, 4, 4, 4, 3, 3), strict=True)
    ]
    do_import_checkins(Actor(user=pat, via="cli"), pat, rows)
    goal = do_create_goal(
        Actor(user=pat, via="web"),
        pat.pk,
        {"description": "Pain down", "measure": "pain", "comparator": "le", "target": "3"},
    )
    Goal.objects.filter(pk=goal.pk).update(created_at=local_noon(pat, 7))  # arrange: the goal is a week old
    client.force_login(pat)
    page = text_of(client.get("/me/plan/"))
    assert "Pain 4 now, target ≤ 3: 79 % of the way from 7.9" in page


def test_goal_with_a_measure_but_no_data_says_so(client, pat):
    do_create_goal(
        Actor(user=pat, via="web"),
        pat.pk,
        {"description": "Sleep", "measure": "sleep_hours", "comparator": "ge", "target": "7"},
    )
    client.force_login(pat)
    assert "Sleep last night: no data yet (target ≥ 7)" in text_of(client.get("/me/plan/"))


def test_overdue_review_is_highlighted_and_interventions_are_grouped_by_strategy(client, pat, cara):
    actor = Actor(user=cara, via="web")
    today = timezone.localdate(timezone=pat.tzinfo)
    do_create_intervention(
        actor, pat.pk, {"strategy": "lifestyle", "title": "Walking", "review_on": today - timedelta(days=1)}
    )
    do_create_intervention(actor, pat.pk, {"strategy": "cbt", "title": "CBT", "review_on": today + timedelta(days=3)})
    do_create_intervention(
        actor,
        pat.pk,
        {"strategy": "cbt", "title": "Old CBT", "review_on": today - timedelta(days=30), "status": "completed"},
    )
    client.force_login(cara)
    r = client.get(plan_url(pat))
    body = r.content.decode()
    assert body.count('class="due overdue"') == 1  # the completed one is not overdue
    page = text_of(r)
    overdue_day = (today - timedelta(days=1)).strftime("%-d %b %Y")
    assert f"Review overdue: {overdue_day}" in page
    # Strategies in their fixed order: CBT before lifestyle.
    assert page.index("Cognitive-behavioural therapy") < page.index("Lifestyle")
    assert f"Next review: {overdue_day}" in page
    assert "Owner: Dr Cara Lee (Psychology)" in page


def test_summary_partial_renders_the_plan(pat, cara):
    cara_actor = Actor(user=cara, via="web")
    today = timezone.localdate(timezone=pat.tzinfo)
    do_create_goal(cara_actor, pat.pk, {"description": "PEG down", "measure": "peg", "comparator": "le", "target": "4"})
    do_create_goal(cara_actor, pat.pk, {"description": "Old goal", "status": "stopped"})
    do_create_intervention(
        cara_actor, pat.pk, {"strategy": "medication", "title": "Taper", "review_on": today + timedelta(days=5)}
    )
    do_create_intervention(cara_actor, pat.pk, {"strategy": "cbt", "title": "Finished CBT", "status": "completed"})
    plan = get_care_plan_for_user(cara_actor, pat.pk, history=False)
    out = " ".join(
        html.unescape(re.sub(r"<[^>]+>", " ", render_to_string("careplan/_care_plan.html", {"plan": plan}))).split()
    )
    assert "PEG: no data yet (target ≤ 4)" in out
    assert "Old goal" not in out  # only active goals
    assert "Taper" in out
    assert "Finished CBT" not in out  # only open interventions
    assert f"Next review: {(today + timedelta(days=5)).strftime('%-d %b %Y')}" in out
    assert f'href="/clinician/patients/{pat.pk}/plan/"' in render_to_string("careplan/_care_plan.html", {"plan": plan})
    assert plan.history == []


def test_plan_change_is_append_only(pat, cara):
    do_create_goal(Actor(user=cara, via="web"), pat.pk, {"description": "Sleep better"})
    change = PlanChange.objects.get()
    change.actor_label = "someone else"
    with pytest.raises(PermissionError):
        change.save()
    with pytest.raises(PermissionError):
        change.delete()
    with pytest.raises(PermissionError):
        PlanChange.objects.filter(pk=change.pk).update(actor_label="x")
    with pytest.raises(PermissionError):
        PlanChange.objects.all().delete()
    assert PlanChange.objects.get().actor_label == "Dr Cara Lee"


def test_login_required(client, pat):
    r = client.get("/me/plan/")
    assert r.status_code == 302
    assert r.headers["Location"].startswith("/login/")


@pytest.mark.parametrize("form", ["goals", "interventions"])
def test_every_invalid_field_is_marked_and_tied_to_its_reason(client, pat, cara, form):
    client.force_login(cara)
    bad = {"description": "", "measure": "peg", "target": "99"} if form == "goals" else {"title": "", "strategy": "x"}
    r = client.post(f"/clinician/patients/{pat.pk}/plan/{form}/new/", {**bad, "status": "active"})
    assert r.status_code == 400
    html = r.content.decode()
    invalid = re.findall(r'name="(\w+)" id="id_\1"[^>]*aria-invalid="true" aria-describedby="err_\1"', html)
    expected = {"goals": {"description", "comparator", "target"}, "interventions": {"title", "strategy"}}[form]
    assert set(invalid) == expected
    for name in invalid:
        assert re.search(rf'<span class="error" id="err_{name}">\w', html)
