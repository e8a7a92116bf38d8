"""Questionnaire responses (scored on the server), measurement plans, and the alerts they raise."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from painmind.accounts.audit import Actor, record
from painmind.accounts.models import AuditAction, User
from painmind.core.alert_rules import BASELINE_DAYS, ScorePoint, Worsening, find_worsening, response_alerts
from painmind.core.checkin import CheckInError, check_recorded_at
from painmind.core.instruments import Instrument, InvalidAnswers, ScoreResult, compare, score
from painmind.core.schedule import MAX_INTERVAL_DAYS
from painmind.core.timeutil import local_date
from painmind.diary.actions.alerts import do_raise_response_alerts
from painmind.diary.actions.idempotency import parse_client_id, save_once
from painmind.diary.instruments import change_config, scoring_options, short_name, site_instrument
from painmind.diary.models import MeasurementPlan, QuestionnaireResponse
from painmind.lib.errors import ActionError


class ResponseConflict(Exception):
    """A client_id was reused with different answers: the first response stands."""

    def __init__(self, existing: QuestionnaireResponse) -> None:
        self.existing = existing
        super().__init__(f"client_id {existing.client_id} was already used for a different response")


def _instrument(instrument_id: str) -> Instrument:
    try:
        instrument = site_instrument(instrument_id)
    except ValueError as exc:
        raise ActionError({"instrument": [str(exc)]}) from None
    if not instrument.available:
        raise ActionError({"instrument": [instrument.unavailable_reason]})
    return instrument


def _score(instrument: Instrument, answers: Sequence[int | None] | Mapping[str, int | None]) -> ScoreResult:
    try:
        result = score(instrument, answers, options=scoring_options())
    except InvalidAnswers as exc:
        raise ActionError(
            {f"answers.{key}" if key != "answers" else key: [msg] for key, msg in exc.errors.items()}
        ) from None
    # Project rule (docs/safety.md): a submission with no answer at all is an accident (an empty
    # form sent), not a response; storing it would raise a "risk unknown" alert for nothing.
    if all(value is None for value in result.answers):
        raise ActionError({"answers": ["no question was answered: answer at least one question before sending"]})
    return result


def _previous(patient: User, instrument: str, before: datetime) -> QuestionnaireResponse | None:
    """The latest scored response before `before` (what "change since last time" compares with)."""
    return (
        QuestionnaireResponse.objects.filter(
            patient=patient, instrument=instrument, completed_at__lt=before, total__isnull=False
        )
        .order_by("-completed_at", "-id")
        .first()
    )


def _baseline(patient: User, instrument: str, before: datetime) -> QuestionnaireResponse | None:
    """The patient's baseline: their first scored response in the BASELINE_DAYS before `before`
    (PROJECT RULE, core.alert_rules.BASELINE_DAYS, docs/safety.md)."""
    return (
        QuestionnaireResponse.objects.filter(
            patient=patient,
            instrument=instrument,
            completed_at__gte=before - timedelta(days=BASELINE_DAYS),
            completed_at__lt=before,
            total__isnull=False,
        )
        .order_by("completed_at", "id")
        .first()
    )


def _point(response: QuestionnaireResponse | None) -> ScorePoint | None:
    if response is None or response.total is None:
        return None
    return ScorePoint(response.pk, response.total, response.local_on)


def _changes(
    patient: User, instrument: Instrument, total: float | None, at: datetime
) -> tuple[dict[str, object] | None, Worsening | None]:
    """`response.change` (versus the previous scored response, as shown to patients and
    clinicians, plus ``baseline``: versus the 90-day baseline when that is another response)
    and the reliable worsening an alert is raised for, if any (`core.alert_rules.find_worsening`)."""
    if total is None:
        return None, None
    previous = _point(_previous(patient, instrument.id, at))
    if previous is None:
        return None, None  # no earlier score: nothing within 90 days either
    baseline = _point(_baseline(patient, instrument.id, at))
    config = change_config()
    change: dict[str, object] = compare(instrument.id, previous.total, total, config=config).to_dict()
    if baseline is not None and baseline.response_id != previous.response_id:
        since = compare(instrument.id, baseline.total, total, config=config).to_dict()
        change["baseline"] = {**since, "response_id": baseline.response_id, "on": baseline.on.isoformat()}
    worsening = find_worsening(instrument.id, total, previous=previous, baseline=baseline, config=config)
    return change, worsening


def do_record_response(
    actor: Actor,
    patient: User,
    instrument_id: str,
    answers: Sequence[int | None] | Mapping[str, int | None],
    *,
    client_id: uuid.UUID | str | None = None,
    completed_at: datetime | None = None,
) -> tuple[QuestionnaireResponse, bool]:
    """Score and store a response for `patient` (already access-checked by the caller).

    The score, band, change versus the previous response and safety flags are computed here,
    never taken from the client. A PHQ-9 item 9 above 0 or left blank raises a critical alert
    for the care team; severe bands and reliable worsening raise warnings. Returns
    ``(response, created)``; a `client_id` replay returns the stored response, a conflicting
    one raises `ResponseConflict`, except when the new answers hold a positive or blank item 9:
    those are stored as a response of their own (without the key), so the alert and the crisis
    resources follow whatever happened to the key (a browser's Back button restores a form
    with the key it was first sent with). Invalid input raises `ActionError` and writes nothing.
    """
    instrument = _instrument(instrument_id)
    result = _score(instrument, answers)
    now = timezone.now()
    if completed_at is not None:
        try:
            check_recorded_at(completed_at, now)
        except CheckInError as exc:
            raise ActionError({"completed_at": exc.errors["recorded_at"]}) from None
        completed_at = completed_at.astimezone(UTC)
    try:
        key = parse_client_id(client_id)
    except ValueError:
        raise ActionError({"client_id": ["must be a UUID"]}) from None
    at = completed_at or now
    change, worsening = _changes(patient, instrument, result.total, at)
    response = QuestionnaireResponse(
        patient=patient,
        instrument=instrument.id,
        version=instrument.version,
        answers=list(result.answers),
        total=result.total,
        band=result.band.label if result.band else "",
        status=result.status,
        item9=result.safety.item9 if result.safety else "",
        result=result.to_dict(),
        change=change,
        completed_at=at,
        local_on=local_date(at, patient.tzinfo),
        client_id=key,
        created_at=now,
        entered_by=actor.user,
    )

    def side_effects(stored: QuestionnaireResponse) -> None:
        specs = response_alerts(result, worsening, instrument_id=instrument.id, name=short_name(instrument))
        do_raise_response_alerts(stored, specs)
        record(actor, patient, AuditAction.CREATE, "questionnaire_response", object_id=stored.pk)

    def stored() -> QuestionnaireResponse | None:
        return QuestionnaireResponse.objects.filter(patient=patient, client_id=key).first()

    try:
        return save_once(
            response,
            stored=stored,
            replay=lambda earlier: _replay(earlier, instrument, result),
            side_effects=side_effects,
        )
    except ResponseConflict:
        if result.safety is None or result.safety.item9 not in ("positive", "unknown"):
            raise
    # A self-harm answer is never lost to a reused key: it is stored, keyless, as its own response.
    response.client_id = None
    return save_once(response, stored=stored, replay=lambda earlier: earlier, side_effects=side_effects)


def _replay(existing: QuestionnaireResponse, instrument: Instrument, result: ScoreResult) -> QuestionnaireResponse:
    if existing.instrument == instrument.id and existing.answers == list(result.answers):
        return existing
    raise ResponseConflict(existing)


@transaction.atomic
def do_set_measurement_interval(
    actor: Actor, patient: User, instrument_id: str, interval_days: int | None
) -> MeasurementPlan | None:
    """Set how often `patient` is asked for an instrument; None stops asking. Audited.

    The caller has checked the actor's access to the patient (a clinician with consent).
    """
    instrument = _instrument(instrument_id)
    if interval_days is not None and not 1 <= interval_days <= MAX_INTERVAL_DAYS:
        raise ActionError({"interval_days": [f"must be between 1 and {MAX_INTERVAL_DAYS} days"]})
    plan, _ = MeasurementPlan.objects.select_for_update().get_or_create(
        patient=patient,
        instrument=instrument.id,
        defaults={"interval_days": interval_days or 1, "active": interval_days is not None, "updated_by": actor.user},
    )
    plan.active = interval_days is not None
    if interval_days is not None:
        plan.interval_days = interval_days
    plan.updated_at = timezone.now()
    plan.updated_by = actor.user
    plan.save()
    detail = f"{instrument.id} every {interval_days} days" if interval_days else f"{instrument.id} stopped"
    record(actor, patient, AuditAction.UPDATE, "measurement_plan", object_id=plan.pk, detail=detail)
    return plan
