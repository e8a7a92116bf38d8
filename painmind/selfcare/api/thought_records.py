"""Thought records (clinical-reference §9.1): the patient writes and reads their own; a
consenting clinician reads them only while shared (audited)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Router, Schema, Status

from painmind.accounts.api import actor
from painmind.accounts.http import AuthedRequest
from painmind.core.selfcare.thought_records import record_change
from painmind.lib.api import ErrorOut
from painmind.lib.schemas import In, Text
from painmind.selfcare.access import get_thought_records_for_user
from painmind.selfcare.actions import do_create_thought_record, do_rerate_thought_record
from painmind.selfcare.models import ThoughtRecord

router = Router(tags=["self-management"])


class EmotionIn(In):
    name: Text
    before: int = Field(description="Intensity 0–100 before the record.")
    after: int | None = Field(None, description="Re-rated 0–100 after (column 7); null until re-rated.")


class ThoughtIn(In):
    text: Text
    belief: int = Field(description="Belief 0–100 %.")
    hot: bool = False


class ThoughtRecordIn(In):
    form: Text = Field("seven", description="`seven` (all columns) or `five` (no evidence columns).")
    situation: Text
    emotions: list[EmotionIn]
    thoughts: list[ThoughtIn] = Field(description="Automatic thoughts; mark exactly one `hot` (one alone is).")
    evidence_for: Text = ""
    evidence_against: Text = ""
    balanced_thought: Text = ""
    balanced_belief: int | None = None
    distortions: list[Text] = Field(default_factory=list, description="Burns' distortion ids (docs/selfcare.md).")
    facets: list[Text] = Field(default_factory=list, description="rumination, magnification, helplessness.")


class RerateIn(In):
    after: list[int] = Field(description="One re-rating 0–100 per emotion, in the record's order.")


class ThoughtRecordOut(Schema):
    id: int
    patient_id: int
    created_at: datetime
    date: date
    form: str
    situation: str
    emotions: list[dict[str, Any]]
    thoughts: list[dict[str, Any]]
    evidence_for: str
    evidence_against: str
    balanced_thought: str
    balanced_belief: int | None
    distortions: list[str]
    facets: list[str]
    change: float | None = Field(description="Mean change of the re-rated emotions (after − before).")


def record_out(item: ThoughtRecord) -> dict[str, Any]:
    return {
        "id": item.pk,
        "patient_id": item.patient_id,
        "created_at": item.created_at,
        "date": item.local_on,
        "form": item.form,
        "situation": item.situation,
        "emotions": item.emotions,
        "thoughts": item.thoughts,
        "evidence_for": item.evidence_for,
        "evidence_against": item.evidence_against,
        "balanced_thought": item.balanced_thought,
        "balanced_belief": item.balanced_belief,
        "distortions": item.distortions,
        "facets": item.facets,
        "change": record_change(item.emotions),
    }


@router.post("/thought-records", response={201: ThoughtRecordOut, 404: ErrorOut, 422: ErrorOut})
def create_thought_record(request: AuthedRequest, payload: ThoughtRecordIn) -> Status[Any]:
    """Patients: store a thought record (7 or 5 columns)."""
    item = do_create_thought_record(actor(request), payload.model_dump())
    return Status(201, record_out(item))


@router.post("/thought-records/{record_id}/rerate", response={200: ThoughtRecordOut, 404: ErrorOut, 422: ErrorOut})
def rerate_thought_record(request: AuthedRequest, record_id: int, payload: RerateIn) -> dict[str, Any]:
    """Patients: re-rate a saved record's emotions (column 7), one rating per emotion."""
    return record_out(do_rerate_thought_record(actor(request), record_id, payload.after))


@router.get("/thought-records", response={200: list[ThoughtRecordOut], 404: ErrorOut})
def my_thought_records(request: AuthedRequest) -> list[dict[str, Any]]:
    """Patients: your thought records, newest first."""
    _, records = get_thought_records_for_user(actor(request))
    return [record_out(r) for r in records]


@router.get("/patients/{patient_id}/thought-records", response={200: list[ThoughtRecordOut], 404: ErrorOut})
def patient_thought_records(request: AuthedRequest, patient_id: int) -> list[dict[str, Any]]:
    """Clinicians with consent, while the patient shares thought records (else 404). Audited."""
    _, records = get_thought_records_for_user(actor(request), patient_id)
    return [record_out(r) for r in records]
