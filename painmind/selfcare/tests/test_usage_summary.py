"""The clinician's patient page: uses per tool in the last 28 days and the last use for every tool;
the pacing week and quota and relaxation's median change only for shared tools; links to the
shared records; one audited read."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from painmind.accounts.audit import Actor
from painmind.accounts.models import AuditEvent
from painmind.selfcare.actions import (
    do_create_pacing_plan,
    do_create_thought_record,
    do_log_pacing_session,
    do_log_relaxation_session,
    do_set_sharing,
)
from painmind.selfcare.models import RelaxationSession, ThoughtRecord

RECORD = {
    "form": "five",
    "situation": "Missed the bus",
    "emotions": [{"name": "Annoyed", "before": 70}],
    "thoughts": [{"text": "Typical", "belief": 60}],
}


def _relax(me, t0, t1):
    do_log_relaxation_session(
        me, {"kind": "breathing", "minutes": 5, "before": {"tension": t0}, "after": {"tension": t1}}
    )


def test_usage_summary_counts_every_tool_and_details_only_shared_ones(client, pat, cara):
    me = Actor(user=pat, via="web")
    today = timezone.localdate(timezone=pat.tzinfo)
    for _ in range(3):
        do_create_thought_record(me, RECORD)
    # One record 30 days ago: outside the 28-day window, but the last use is still today.
    old = ThoughtRecord.objects.order_by("pk")[0]
    ThoughtRecord.objects.filter(pk=old.pk).update(local_on=today - timedelta(days=30))
    # Baseline 20 min, 10 %: started 8 days ago → week 2, quota 18 if week 1 was met (4 of 7 days ≥ 16).
    plan = do_create_pacing_plan(
        me, {"activity": "Walking", "unit": "minutes", "baseline": 20, "step_percent": 10, "goal": 30,
             "start_on": today - timedelta(days=8)}
    )  # fmt: skip
    for back in (8, 7, 6, 5):
        do_log_pacing_session(me, plan.pk, {"done": 16, "on": today - timedelta(days=back)})
    for t0, t1 in ((7, 4), (6, 5), (8, 4)):  # changes −3, −1, −4: median −3
        _relax(me, t0, t1)
    client.force_login(cara)
    html = client.get(f"/clinician/patients/{pat.pk}/").content.decode()
    assert "Use in the last 28 days" in html
    # Thought records are private: usage yes (2 in the window), no link to them.
    assert "<td>2</td>" in html
    assert "not shared by the patient" in html
    assert f"/clinician/patients/{pat.pk}/tools/#tool-thought_records" not in html
    assert "Walking: week 2, quota 18 minutes" in html
    assert "<td>4</td>" in html  # four pacing sessions
    assert "tension -3 (median of 3)" in html
    assert f"/clinician/patients/{pat.pk}/tools/#tool-relaxation" in html
    assert AuditEvent.objects.filter(patient=pat, actor=cara, object_type="selfcare_usage").count() == 1
    # Once shared, the thought records are linked, and the records page shows them.
    do_set_sharing(me, "thought_records", True)
    html = client.get(f"/clinician/patients/{pat.pk}/").content.decode()
    assert f"/clinician/patients/{pat.pk}/tools/#tool-thought_records" in html
    tools = client.get(f"/clinician/patients/{pat.pk}/tools/").content.decode()
    assert "Missed the bus" in tools
    assert "Slow breathing" in tools
    assert RelaxationSession.objects.count() == 3
    assert AuditEvent.objects.filter(patient=pat, actor=cara, object_type="relaxation_session_list").count() == 1


def test_no_summary_without_consent(client, pat, olga):
    client.force_login(olga)
    assert client.get(f"/clinician/patients/{pat.pk}/").status_code == 404
    assert not AuditEvent.objects.filter(patient=pat, object_type="selfcare_usage").exists()
