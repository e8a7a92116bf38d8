"""Alerts and crisis resources over JSON."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Router, Schema, Status

from painmind.accounts.api import actor
from painmind.accounts.http import AuthedRequest
from painmind.lib.api import ErrorOut
from painmind.safety.access import get_alerts_for_user
from painmind.safety.actions import do_acknowledge_alert
from painmind.safety.crisis import resources_for
from painmind.safety.models import Alert
from painmind.safety.screening import do_record_screening, get_own_screening_alert, screening_for_response

router = Router(tags=["alerts and crisis resources"])


class AlertEntryOut(Schema):
    """One answer attached to an alert, newest first; `response_id` leads to its item-level answers."""

    title: str
    occurred_at: datetime
    response_id: int | None


class AlertOut(Schema):
    id: int
    patient_id: int
    kind: str
    severity: str
    title: str
    created_at: datetime
    open: bool
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    acknowledgement_note: str
    # True for a clinician who was told about this open critical alert but no longer has the
    # patient's consent: title, time and acknowledgement only.
    restricted: bool = False
    screen: str = ""
    entries: list[AlertEntryOut] = []


def alert_out(alert: Alert) -> dict[str, Any]:
    return {
        "restricted": alert.restricted,
        "screen": alert.screen,
        "entries": [
            {
                "title": e.title,
                "occurred_at": e.occurred_at,
                "response_id": int(e.source_id) if e.source_type == "questionnaire_response" else None,
            }
            for e in alert.entries.all()
        ],
        "id": alert.pk,
        "patient_id": alert.patient_id,
        "kind": alert.kind,
        "severity": alert.severity,
        "title": alert.title,
        "created_at": alert.created_at,
        "open": alert.is_open,
        "acknowledged_at": alert.acknowledged_at,
        "acknowledged_by": alert.acknowledged_by.email if alert.acknowledged_by else None,
        "acknowledgement_note": alert.acknowledgement_note,
    }


@router.get("/alerts", response={200: list[AlertOut], 404: ErrorOut})
def list_alerts(request: AuthedRequest, patient_id: int | None = None, status: str = "open") -> list[dict[str, Any]]:
    """Clinicians: alerts for patients who share with you, critical first (`status=all` includes closed)."""
    alerts = get_alerts_for_user(actor(request), patient_id=patient_id, open_only=status != "all")
    return [alert_out(a) for a in alerts]


class AcknowledgeIn(Schema):
    note: str = ""


@router.post("/alerts/{alert_id}/acknowledge", response={200: AlertOut, 404: ErrorOut, 422: ErrorOut})
def acknowledge(request: AuthedRequest, alert_id: int, payload: AcknowledgeIn) -> dict[str, Any]:
    """Clinicians with consent: acknowledge an open alert (a critical one needs a note). Audited."""
    return alert_out(do_acknowledge_alert(actor(request), alert_id, payload.note))


class FollowUpIn(Schema):
    """The ASQ answers, "1"…"5" → "yes" | "no" | "refused" (question 5 only after a positive
    screen: any yes or refusal on 1–4), or ``skip: true`` to record that the patient skipped it."""

    answers: dict[str, str | None] = {}
    skip: bool = False


class FollowUpOut(Schema):
    response_id: int
    alert_id: int
    result: str  # negative | non_acute | acute | skipped
    answers: dict[str, str]


@router.post(
    "/responses/{response_id}/follow-up", response={201: FollowUpOut, 200: FollowUpOut, 404: ErrorOut, 422: ErrorOut}
)
def follow_up(request: AuthedRequest, response_id: int, payload: FollowUpIn) -> Status[Any]:
    """Patients: the follow-up questions (ASQ, clinical-reference §1.8) after a PHQ-9 whose item 9
    was above 0 or blank; its result attaches to the self-harm alert. Answered once per response:
    a second call returns the first result (200)."""
    who = actor(request)
    alert = get_own_screening_alert(who, response_id)
    existing = screening_for_response(alert.patient_id, response_id)
    if existing is None:
        screening = do_record_screening(who, alert, response_id, None if payload.skip else payload.answers)
        status = 201
    else:
        screening, status = existing, 200
    body = {
        "response_id": response_id,
        "alert_id": screening.alert_id,
        "result": screening.result,
        "answers": screening.answers,
    }
    return Status(status, body)


class CrisisResourceOut(Schema):
    country: str
    service: str
    emergency: bool
    phone: str | None
    sms: str | None
    url: str | None
    hours: str | None
    note: str
    source: str
    last_verified: str


@router.get("/crisis-resources", response=list[CrisisResourceOut])
def crisis_resources(request: AuthedRequest, country: str | None = None) -> list[dict[str, Any]]:
    """Crisis services for a country (default: yours).

    With none configured for the country: other countries' helplines, never their emergency numbers."""
    resources, _ = resources_for((country or request.user.country).upper())
    return [r.to_dict() for r in resources]
