"""A critical R5b alert whose combination is gone stays open for a clinician's note (project
rule, docs/safety.md) and says since when the combination is no longer present — on the alert
and in the clinician's medicines section — so it is closed knowingly; if the combination
returns, the alert reads as raised again."""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from painmind.accounts.audit import Actor
from painmind.meds.actions import do_add_regimen
from painmind.meds.models import Regimen
from painmind.safety.models import Alert

PHENELZINE = {"name": "Phenelzine", "dose": "15", "dose_unit": "mg", "schedule": "times_a_day", "times_per_day": 3,
              "reason": "mood"}  # fmt: skip
TRAMADOL = {"name": "Tramadol", "dose": "50", "dose_unit": "mg", "schedule": "as_needed", "max_per_day": 4,
            "reason": "pain"}  # fmt: skip


def test_an_open_r5b_alert_says_since_when_its_combination_is_gone(client, pat, cara):
    me = Actor(user=pat, via="web")
    today = timezone.localdate(timezone=pat.tzinfo)
    maoi = do_add_regimen(me, pat, {**PHENELZINE, "started_on": str(today - timedelta(days=40))})
    do_add_regimen(me, pat, TRAMADOL)
    alert = Alert.objects.open().get(key="R5b_maoi_contraindicated")
    raised_title = alert.title
    assert "no longer present" not in raised_title

    # Stopped 20 days ago: outside the 14-day window (§2.5 R5b), so the combination is gone.
    Regimen.objects.filter(pk=maoi.pk).update(stopped_on=today - timedelta(days=20))
    call_command("alerts", stdout=io.StringIO())
    alert.refresh_from_db()
    since = f"{today.day} {today:%b %Y}"
    assert (alert.resolved_at, alert.acknowledged_at) == (None, None)  # still waits for a note
    assert alert.title == f"{raised_title} · no longer present since {since}"
    assert alert.data["absent_since"] == today.isoformat()

    # Another pass changes nothing: the first day it was found gone stands.
    call_command("alerts", stdout=io.StringIO())
    alert.refresh_from_db()
    assert alert.title.count("no longer present") == 1

    client.force_login(cara)
    alerts_page = client.get("/clinician/alerts/").content.decode()
    assert f"no longer present since {since}" in alerts_page
    page = client.get(f"/clinician/patients/{pat.pk}/").content.decode()
    assert "R5b_maoi_contraindicated</strong> alert still open: the combination is no longer present" in page
    assert f"(since {today.day} {today:%b %Y})" in page

    # The combination is back (phenelzine restarted): the alert reads as raised again.
    do_add_regimen(me, pat, PHENELZINE)
    alert.refresh_from_db()
    assert (alert.title, "absent_since" in alert.data) == (raised_title, False)
    assert Alert.objects.open().filter(key="R5b_maoi_contraindicated").count() == 1
    page = client.get(f"/clinician/patients/{pat.pk}/").content.decode()
    assert "alert still open: the combination is no longer present" not in page


def test_the_clinicians_note_closes_it(client, pat, cara):
    me = Actor(user=pat, via="web")
    today = timezone.localdate(timezone=pat.tzinfo)
    maoi = do_add_regimen(me, pat, {**PHENELZINE, "started_on": str(today - timedelta(days=40))})
    do_add_regimen(me, pat, TRAMADOL)
    Regimen.objects.filter(pk=maoi.pk).update(stopped_on=today - timedelta(days=20))
    call_command("alerts", stdout=io.StringIO())
    alert = Alert.objects.open().get(key="R5b_maoi_contraindicated")
    client.force_login(cara)
    r = client.post(f"/clinician/alerts/{alert.pk}/acknowledge/", {"note": "Phenelzine stopped; reviewed."})
    assert r.status_code in (200, 302)
    alert.refresh_from_db()
    assert alert.acknowledged_at is not None
    page = client.get(f"/clinician/patients/{pat.pk}/").content.decode()
    assert "alert still open" not in page
