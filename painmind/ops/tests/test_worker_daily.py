"""The worker runs the nightly cycle refresh (analyses and site priors) itself: no cron needed."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command

from painmind.accounts.audit import Actor
from painmind.diary.actions import do_import_checkins
from painmind.insights.models import CycleAnalysis


@pytest.mark.django_db(transaction=True)
def test_one_worker_round_refreshes_the_cycles_and_the_site_priors(pat, settings):
    settings.CYCLE_REFRESH_HOURS = 24
    start = datetime.now(UTC) - timedelta(days=30)
    rows = [(start + timedelta(days=i), {"pain": 3 + i % 4, "mood": 6 - i % 3}) for i in range(30)]
    do_import_checkins(Actor(user=pat, via="cli"), pat, rows)
    out = io.StringIO()
    call_command("worker", once=True, pass_minutes=0, stdout=out)
    text = out.getvalue()
    assert "Recomputed 1 cycle analysis." in text
    assert "Site priors: 0 findings" in text  # one patient is not a cohort (at least 20)
    assert CycleAnalysis.objects.filter(patient=pat).exists()
    settings.CYCLE_REFRESH_HOURS = 0  # off: the worker leaves it to cron
    again = io.StringIO()
    call_command("worker", once=True, pass_minutes=0, stdout=again)
    assert "Recomputed" not in again.getvalue()
