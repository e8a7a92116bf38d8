"""Questionnaires over JSON: definitions, responses (scored on the server), measurement plans."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from django.http import Http404
from ninja import Field, Router, Schema, Status

from painmind.accounts.access import get_own_patient, get_patient_for_user
from painmind.accounts.api import actor
from painmind.accounts.audit import Actor
from painmind.accounts.http import AuthedRequest
from painmind.diary.access import PlanRow, get_measurement_plan_for_user, get_responses_for_user
from painmind.diary.actions import ResponseConflict, do_record_response, do_set_measurement_interval
from painmind.diary.api.conflicts import ConflictOut, conflict
from painmind.diary.instruments import site_instruments
from painmind.diary.models import QuestionnaireResponse
from painmind.lib.api import ErrorOut
from painmind.lib.schemas import AwareMoment, In, Text
from painmind.safety.crisis import crisis_context
from painmind.safety.screening import screener_offer

router = Router(tags=["questionnaires"])


class InstrumentOut(Schema):
    id: str
    title: str
    version: str
    available: bool
    unavailable_reason: str
    questionnaire: dict[str, Any] | None


@router.get("/instruments", response=list[InstrumentOut])
def list_instruments(request: AuthedRequest) -> list[dict[str, Any]]:
    """Every instrument as a FHIR Questionnaire; licensed ones without installed wording are unavailable."""
    return [
        {
            "id": i.id,
            "title": i.title,
            "version": i.version,
            "available": i.available,
            "unavailable_reason": i.unavailable_reason,
            "questionnaire": i.questionnaire() if i.available else None,
        }
        for i in site_instruments()
    ]


class ResponseIn(In):
    # Unknown keys are refused (In): a client-sent "total" or "band" never counts.
    instrument: Text = Field(description="e.g. phq9, gad7, peg")
    answers: list[int | None] | dict[Text, int | None] = Field(
        description="One value per item in order (null = left blank), or a map of linkId to value."
    )
    client_id: uuid.UUID | None = None
    completed_at: AwareMoment | None = None


class ResponseOut(Schema):
    id: int
    patient_id: int
    instrument: str
    version: str
    completed_at: datetime
    local_on: date
    answers: list[int | None]
    total: float | None
    band: dict[str, Any] | None
    status: str
    prorated: bool
    subscales: list[dict[str, Any]]
    flags: list[str]
    safety: dict[str, Any] | None
    change: dict[str, Any] | None
    crisis: dict[str, Any] | None = Field(None, description="Present when item 9 was positive or left blank.")
    follow_ups: list[dict[str, str]] = Field(
        default_factory=list,
        description="Questionnaires this screener result makes due at once: instrument, name, reason.",
    )


def response_out(response: QuestionnaireResponse, *, with_crisis: bool = False) -> dict[str, Any]:
    result = response.result
    crisis = crisis_context(response.patient, response.item9, response_id=response.pk) if with_crisis else None
    crisis_out = crisis.to_dict() if crisis else None
    if crisis_out is not None:
        # The ASQ follow-up questions, offered after the crisis resources (docs/safety.md).
        crisis_out["screener"] = screener_offer(crisis.alert if crisis else None, response.pk)
    return {
        "id": response.pk,
        "patient_id": response.patient_id,
        "instrument": response.instrument,
        "version": response.version,
        "completed_at": response.completed_at,
        "local_on": response.local_on,
        "answers": response.answers,
        "total": response.total,
        "band": result.get("band"),
        "status": response.status,
        "prorated": bool(result.get("prorated")),
        "subscales": result.get("subscales", []),
        "flags": result.get("flags", []),
        "safety": result.get("safety"),
        "change": response.change,
        "crisis": crisis_out,
        "follow_ups": response.follow_ups,
    }


def _record(who: Actor, patient_id: int | None, payload: ResponseIn) -> Status[Any]:
    patient = get_own_patient(who) if patient_id is None else get_patient_for_user(who, patient_id)
    try:
        response, created = do_record_response(
            who,
            patient,
            payload.instrument,
            payload.answers,
            client_id=payload.client_id,
            completed_at=payload.completed_at,
        )
    except ResponseConflict as exc:
        return conflict("response", exc.existing.pk)
    return Status(201 if created else 200, response_out(response, with_crisis=patient_id is None))


@router.post(
    "/responses", response={201: ResponseOut, 200: ResponseOut, 404: ErrorOut, 409: ConflictOut, 422: ErrorOut}
)
def create_response(request: AuthedRequest, payload: ResponseIn) -> Status[Any]:
    """Submit your answers. The server scores them; a client-sent score is not accepted.

    A PHQ-9 with item 9 above 0 or left blank returns `crisis` (services for your country) and
    alerts your care team."""
    return _record(actor(request), None, payload)


@router.post(
    "/patients/{patient_id}/responses", response={201: ResponseOut, 200: ResponseOut, 409: ConflictOut, 422: ErrorOut}
)
def create_patient_response(request: AuthedRequest, patient_id: int, payload: ResponseIn) -> Status[Any]:
    """Clinicians: enter a consenting patient's answers (e.g. completed on paper). Audited."""
    return _record(actor(request), patient_id, payload)


@router.get("/responses", response={200: list[ResponseOut], 404: ErrorOut})
def list_responses(request: AuthedRequest, instrument: Text | None = None) -> list[dict[str, Any]]:
    """Your responses, newest first."""
    _, responses = get_responses_for_user(actor(request), instrument=instrument)
    return [response_out(r) for r in responses]


@router.get("/patients/{patient_id}/responses", response={200: list[ResponseOut], 404: ErrorOut})
def patient_responses(request: AuthedRequest, patient_id: int, instrument: Text | None = None) -> list[dict[str, Any]]:
    """Clinicians: a consenting patient's responses (404 without active consent). Audited."""
    _, responses = get_responses_for_user(actor(request), patient_id, instrument=instrument)
    return [response_out(r) for r in responses]


class MeasurementPlanOut(Schema):
    instrument: str
    title: str
    interval_days: int
    active: bool
    state: str | None
    due_on: date | None
    days_overdue: int | None
    last_completed_on: date | None
    reason: str = Field(
        "", description="Why it is due before its interval says so, e.g. after a positive PHQ-2; empty otherwise."
    )


def plan_out(rows: list[PlanRow]) -> list[dict[str, Any]]:
    return [
        {
            "instrument": r.instrument.id,
            "title": r.instrument.title,
            "interval_days": r.interval_days,
            "active": r.active,
            "state": r.due.state if r.due else None,
            "due_on": r.due.due_on if r.due else None,
            "days_overdue": r.due.days_overdue if r.due else None,
            "last_completed_on": r.last.local_on if r.last else None,
            "reason": r.due.reason if r.due else "",
        }
        for r in rows
    ]


@router.get("/measurement-plan", response={200: list[MeasurementPlanOut], 404: ErrorOut})
def my_measurement_plan(request: AuthedRequest) -> list[dict[str, Any]]:
    """What you are asked to complete, and what is due or overdue."""
    return plan_out(get_measurement_plan_for_user(actor(request))[1])


@router.get("/patients/{patient_id}/measurement-plan", response={200: list[MeasurementPlanOut], 404: ErrorOut})
def patient_measurement_plan(request: AuthedRequest, patient_id: int) -> list[dict[str, Any]]:
    return plan_out(get_measurement_plan_for_user(actor(request), patient_id)[1])


class MeasurementPlanIn(In):
    instrument: Text
    interval_days: int | None = Field(description="Days between requests, 1–365; null stops asking.")


@router.put(
    "/patients/{patient_id}/measurement-plan", response={200: list[MeasurementPlanOut], 404: ErrorOut, 422: ErrorOut}
)
def set_patient_measurement_plan(
    request: AuthedRequest, patient_id: int, payload: MeasurementPlanIn
) -> list[dict[str, Any]]:
    """Clinicians with consent: change how often the patient is asked for an instrument. Audited."""
    who = actor(request)
    if not request.user.is_clinician:
        raise Http404("No such patient.")  # the plan is the care team's to set
    patient = get_patient_for_user(who, patient_id)
    do_set_measurement_interval(who, patient, payload.instrument, payload.interval_days)
    return plan_out(get_measurement_plan_for_user(who, patient_id)[1])
