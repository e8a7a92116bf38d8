"""Alerts and crisis resources over JSON."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django_countries import countries
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import AuthenticationError

from painmind.accounts.api import BearerToken, actor
from painmind.accounts.http import AuthedRequest
from painmind.accounts.models import User
from painmind.lib.api import ErrorOut
from painmind.lib.errors import ActionError
from painmind.lib.schemas import In, Text
from painmind.safety.access import get_alerts_for_user
from painmind.safety.actions import do_acknowledge_alert
from painmind.safety.crisis import crisis_help
from painmind.safety.filters import STATUSES, parse_alert_filters
from painmind.safety.models import Alert, AlertKind, Severity
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
    overdue: bool = Field(
        False,
        description="Open, critical, and nobody acknowledged it within the re-send interval after the "
        "care team was first told (PAINMIND_ALERT_RESEND_HOURS; PAINMIND_ACUTE_RESEND_HOURS after an acute screen).",
    )


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
        # Annotated by `get_alerts_for_user` (`safety.notify.with_overdue`); an alert just acknowledged is not.
        "overdue": bool(getattr(alert, "overdue", False)),
    }


class AlertQuery(Schema):
    """The web alert list's filters (`safety.filters`), checked by the same function."""

    status: Text = Field("open", description=f"One of {', '.join(STATUSES)}: open alerts, the closed history, or both.")
    severity: Text = Field("", description=f"One of {', '.join(Severity.values)}; empty: every severity.")
    kind: Text = Field("", description=f"One of {', '.join(AlertKind.values)}; empty: every kind.")
    patient_id: int | None = Field(None, description="One patient who shares with you (404 for anyone else).")


@router.get("/alerts", response={200: list[AlertOut], 404: ErrorOut, 422: ErrorOut})
def list_alerts(request: AuthedRequest, q: Query[AlertQuery]) -> list[dict[str, Any]]:
    """Clinicians: alerts for patients who share with you, filtered as on the web alert list.

    Open alerts most urgent first (acute screen, critical, newest), then (`status=closed` or
    `all`) closed ones most recently closed first, at most 200 (`safety.filters.HISTORY_LIMIT`).
    A bad filter is a 422 naming the field; it changes nothing."""
    filters, errors = parse_alert_filters({"status": q.status, "severity": q.severity, "kind": q.kind})
    if errors:
        raise ActionError(errors)
    alerts = get_alerts_for_user(actor(request), filters=replace(filters, patient_id=q.patient_id))
    return [alert_out(a) for a in alerts]


class AcknowledgeIn(In):
    note: Text = ""


@router.post("/alerts/{alert_id}/acknowledge", response={200: AlertOut, 404: ErrorOut, 422: ErrorOut})
def acknowledge(request: AuthedRequest, alert_id: int, payload: AcknowledgeIn) -> dict[str, Any]:
    """Clinicians with consent: acknowledge an open alert (a critical one needs a note). Audited."""
    return alert_out(do_acknowledge_alert(actor(request), alert_id, payload.note))


class FollowUpIn(In):
    """The ASQ answers, "1"…"5" → "yes" | "no" | "refused" (question 5 only after a positive
    screen: any yes or refusal on 1–4), or ``skip: true`` to record that the patient skipped it."""

    answers: dict[Text, Text | None] = {}
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
    other_phones: list[str]
    sms: str | None
    url: str | None
    hours: str | None
    languages: list[str]
    note: str
    source: str
    last_verified: str


class SiteContactOut(Schema):
    name: str
    phone: str
    url: str
    hours: str


class HelpOut(Schema):
    country: str
    country_name: str
    matched_country: bool = Field(description="False: no service is listed for this country")
    in_eu: bool
    call_local_emergency_number: bool = Field(
        description="True: no emergency number is listed; say 'call your local emergency number'"
    )
    resources: list[CrisisResourceOut] = Field(
        description="Emergency numbers first, then helplines; never another country's"
    )
    site_contact: SiteContactOut | None = Field(description="This site's own contact, if its operator set one")
    not_an_emergency_service: bool


def _country(raw: str | None) -> str | None:
    if raw is None or not raw.strip():
        return None
    code = raw.strip().upper()
    if code not in countries:
        raise ActionError({"country": [f"{raw.strip()[:20]!r} is not a country code; use an ISO 3166 code such as GB"]})
    return code


@router.get("/crisis-resources", response={200: list[CrisisResourceOut], 422: ErrorOut})
def crisis_resources(request: AuthedRequest, country: str | None = None) -> list[dict[str, object]]:
    """Crisis services for a country (default: yours), emergency numbers first.

    A country with none listed gets its emergency number only where one applies (the EU's
    112), never another country's services; `GET /help` says so explicitly."""
    found = crisis_help(_country(country) or str(request.user.country))
    return [r.to_dict() for r in [*found.emergency, *found.services]]


def _signed_in_country(request: HttpRequest) -> str | None:
    try:
        user = BearerToken()(request)
    except AuthenticationError:
        return None
    return str(user.country) if isinstance(user, User) else None


@router.get("/help", auth=None, response={200: HelpOut, 422: ErrorOut})
def crisis_help_for(request: HttpRequest, country: str | None = None) -> dict[str, object]:
    """No sign-in needed: the crisis services for `country` (ISO 3166), else for the person whose
    bearer token is sent, else for this site's default country. The same facts as `/help/`."""
    code = _country(country) or _signed_in_country(request)
    found = crisis_help(code)
    return {**found.to_dict(), "country_name": countries.name(found.country) or found.country}
