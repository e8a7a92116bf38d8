"""A patient with one or more records of every kind, a clinician who read and wrote them, and a
second patient of the same clinician: what the own-data export and deletion tests start from."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import _user

SERTRALINE = {"name": "Sertraline", "dose": "50", "dose_unit": "mg", "schedule": "times_a_day", "times_per_day": 1}


@pytest.fixture
def sam(cara: Any) -> Any:
    """Another patient of cara's, with a check-in cara has read (their access log must survive)."""
    from painmind.accounts.actions import do_grant_consent
    from painmind.accounts.audit import Actor
    from painmind.diary.access import get_checkins_for_user
    from painmind.diary.actions import do_record_checkin

    user = _user("sam@example.org", "patient", display_name="Sam Other")
    do_grant_consent(Actor(user=user, via="web"), cara.email)
    do_record_checkin(Actor(user=user, via="web"), user, {"pain": 9, "mood": 1, "note": "sam's own note"})
    get_checkins_for_user(Actor(user=cara, via="web"), user.pk)
    return user


@pytest.fixture
def full_pat(pat: Any, cara: Any, sam: Any) -> Any:
    """pat with check-ins (one edited, one deleted), a PHQ-9, a medicine with a dose and a side
    effect (cara changed its dose), a care plan goal (renamed once) and an intervention (by cara),
    self-care records, an invitation, a share link, a token, and cara's reads in the access log.
    cara also added an intervention to sam's plan."""
    from painmind.accounts.actions import do_create_api_token, do_create_invite, do_create_share_link
    from painmind.accounts.audit import Actor
    from painmind.careplan.actions import do_create_goal, do_create_intervention, do_update_goal
    from painmind.diary.access import get_checkins_for_user
    from painmind.diary.actions import do_record_checkin, do_record_response
    from painmind.diary.actions.edits import do_delete_checkin, do_edit_checkin
    from painmind.meds.actions import do_add_regimen, do_log_dose, do_record_side_effect, do_update_regimen
    from painmind.selfcare.actions import (
        do_add_activity,
        do_create_pacing_plan,
        do_create_thought_record,
        do_log_pacing_session,
        do_log_relaxation_session,
    )

    me = Actor(user=pat, via="web")
    doc = Actor(user=cara, via="web")
    now = timezone.now()
    do_record_checkin(me, pat, {"pain": 6, "mood": 3, "note": "bad back"}, recorded_at=now - timedelta(days=1))
    do_record_checkin(me, pat, {"pain": 4, "mood": 5})
    # Recorded as pain 7, then corrected to 6 (so checkin_edits.csv has the 7), and a slip deleted.
    typo, _ = do_record_checkin(me, pat, {"pain": 7, "mood": 3}, recorded_at=now - timedelta(days=3))
    do_edit_checkin(me, typo, {"pain": 6})
    slip, _ = do_record_checkin(me, pat, {"pain": 9, "mood": 1}, recorded_at=now - timedelta(days=2))
    do_delete_checkin(me, slip)
    do_record_response(me, pat, "phq9", [1, 1, 1, 1, 1, 1, 1, 1, 0])
    regimen = do_add_regimen(doc, pat, {**SERTRALINE, "reason": "mood"})
    do_update_regimen(doc, regimen, {"dose": "100"})
    do_log_dose(me, regimen, status="taken", slot=1, client_id=None)
    do_record_side_effect(me, pat, {"kind": "drowsiness", "severity": 6})
    goal = do_create_goal(me, pat.pk, {"description": "Walk to the park and back"})
    do_update_goal(me, pat.pk, goal.pk, {"description": "Walk to the park"})
    do_create_intervention(doc, pat.pk, {"strategy": "cbt", "title": "CBT for pain"})
    do_create_intervention(doc, sam.pk, {"strategy": "cbt", "title": "Sam's CBT"})
    do_create_thought_record(me, {"form": "five", "situation": "Pain woke me at 4",
                                  "emotions": [{"name": "Anxious", "before": 80}],
                                  "thoughts": [{"text": "It's getting worse", "belief": 90}]})  # fmt: skip
    today = timezone.localdate(timezone=pat.tzinfo)
    plan = do_create_pacing_plan(me, {"activity": "Walking", "unit": "minutes", "baseline": 20, "step_percent": 10,
                                      "goal": 30, "start_on": today - timedelta(days=2)})  # fmt: skip
    do_log_pacing_session(me, plan.pk, {"done": 16, "on": today - timedelta(days=1)})
    do_log_relaxation_session(
        me, {"kind": "breathing", "minutes": 5, "before": {"tension": 7}, "after": {"tension": 4}}
    )
    do_add_activity(me, {"name": "Call Mum", "life_area": "relationships", "done_on": None, "planned_on": today})
    do_create_invite(me)
    do_create_share_link(me, label="GP", scopes=["checkins"], days=3)
    do_create_api_token(pat, name="phone")
    get_checkins_for_user(doc, pat.pk)
    return pat
