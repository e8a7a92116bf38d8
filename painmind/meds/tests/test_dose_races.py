"""Ticks that arrive at the same moment: two devices (two client_ids) ticking the same dose
never give a 500; the second is a correction (the latest answer stands), one row is stored."""

from __future__ import annotations

import uuid

import pytest

from painmind.accounts.audit import Actor
from painmind.meds.actions import do_add_regimen, do_log_dose
from painmind.meds.models import DoseLog
from tests.concurrency import run_at_once

TWICE = {"name": "Sertraline", "dose": "50", "dose_unit": "mg", "schedule": "times_a_day", "times_per_day": 2,
         "reason": "mood"}  # fmt: skip


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_different_client_ids_ticking_one_dose_at_once_store_one_tick(pat):
    regimen = do_add_regimen(Actor(user=pat, via="web"), pat, TWICE)
    n = 6
    statuses = ["taken", "skipped"] * (n // 2)

    def tick(status: str):
        def call() -> tuple[int, bool]:
            dose, created = do_log_dose(
                Actor(user=pat, via="api"), regimen, status=status, slot=1, client_id=uuid.uuid4()
            )
            return dose.pk, created

        return call

    outcomes = run_at_once(*[tick(s) for s in statuses])
    assert [o.error for o in outcomes] == [None] * n
    stored = DoseLog.objects.get()  # one row for the slot
    assert (stored.slot, stored.status in ("taken", "skipped")) == (1, True)
    assert {o.value[0] for o in outcomes} == {stored.pk}


@pytest.mark.django_db(transaction=True)
def test_through_the_api_the_second_device_gets_a_correction_not_a_500(client, pat, token_for):
    regimen = do_add_regimen(Actor(user=pat, via="web"), pat, TWICE)
    url = f"/api/v1/meds/regimens/{regimen.pk}/doses"
    headers = token_for(pat)

    def post(status: str):
        def call() -> int:
            from django.test import Client

            body = {"status": status, "slot": 2, "client_id": str(uuid.uuid4())}
            return Client().post(url, body, content_type="application/json", headers=headers).status_code

        return call

    outcomes = run_at_once(post("taken"), post("skipped"), post("taken"))
    assert [o.error for o in outcomes] == [None] * 3
    assert sorted(o.value for o in outcomes) == [201, 201, 201]
    assert DoseLog.objects.filter(slot=2).count() == 1
