"""Alerts and crisis resources over JSON."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Router, Schema

from painmind.accounts.api import actor
from painmind.accounts.http import AuthedRequest
from painmind.lib.api import ErrorOut
from painmind.safety.access import get_alerts_for_user
from painmind.safety.actions import do_acknowledge_alert
from painmind.safety.crisis import resources_for
from painmind.safety.models import Alert

router = Router(tags=["alerts and crisis resources"])


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
    overdue: bool = Field(
        False,
        description="Open, critical, and nobody acknowledged it within the re-send interval after the "
        "care team was first told (PAINMIND_ALERT_RESEND_HOURS; PAINMIND_ACUTE_RESEND_HOURS after an acute screen).",
    )


def alert_out(alert: Alert) -> dict[str, Any]:
    return {
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
        # Annotated by `get_alerts_for_user` (`safety.notify.with_overdue`); an alert just acknowledged is not.
        "overdue": bool(getattr(alert, "overdue", False)),
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
