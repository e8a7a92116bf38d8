"""The dose log: slots, corrections, idempotent replay, as-needed doses, adherence by hand."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from painmind.accounts.audit import Actor
from painmind.accounts.models import AuditEvent
from painmind.lib.errors import ActionError
from painmind.meds.actions import DoseConflict, do_add_regimen, do_log_dose, do_record_side_effect
from painmind.meds.models import DoseLog, Regimen, SideEffect
from painmind.meds.summary import as_needed_per_day, weekly_adherence

TWICE = {
    "name": "Sertraline",
    "dose": "50",
    "dose_unit": "mg",
    "schedule": "times_a_day",
    "times_per_day": 2,
    "reason": "mood",
}
PRN = {"name": "Tramadol", "dose": "50", "dose_unit": "mg", "schedule": "as_needed", "max_per_day": 4, "reason": "pain"}


def web(user):
    return Actor(user=user, via="web")


def test_replay_with_the_same_client_id_stores_one_tick(pat):
    regimen = do_add_regimen(web(pat), pat, TWICE)
    key = uuid.uuid4()
    first, created = do_log_dose(web(pat), regimen, status="taken", slot=1, client_id=key)
    again, created_again = do_log_dose(web(pat), regimen, status="taken", slot=1, client_id=str(key))
    assert (created, created_again, again.pk) == (True, False, first.pk)
    assert DoseLog.objects.count() == 1
    with pytest.raises(DoseConflict):
        do_log_dose(web(pat), regimen, status="skipped", slot=1, client_id=key)
    assert DoseLog.objects.get().status == "taken"


def test_a_new_tick_on_a_ticked_slot_corrects_it(pat):
    regimen = do_add_regimen(web(pat), pat, TWICE)
    do_log_dose(web(pat), regimen, status="taken", slot=2, client_id=uuid.uuid4())
    do_log_dose(web(pat), regimen, status="skipped", slot=2, client_id=uuid.uuid4())
    assert list(DoseLog.objects.values_list("slot", "status")) == [(2, "skipped")]


def test_bad_ticks_name_the_field(pat):
    regimen = do_add_regimen(web(pat), pat, TWICE)
    prn = do_add_regimen(web(pat), pat, PRN)
    today = timezone.localdate(timezone=pat.tzinfo)
    cases: list[tuple[Regimen, dict[str, Any], str]] = [
        (regimen, {"status": "taken", "slot": 3}, "slot"),
        (regimen, {"status": "extra"}, "status"),
        (prn, {"status": "taken", "slot": 1}, "status"),
        (regimen, {"status": "taken", "slot": 1, "taken_on": today + timedelta(days=1)}, "taken_on"),
        (regimen, {"status": "eaten", "slot": 1}, "status"),
        (regimen, {"status": "taken", "slot": 1, "client_id": "nope"}, "client_id"),
    ]
    for target, kwargs, field in cases:
        with pytest.raises(ActionError) as caught:
            do_log_dose(web(pat), target, **kwargs)
        assert list(caught.value.errors) == [field], kwargs
    assert not DoseLog.objects.exists()


def test_as_needed_doses_are_counted_per_day(pat):
    prn = do_add_regimen(web(pat), pat, {**PRN, "started_on": "2026-01-01"})
    today = timezone.localdate(timezone=pat.tzinfo)
    for _ in range(3):
        do_log_dose(web(pat), prn, status="extra", client_id=uuid.uuid4())
    do_log_dose(web(pat), prn, status="extra", taken_on=today - timedelta(days=2))
    rows = as_needed_per_day(prn, DoseLog.objects.all(), today=today, days=3)
    assert rows == [(today - timedelta(days=2), 1), (today - timedelta(days=1), 0), (today, 3)]


def test_weekly_adherence_by_hand(pat):
    # Wednesday 2026-12-02 … Sunday 12-06 (today): 5 days × 2 = 10 scheduled; 6 taken, 1 skipped.
    regimen = Regimen(
        pk=99,
        patient=pat,
        name="x",
        dose=1,
        dose_unit="mg",
        schedule="times_a_day",
        times_per_day=2,
        reason="mood",
        started_on=date(2026, 12, 2),
    )
    ticks = [
        DoseLog(regimen_id=99, taken_on=date(2026, 12, d), slot=s, status="taken") for d in (2, 3, 4) for s in (1, 2)
    ]
    ticks.append(DoseLog(regimen_id=99, taken_on=date(2026, 12, 5), slot=1, status="skipped"))
    weeks = weekly_adherence(regimen, ticks, today=date(2026, 12, 6), weeks=2)
    assert [(w.week_start, w.scheduled, w.taken, w.skipped, w.not_recorded, w.percent) for w in weeks] == [
        (date(2026, 11, 23), 0, 0, 0, 0, None),
        (date(2026, 11, 30), 10, 6, 1, 3, 60),
    ]


def test_side_effect_with_medicine_replays_and_audits_the_clinician(pat, cara):
    regimen = do_add_regimen(web(pat), pat, TWICE)
    key = uuid.uuid4()
    data = {"kind": "nausea", "severity": 6, "regimen": regimen.pk}
    first, created = do_record_side_effect(web(cara), pat, data, client_id=key)
    again, created_again = do_record_side_effect(web(cara), pat, data, client_id=key)
    assert (created, created_again, again.pk) == (True, False, first.pk)
    assert SideEffect.objects.get().regimen == regimen
    assert AuditEvent.objects.filter(object_type="side_effect", actor=cara).count() == 1


def test_side_effect_errors(pat):
    with pytest.raises(ActionError) as caught:
        do_record_side_effect(web(pat), pat, {"kind": "other", "severity": 11, "regimen": 12345})
    assert set(caught.value.errors) == {"text", "severity"}
    with pytest.raises(ActionError) as caught:
        do_record_side_effect(web(pat), pat, {"kind": "nausea", "severity": 0, "regimen": 12345})
    assert list(caught.value.errors) == ["regimen"]
    assert not SideEffect.objects.exists()
