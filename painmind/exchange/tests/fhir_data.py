"""A patient with every kind of data the FHIR Bundle carries (shared by the FHIR tests)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from painmind.accounts.audit import Actor
from painmind.careplan.actions import do_create_goal, do_create_intervention
from painmind.diary.actions import do_record_checkin, do_record_response
from painmind.meds.actions import do_add_regimen

T0 = datetime(2025, 1, 15, 9, 30, tzinfo=UTC)
# Item 9 = 1: positive (clinical-reference §5, "any value ≥ 1").
PHQ9_ITEM9_POSITIVE = [1, 0, 2, 0, 3, 0, 1, 0, 1]
OXY = {
    "name": "Oxycodone",
    "dose": "10",
    "dose_unit": "mg",
    "schedule": "times_a_day",
    "times_per_day": 2,
    "reason": "pain",
}


def fill(patient: Any, clinician: Any | None = None) -> None:
    me = Actor(user=patient, via="web")
    do_record_response(me, patient, "phq9", [0, 1, 1, 0, 1, 0, 0, 0, 0], completed_at=T0)
    do_record_response(me, patient, "gad7", [1, 1, 1, 1, 1, 1, 1], completed_at=T0.replace(hour=10))
    do_record_response(me, patient, "peg", [6, 5, 4], completed_at=T0.replace(hour=11))
    do_record_checkin(
        me, patient, {"pain": 6, "mood": 4, "sleep_hours": 6.5, "anxiety": 3}, recorded_at=T0.replace(hour=20)
    )
    do_record_checkin(me, patient, {"pain": 5, "mood": 5, "activity_minutes": 30}, recorded_at=T0.replace(day=16))
    do_add_regimen(me, patient, OXY)
    do_create_goal(me, patient.pk, {"description": "PEG at most 4", "measure": "peg", "comparator": "le", "target": 4})
    do_create_goal(me, patient.pk, {"description": "Sleep better"})
    if clinician is not None:
        do_create_intervention(
            Actor(user=clinician, via="web"), patient.pk, {"strategy": "cbt", "title": "CBT for pain"}
        )
