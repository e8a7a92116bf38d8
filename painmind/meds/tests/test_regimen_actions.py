"""Regimens through the actions: field errors, history with who changed what, audit for non-owners."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from painmind.accounts.audit import Actor
from painmind.accounts.models import AuditEvent
from painmind.lib.errors import ActionError
from painmind.meds.access import get_meds_patient, get_regimen_for_user
from painmind.meds.actions import do_add_regimen, do_stop_regimen, do_update_regimen
from painmind.meds.models import Regimen, RegimenChange

SERTRALINE = {
    "name": "Sertraline",
    "dose": "50",
    "dose_unit": "mg",
    "schedule": "times_a_day",
    "times_per_day": 1,
    "reason": "mood",
}


def web(user):
    return Actor(user=user, via="web")


def test_patient_adds_a_regimen_with_history_and_no_audit(pat):
    regimen = do_add_regimen(web(pat), pat, SERTRALINE)
    assert Regimen.objects.get().generic == "sertraline"
    assert regimen.started_on == timezone.localdate(timezone=pat.tzinfo)
    change = RegimenChange.objects.get()
    assert (change.action, change.actor, change.actor_label) == ("create", pat, "Pat Example")
    assert {"field": "dose", "old": "", "new": "50"} in change.changes
    assert not AuditEvent.objects.filter(object_type="regimen").exists()


def test_clinician_entry_is_audited_and_in_the_history(pat, cara):
    patient = get_meds_patient(web(cara), pat.pk)
    regimen = do_add_regimen(web(cara), patient, {**SERTRALINE, "prescriber": cara.pk})
    assert regimen.prescriber == cara
    do_update_regimen(web(cara), regimen, {"dose": "100"})
    changes = list(RegimenChange.objects.order_by("id").values_list("action", "actor_label", "changes"))
    assert changes[1] == ("update", "Dr Cara Lee", [{"field": "dose", "old": "50", "new": "100"}])
    audit = list(
        AuditEvent.objects.filter(object_type="regimen").order_by("id").values_list("actor", "patient", "action")
    )
    assert audit == [(cara.pk, pat.pk, "create"), (cara.pk, pat.pk, "update")]


def test_outsider_gets_404(pat, olga):
    regimen = do_add_regimen(web(pat), pat, SERTRALINE)
    with pytest.raises(Http404):
        get_meds_patient(web(olga), pat.pk)
    with pytest.raises(Http404):
        get_regimen_for_user(web(olga), regimen.pk)


def test_every_bad_field_is_named_and_nothing_is_written(pat):
    bad = {"name": "", "dose": "-5", "dose_unit": "ml", "schedule": "as_needed", "reason": "fun", "colour": "red"}
    with pytest.raises(ActionError) as caught:
        do_add_regimen(web(pat), pat, bad)
    assert set(caught.value.errors) == {"name", "dose", "dose_unit", "max_per_day", "reason", "colour"}
    assert not Regimen.objects.exists()
    assert not RegimenChange.objects.exists()


def test_schedule_fields_must_match_the_schedule(pat):
    with pytest.raises(ActionError) as caught:
        do_add_regimen(web(pat), pat, {**SERTRALINE, "every_hours": 8})
    assert caught.value.errors == {"every_hours": ["must be blank for the schedule 'times_a_day'"]}


def test_prescriber_must_be_on_the_team(pat, olga):
    with pytest.raises(ActionError) as caught:
        do_add_regimen(web(pat), pat, {**SERTRALINE, "prescriber": olga.pk})
    assert list(caught.value.errors) == ["prescriber"]
    regimen = do_add_regimen(web(pat), pat, {**SERTRALINE, "prescriber_name": "Dr Gee (GP)"})
    assert regimen.prescriber_name == "Dr Gee (GP)"


def test_an_update_that_changes_nothing_writes_nothing(pat):
    regimen = do_add_regimen(web(pat), pat, SERTRALINE)
    do_update_regimen(web(pat), regimen, {"dose": "50.000", "reason": "mood"})
    assert RegimenChange.objects.count() == 1


def test_stop_keeps_the_row_and_refuses_a_date_before_the_start(pat):
    today = timezone.localdate(timezone=pat.tzinfo)
    regimen = do_add_regimen(web(pat), pat, {**SERTRALINE, "started_on": str(today - timedelta(days=10))})
    with pytest.raises(ActionError) as caught:
        do_stop_regimen(web(pat), regimen, str(today - timedelta(days=11)))
    assert list(caught.value.errors) == ["stopped_on"]
    do_stop_regimen(web(pat), regimen)
    regimen.refresh_from_db()
    assert regimen.stopped_on == today
    assert RegimenChange.objects.filter(action="stop").get().changes == [
        {"field": "stopped_on", "old": "", "new": str(today)}
    ]
