"""The only way to read diary entries for a user; reads by anyone but the patient are audited."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from painmind.accounts.access import can_access_patient, get_own_patient, get_patient_for_user
from painmind.accounts.audit import Actor, record
from painmind.accounts.models import AuditAction, User
from painmind.core.body_regions import region_days
from painmind.core.checkin import SCALE_BY_NAME
from painmind.core.instruments import Instrument
from painmind.core.schedule import (
    DEFAULT_INTERVALS,
    DEFAULT_SHOWN_INTERVAL,
    SCREENER_FOLLOW_UPS,
    DueStatus,
    due_after_screener,
    due_status,
    follow_up_reason,
)
from painmind.diary.instruments import site_instruments
from painmind.diary.models import CheckIn, CheckInRevision, MeasurementPlan, QuestionnaireResponse, RevisionKind


def _window(qs: QuerySet[CheckIn], since: datetime | None, until: datetime | None) -> QuerySet[CheckIn]:
    if since is not None:
        qs = qs.filter(recorded_at__gte=since)
    if until is not None:
        qs = qs.filter(recorded_at__lt=until)
    return qs


def get_checkins_for_user(
    actor: Actor,
    patient_id: int | str | None = None,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int | None = None,
) -> tuple[User, list[CheckIn]]:
    """A patient's check-ins, newest first, in [since, until).

    `patient_id=None` means the actor's own diary. Http404 when the actor may not see the
    patient. A clinician's read is stored as one audit event naming how many entries it showed.
    """
    patient = (
        get_own_patient(actor) if patient_id is None else get_patient_for_user(actor, patient_id, scope="checkins")
    )
    qs = _window(CheckIn.objects.filter(patient=patient), since, until)
    entries = list(qs[:limit] if limit is not None else qs)
    window = " ".join(
        part
        for part in (f"since {since:%Y-%m-%d %H:%M}" if since else "", f"until {until:%Y-%m-%d %H:%M}" if until else "")
        if part
    )
    record(actor, patient, AuditAction.VIEW, "checkin_list", detail=f"{len(entries)} check-ins {window}".strip())
    return patient, entries


def get_own_checkin_for_user(actor: Actor, checkin_id: int) -> CheckIn:
    """One of the actor's own check-ins, to edit or delete: only its patient may change an
    entry. Http404 for anyone else and for an id that is not theirs (the same answer as for a
    missing one). Not audited: the patient reading their own diary."""
    patient = get_own_patient(actor)
    entry = CheckIn.objects.filter(pk=checkin_id, patient=patient).first()
    if entry is None:
        raise Http404("No such check-in.")
    return entry


@dataclass(frozen=True)
class CheckInHistory:
    """One check-in as it is now (None once deleted) and what it held before each change."""

    checkin_id: int
    entry: CheckIn | None
    revisions: list[CheckInRevision]  # newest first; a deletion's tombstone is the first


def get_checkin_history_for_user(
    actor: Actor, patient_id: int | str | None, checkin_id: int
) -> tuple[User, CheckInHistory]:
    """A check-in's earlier contents (own when `patient_id` is None), for whoever may read the
    patient's check-ins; Http404 otherwise, or when the patient has no such entry, now or
    deleted. A reader other than the patient is audited as a read of the check-ins, naming the entry."""
    patient = (
        get_own_patient(actor) if patient_id is None else get_patient_for_user(actor, patient_id, scope="checkins")
    )
    entry = CheckIn.objects.filter(pk=checkin_id, patient=patient).first()
    revisions = list(CheckInRevision.objects.filter(checkin_id=checkin_id, patient=patient))
    if entry is None and not revisions:
        raise Http404("No such check-in.")
    # Filed as a read of the check-ins (the patient's access log phrases it so), naming the entry.
    record(
        actor,
        patient,
        AuditAction.VIEW,
        "checkin_list",
        object_id=checkin_id,
        detail=f"earlier values of check-in {checkin_id} ({len(revisions)} revisions)",
    )
    return patient, CheckInHistory(checkin_id, entry, revisions)


def get_own_checkin_revisions(actor: Actor) -> list[CheckInRevision]:
    """Every earlier version of the actor's own check-ins (edits and deletions' tombstones), newest
    first: the patient's own record of what they changed ("Download my data"). Http404 for anyone
    who is not a patient; the patient's own read is not audited."""
    return list(CheckInRevision.objects.filter(patient=get_own_patient(actor)).select_related("changed_by"))


def get_diary_for_user(
    actor: Actor, patient_id: int | str, *, limit: int, deleted_limit: int
) -> tuple[User, list[CheckIn], list[CheckInRevision]]:
    """A clinician's diary view: the newest check-ins and the tombstones of the newest entries
    the patient deleted (so the care team sees that something was deleted, and what). Http404
    without access; one audit event, as `get_checkins_for_user` records, naming both counts."""
    patient = get_patient_for_user(actor, patient_id, scope="checkins")
    entries = list(CheckIn.objects.filter(patient=patient)[:limit])
    tombstones = list(CheckInRevision.objects.filter(patient=patient, kind=RevisionKind.DELETE)[:deleted_limit])
    detail = f"{len(entries)} check-ins" + (f", {len(tombstones)} deleted" if tombstones else "")
    record(actor, patient, AuditAction.VIEW, "checkin_list", detail=detail)
    return patient, entries, tombstones


def get_responses_for_user(
    actor: Actor,
    patient_id: int | str | None = None,
    *,
    instrument: str | None = None,
    limit: int | None = None,
) -> tuple[User, list[QuestionnaireResponse]]:
    """A patient's questionnaire responses, newest first (own when `patient_id` is None). Audited."""
    patient = (
        get_own_patient(actor)
        if patient_id is None
        else get_patient_for_user(actor, patient_id, scope="questionnaires")
    )
    qs = QuestionnaireResponse.objects.filter(patient=patient)
    if instrument:
        qs = qs.filter(instrument=instrument)
    responses = list(qs[:limit] if limit is not None else qs)
    record(actor, patient, AuditAction.VIEW, "response_list", detail=f"{len(responses)} {instrument or 'all'}")
    return patient, responses


def get_response_for_user(actor: Actor, response_id: int) -> QuestionnaireResponse:
    """One response, if the actor may see its patient; Http404 otherwise. Audited."""
    response = QuestionnaireResponse.objects.select_related("patient").filter(pk=response_id).first()
    if response is None or not can_access_patient(actor, response.patient_id, scope="questionnaires"):
        raise Http404("No such response.")
    record(actor, response.patient, AuditAction.VIEW, "questionnaire_response", object_id=response.pk)
    return response


@dataclass(frozen=True)
class Schedule:
    """How often a patient is asked for one instrument, and whether it is due on a given day."""

    instrument: Instrument
    interval_days: int
    active: bool
    last_on: date | None  # the local date of the latest response
    due: DueStatus | None  # None when not asked


def measurement_schedules(patient_days: Mapping[int, date]) -> dict[int, list[Schedule]]:
    """The one definition of "is this questionnaire due": for each patient (id → their local
    date), every available instrument with its interval (the stored plan, else the default in
    `core.schedule`, where instruments without one are not asked) and its due status that day.

    A positive screener (PHQ-2, GAD-2, PHQ-4; `core.schedule.SCREENER_FOLLOW_UPS`) makes its
    full questionnaire due at once, scheduled or not, until that questionnaire is completed
    (and scored) after the screener.

    A system read with no audit (its callers audit what they show): two queries, the stored
    plans and, per instrument, the latest completion and the latest positive screen.
    """
    if not patient_days:
        return {}
    instruments = [i for i in site_instruments() if i.available]
    ids = [i.id for i in instruments]
    plans = {
        (p.patient_id, p.instrument): p
        for p in MeasurementPlan.objects.filter(patient_id__in=patient_days, instrument__in=ids)
    }
    done = _completions(patient_days, instruments)
    out: dict[int, list[Schedule]] = {}
    for pid, day in patient_days.items():
        rows = out[pid] = []
        for instrument in instruments:
            plan = plans.get((pid, instrument.id))
            default = DEFAULT_INTERVALS.get(instrument.id)
            active = plan.active if plan else default is not None
            interval = plan.interval_days if plan else (default or DEFAULT_SHOWN_INTERVAL)
            last = done.last_on.get((pid, instrument.id))
            due = due_status(last, interval, day) if active else None
            screened = done.screened.get((pid, instrument.id))
            scored_at = done.scored_at.get((pid, instrument.id))
            if screened is not None and (scored_at is None or scored_at <= screened.at):
                due = due_after_screener(due, screened.on, screened.reason, day)
            rows.append(Schedule(instrument, interval, active, last, due))
    return out


@dataclass(frozen=True)
class _Screened:
    """The latest positive screener asking for one questionnaire."""

    at: datetime
    on: date
    reason: str


@dataclass(frozen=True)
class _Completions:
    last_on: dict[tuple[int, str], date]  # (patient, instrument) → local date of the latest response
    scored_at: dict[tuple[int, str], datetime]  # … and the time of the latest scored one
    screened: dict[tuple[int, str], _Screened]  # (patient, full questionnaire) → latest positive screen


def _completions(patient_days: Mapping[int, date], instruments: list[Instrument]) -> _Completions:
    """One aggregate query: per patient and instrument, the latest response and, for screeners,
    the latest positive result of their total (`screen_positive`) and of each subscale."""
    by_id = {i.id: i for i in instruments}
    aggregates: dict[str, Any] = {
        "last_on": Max("local_on"),
        "scored_at": Max("completed_at", filter=Q(total__isnull=False)),
    }
    # (annotation prefix, screener, subscale) for every screener result that asks for a questionnaire
    signals: list[tuple[str, str, str | None]] = []
    for screener, follow_ups in SCREENER_FOLLOW_UPS.items():
        if screener not in by_id:
            continue
        names = [rule.name for rule in by_id[screener].rules.subscales]
        for subscale, _target in follow_ups:
            if subscale is None:
                positive = Q(result__screen_positive=True)
            else:
                # Subscales are stored in the instrument's order (core.instruments.scoring).
                positive = Q(**{f"result__subscales__{names.index(subscale)}__positive": True})
            prefix = f"pos{len(signals)}"
            aggregates[f"{prefix}_at"] = Max("completed_at", filter=positive & Q(instrument=screener))
            aggregates[f"{prefix}_on"] = Max("local_on", filter=positive & Q(instrument=screener))
            signals.append((prefix, screener, subscale))
    targets = {(screener, subscale): target for screener, f in SCREENER_FOLLOW_UPS.items() for subscale, target in f}
    out = _Completions({}, {}, {})
    rows = (
        QuestionnaireResponse.objects.filter(patient_id__in=patient_days, instrument__in=by_id)
        .values("patient_id", "instrument")
        .annotate(**aggregates)
        .order_by()
    )
    for row in rows:
        key = (row["patient_id"], row["instrument"])
        out.last_on[key] = row["last_on"]
        if row["scored_at"] is not None:
            out.scored_at[key] = row["scored_at"]
        for prefix, screener, subscale in signals:
            at = row[f"{prefix}_at"]
            if at is None:
                continue
            target = (row["patient_id"], targets[(screener, subscale)])
            seen = out.screened.get(target)
            if seen is None or at > seen.at:
                out.screened[target] = _Screened(at, row[f"{prefix}_on"], follow_up_reason(screener, subscale))
    return out


@dataclass(frozen=True)
class PlanRow:
    instrument: Instrument
    interval_days: int
    active: bool
    last: QuestionnaireResponse | None
    due: DueStatus | None  # None when not active


def get_measurement_plan_for_user(actor: Actor, patient_id: int | str | None = None) -> tuple[User, list[PlanRow]]:
    """What the patient is asked to complete and when it is due (defaults where unset). Audited."""
    patient = get_own_patient(actor) if patient_id is None else get_patient_for_user(actor, patient_id)
    latest: dict[str, QuestionnaireResponse] = {}
    for response in QuestionnaireResponse.objects.filter(patient=patient).order_by("instrument", "-completed_at"):
        latest.setdefault(response.instrument, response)
    today = timezone.localdate(timezone=patient.tzinfo)
    schedules = measurement_schedules({patient.pk: today})[patient.pk]
    rows = [PlanRow(s.instrument, s.interval_days, s.active, latest.get(s.instrument.id), s.due) for s in schedules]
    record(actor, patient, AuditAction.VIEW, "measurement_plan")
    return patient, rows


@dataclass(frozen=True)
class MeasureSeries:
    """Stored values of a few measures: questionnaire totals and check-in variables, oldest first."""

    scores: dict[str, list[tuple[datetime, float]]] = field(default_factory=dict)  # id -> (completed_at, total)
    checkins: dict[str, list[tuple[date, float]]] = field(default_factory=dict)  # name -> (local_on, value)


def get_measure_series_for_user(
    actor: Actor,
    patient_id: int | str,
    *,
    instruments: Iterable[str] = (),
    variables: Iterable[str] = (),
    audit_as: str = "measure_series",
) -> tuple[User, MeasureSeries]:
    """Every scored total of some instruments and every value of some check-in variables.

    At most two queries, whatever the number of measures. Http404 without access; one audit
    event (object type `audit_as`, e.g. "care_plan" when the care plan shows them) for a
    reader other than the patient. Unknown check-in variables raise ValueError.
    """
    patient = get_patient_for_user(actor, patient_id)
    ids = sorted(set(instruments))
    names = sorted(set(variables))
    unknown = [n for n in names if n not in SCALE_BY_NAME]
    if unknown:
        raise ValueError(f"unknown check-in variable(s): {', '.join(unknown)}")
    series = MeasureSeries()
    if ids:
        rows = (
            QuestionnaireResponse.objects.filter(patient=patient, instrument__in=ids, total__isnull=False)
            .order_by("completed_at", "id")
            .values_list("instrument", "completed_at", "total")
        )
        for instrument_id, completed_at, total in rows:
            if total is not None:
                series.scores.setdefault(instrument_id, []).append((completed_at, float(total)))
    if names:
        for row in CheckIn.objects.filter(patient=patient).order_by("recorded_at", "id").values("local_on", *names):
            for name in names:
                if row[name] is not None:
                    series.checkins.setdefault(name, []).append((row["local_on"], float(row[name])))
    record(actor, patient, AuditAction.VIEW, audit_as, detail=", ".join([*ids, *names]))
    return patient, series


def get_region_days_for_user(
    actor: Actor, patient_id: int | str | None, *, period_days: int, read_recorded: bool = False
) -> tuple[User, list[tuple[str, str, int]]]:
    """How many days each body region was marked over the last `period_days` local days (today
    included), most first (`core.body_regions.region_days`). Own when `patient_id` is None;
    Http404 without access; a clinician's read is one audit event, unless `read_recorded`: the
    same request already recorded their read of this patient's check-ins (the diary page's
    `get_diary_for_user`), which this summary of the same entries is part of."""
    patient = (
        get_own_patient(actor) if patient_id is None else get_patient_for_user(actor, patient_id, scope="checkins")
    )
    today = timezone.localdate(timezone=patient.tzinfo)
    rows = CheckIn.objects.filter(
        patient=patient, local_on__gte=today - timedelta(days=period_days - 1), local_on__lte=today
    ).values_list("local_on", "pain_locations")
    counts = region_days((day, codes or []) for day, codes in rows)
    if not read_recorded:
        record(actor, patient, AuditAction.VIEW, "checkin_list", detail=f"body regions, last {period_days} days")
    return patient, counts
