"""The self-management pages without JavaScript: the thought-record form and history, sharing,
pacing plans and their sessions, the saved-check-in offer after a hard day, the clinician view."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from painmind.accounts.audit import Actor
from painmind.accounts.models import AuditEvent
from painmind.diary.actions import do_record_checkin
from painmind.selfcare.actions import do_create_pacing_plan, do_log_pacing_session
from painmind.selfcare.models import PacingPlan, ThoughtRecord

SHORT = {
    "form": "five",
    "situation": "Pain woke me at 4",
    "emotion_0": "Anxious",
    "before_0": "80",
    "after_0": "60",
    "thought_0": "It's getting worse",
    "belief_0": "90",
    "hot": "0",
    "balanced_thought": "Nights like this have passed before",
    "balanced_belief": "50",
    "distortions": ["magnification"],
    "facets": ["rumination"],
}


def test_short_thought_record_saves_and_shows_the_change(client, pat):
    client.force_login(pat)
    page = client.get("/me/tools/thought-records/new/?form=five")
    assert page.status_code == 200
    assert "What doesn't fit it?" not in page.content.decode()  # no evidence columns in 5
    r = client.post("/me/tools/thought-records/new/", SHORT, follow=True)
    assert r.redirect_chain[-1][0] == "/me/tools/thought-records/"
    html = r.content.decode()
    assert "80 → 60 (-20)" in html
    assert "Magnification or minimization: 1" in html
    record = ThoughtRecord.objects.get()
    assert record.form == "five"
    assert record.emotions == [{"name": "Anxious", "before": 80, "after": 60}]


def test_bad_thought_record_shows_the_field_and_stores_nothing(client, pat):
    client.force_login(pat)
    r = client.post("/me/tools/thought-records/new/", {**SHORT, "before_0": "150", "situation": ""})
    assert r.status_code == 400
    html = r.content.decode()
    assert "Nothing was saved" in html
    assert "Strength must be a whole number from 0 to 100" in html
    assert 'id="err_situation"' in html
    assert ThoughtRecord.objects.count() == 0


def test_sharing_form_and_the_clinician_page(client, pat, cara, olga):
    client.force_login(pat)
    client.post("/me/tools/thought-records/new/", SHORT)
    client.force_login(cara)
    page = client.get(f"/clinician/patients/{pat.pk}/tools/").content.decode()
    assert "Not shared by the patient." in page
    assert "Pain woke me at 4" not in page
    client.force_login(pat)
    client.post("/me/tools/", {"thought_records": "on", "pacing": "on"})
    client.force_login(cara)
    page = client.get(f"/clinician/patients/{pat.pk}/tools/").content.decode()
    assert "Pain woke me at 4" in page
    assert AuditEvent.objects.filter(patient=pat, actor=cara, object_type="thought_record_list").count() == 1
    client.force_login(olga)
    assert client.get(f"/clinician/patients/{pat.pk}/tools/").status_code == 404


def test_pacing_plan_page_quota_sessions_and_explanation(client, pat):
    client.force_login(pat)
    today = timezone.localdate(timezone=pat.tzinfo)
    r = client.post(
        "/me/tools/pacing/",
        {
            "activity": "Walking",
            "unit": "minutes",
            "baseline": "20",
            "goal": "30",
            "step_percent": "10",
            "sessions_per_week": "7",
            "start_on": today.isoformat(),
        },
        follow=True,
    )
    html = r.content.decode()
    assert "This week's quota:</strong> 16 minutes" in html
    assert "by the clock, not by the pain" in html
    plan = PacingPlan.objects.get()
    r = client.post(f"/me/tools/pacing/{plan.pk}/", {"done": "16", "pain_before": "3", "pain_after": "4"}, follow=True)
    assert "3 → 4" in r.content.decode()
    bad = client.post(f"/me/tools/pacing/{plan.pk}/", {"done": "lots"})
    assert bad.status_code == 400
    assert "Done must be a number" in bad.content.decode()


def test_bad_plan_form_names_the_field(client, pat):
    client.force_login(pat)
    r = client.post(
        "/me/tools/pacing/",
        {
            "activity": "Walking",
            "unit": "minutes",
            "baseline": "20",
            "goal": "10",
            "step_percent": "10",
            "sessions_per_week": "7",
        },
    )
    assert r.status_code == 400
    assert "Goal must be above the start quota (16.0" in r.content.decode()
    assert PacingPlan.objects.count() == 0


def test_held_week_and_boom_and_bust_notes(client, pat):
    actor = Actor(user=pat, via="web")
    today = timezone.localdate(timezone=pat.tzinfo)
    plan = do_create_pacing_plan(
        actor,
        {
            "activity": "Walking",
            "unit": "minutes",
            "baseline": 20,
            "goal": 30,
            "step_percent": 10,
            "start_on": today - timedelta(days=8),
        },
    )
    do_log_pacing_session(actor, plan.pk, {"done": 16, "on": today - timedelta(days=8)})  # 1 of 7: held
    # 20 days of 30 active minutes at pain 4, then 90 minutes, then pain 7 and 5 minutes.
    now = timezone.now()
    for k in range(22, 2, -1):
        do_record_checkin(
            actor, pat, {"pain": 4, "mood": 6, "activity_minutes": 30}, recorded_at=now - timedelta(days=k)
        )
    do_record_checkin(actor, pat, {"pain": 4, "mood": 6, "activity_minutes": 90}, recorded_at=now - timedelta(days=2))
    do_record_checkin(actor, pat, {"pain": 7, "mood": 4, "activity_minutes": 5}, recorded_at=now - timedelta(days=1))
    client.force_login(pat)
    html = client.get(f"/me/tools/pacing/{plan.pk}/").content.decode()
    assert "The plan held its quota once" in html
    assert "This week's quota:</strong> 16 minutes" in html  # held: week 2 repeats 16
    assert "well above your usual 30" in html


def test_saved_checkin_offers_a_thought_record_after_a_hard_day_only(client, pat):
    actor = Actor(user=pat, via="web")
    now = timezone.now()
    for k in range(10, 0, -1):
        do_record_checkin(actor, pat, {"pain": 4, "mood": 6}, recorded_at=now - timedelta(days=k))
    client.force_login(pat)
    r = client.post("/me/", {"pain": "5", "mood": "5"}, follow=True)
    assert "Check-in saved" in r.content.decode()
    assert "A harder day than usual" not in r.content.decode()
    r = client.post("/me/", {"pain": "6", "mood": "6"}, follow=True)  # 6 ≥ 4 + 2
    html = r.content.decode()
    assert "A harder day than usual" in html
    assert "/me/tools/thought-records/new/?form=five" in html
    assert "A harder day than usual" not in client.get("/me/").content.decode()  # offered once


def test_clinician_patient_page_links_to_the_shared_tools(client, pat, cara):
    client.force_login(cara)
    html = client.get(f"/clinician/patients/{pat.pk}/").content.decode()
    assert f"/clinician/patients/{pat.pk}/tools/" in html
