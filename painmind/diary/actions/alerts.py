"""The alerts a diary write raises and closes, and the periodic pass over every patient.

Each evaluation runs only what its write can change:

- a **check-in** can start or end a pain flare, and ends a silence (`checkin_alert_changes`, worked
  out before the write, then `do_apply_checkin_alert_changes` with it);
  an import of many check-ins can also start a silence (`do_evaluate_alerts(..., scores=False)`);
- a **questionnaire response** raises its own alerts (self-harm, severe band, reliable worsening,
  from `core.alert_rules.response_alerts`) and closes that instrument's score alerts once the
  newest response no longer shows them (`do_raise_response_alerts`);
- the **periodic pass** (`painmind alerts`, every 10 minutes) does flares, silences and score
  alerts for everyone (`do_evaluate_alerts`): silence can only be noticed by a clock, and a
  flare's baseline moves with the calendar.

Safe to run twice, or twice at once: raising goes through `safety.actions.do_raise_alert` (the
partial unique index admits one open alert per patient, kind and key) and closing is a
conditional UPDATE that only touches alerts still open. Critical alerts are never closed here:
they wait for a clinician.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from django.db import connections, models, router
from django.db.models import Q
from django.utils import timezone

from painmind.accounts.models import Role, User
from painmind.core.alert_rules import (
    FLARE_BASELINE_DAYS,
    FLARE_SPAN_DAYS,
    SILENCE_DAYS,
    SILENCE_LOOKBACK_DAYS,
    AlertSpec,
    Flare,
    find_flare,
    is_silent,
    severe_band_passed,
    silence_text,
    worsening_passed,
)
from painmind.core.daily import daily_means
from painmind.core.instruments import ReliableChangeConfig
from painmind.diary.instruments import change_config
from painmind.diary.models import CheckIn, CheckInRevision, QuestionnaireResponse, RevisionKind
from painmind.lib import sql
from painmind.safety.actions import Entry, do_raise_alert
from painmind.safety.models import Alert, AlertKind, Severity

# What a flare needs (core.alert_rules.find_flare): its span of days, ending yesterday while today
# has no check-in, and the baseline before the run's first day (at most the span's first day).
FLARE_WINDOW_DAYS = FLARE_BASELINE_DAYS + FLARE_SPAN_DAYS + 1
WINDOW_DAYS = max(FLARE_WINDOW_DAYS, SILENCE_LOOKBACK_DAYS + 60)
DIARY_KINDS = (AlertKind.FLARE, AlertKind.SILENCE)
SCORE_KINDS = (AlertKind.SEVERE_BAND, AlertKind.RELIABLE_WORSENING)


@dataclass(frozen=True)
class CheckInAlertState:
    """What a check-in's alert evaluation reads, loaded before the write's transaction opens
    (so that transaction stays short: on SQLite it holds the database's one write lock)."""

    today: date
    pains: list[tuple[date, float]]  # (local date, pain) of the recent check-ins
    open_kinds: frozenset[str]  # open, non-critical flare / silence alerts
    # The id of a check-in the patient deleted under the client key being written, if any: the
    # same read answers it, so that a replayed key never brings a deleted entry back.
    deleted_id: int | None = None


# The third column's marker for a tombstone row (a literal, never a value from a request).
_TOMBSTONE = "tombstone"


def load_checkin_alert_state(patient: User, client_id: uuid.UUID | None = None) -> CheckInAlertState:
    """The pain of the flare window, the open flare/silence alerts and whether `client_id`
    belongs to a deleted check-in (`CheckInRevision` tombstone), in one statement.

    This is the read every check-in makes, on the write path a patient waits for: one
    ``UNION ALL`` of three index reads, its SQL built once from the models' metadata (as
    `accounts.audit.record_many_at_once` is) rather than by the ORM on every request, which
    cost more than the reads themselves (docs/benchmarks.md). Tested against the ORM's answer.
    """
    today = timezone.localdate(timezone=patient.tzinfo)
    since = today - timedelta(days=FLARE_WINDOW_DAYS)
    conn = connections[router.db_for_read(CheckIn)]
    # Stored as hex text on SQLite and as uuid on PostgreSQL: let the field say how.
    key = CheckInRevision._meta.get_field("client_id").get_db_prep_value(client_id, conn)
    params = [
        patient.pk,
        conn.ops.adapt_datefield_value(since),
        patient.pk,
        *DIARY_KINDS,
        Severity.CRITICAL,
        patient.pk,
        key,
        RevisionKind.DELETE,
    ]
    with conn.cursor() as cursor:
        cursor.execute(_state_sql(conn.alias), params)
        rows = cursor.fetchall()
    pains = [(_as_date(day), float(pain)) for day, pain, kind in rows if kind is None]
    kinds = frozenset(kind for _, _, kind in rows if kind is not None and kind != _TOMBSTONE)
    deleted = next((int(n) for _, n, kind in rows if kind == _TOMBSTONE), None)
    return CheckInAlertState(today, pains, kinds, deleted)


@cache
def _state_sql(alias: str) -> str:
    # Only names from the models' metadata are formatted in (lib.sql); every value is a parameter.
    def col(model: type[models.Model], name: str) -> str:
        return sql.column(alias, model, name)

    return (
        f"SELECT {col(CheckIn, 'local_on')}, {col(CheckIn, 'pain')}, NULL FROM {sql.table(alias, CheckIn)} "  # noqa: S608
        f"WHERE {col(CheckIn, 'patient')} = %s AND {col(CheckIn, 'local_on')} >= %s "
        f"UNION ALL SELECT NULL, NULL, {col(Alert, 'kind')} FROM {sql.table(alias, Alert)} "
        f"WHERE {col(Alert, 'patient')} = %s AND {col(Alert, 'acknowledged_at')} IS NULL "
        f"AND {col(Alert, 'resolved_at')} IS NULL AND {col(Alert, 'kind')} IN (%s, %s) "
        f"AND {col(Alert, 'severity')} <> %s "
        f"UNION ALL SELECT NULL, {col(CheckInRevision, 'checkin_id')}, '{_TOMBSTONE}' "
        f"FROM {sql.table(alias, CheckInRevision)} WHERE {col(CheckInRevision, 'patient')} = %s "
        f"AND {col(CheckInRevision, 'client_id')} = %s AND {col(CheckInRevision, 'kind')} = %s"
    )


def _as_date(value: date | str) -> date:
    # SQLite hands a date back as text once a UNION has dropped the column's declared type.
    return value if isinstance(value, date) else date.fromisoformat(value)


@dataclass(frozen=True)
class CheckInAlertChanges:
    """What new check-ins change about a patient's diary alerts (false when nothing)."""

    raise_flare: Flare | None = None  # a flare is going on and no flare alert is open
    close_flare: bool = False  # a flare alert is open and the flare has passed
    close_silence: bool = False  # a silence alert is open and a recent check-in ends it

    def __bool__(self) -> bool:
        return self.raise_flare is not None or self.close_flare or self.close_silence


def checkin_alert_changes(entries: Iterable[CheckIn], state: CheckInAlertState) -> CheckInAlertChanges:
    """What storing `entries` changes, from the state read before (no query): a flare starts or
    ends; a check-in in the last SILENCE_DAYS days ends a silence (an older, back-filled one
    cannot). Computed before the write, so a check-in that changes nothing writes nothing else."""
    new = list(entries)
    daily = daily_means([*state.pains, *((e.local_on, float(e.pain)) for e in new)])
    flare = find_flare(daily, state.today)
    flare_open = AlertKind.FLARE in state.open_kinds
    recent = any(e.local_on > state.today - timedelta(days=SILENCE_DAYS) for e in new)
    return CheckInAlertChanges(
        raise_flare=flare if flare is not None and not flare_open else None,
        close_flare=flare is None and flare_open,
        close_silence=recent and AlertKind.SILENCE in state.open_kinds,
    )


def do_apply_checkin_alert_changes(patient: User, changes: CheckInAlertChanges) -> None:
    """Raise or close the patient's flare and end their silence, as `checkin_alert_changes` said."""
    if changes.raise_flare is not None:
        do_raise_alert(patient, AlertKind.FLARE, Severity.WARNING, key="flare", title=changes.raise_flare.text)
    if changes.close_flare:
        _close(patient.pk, AlertKind.FLARE)
    if changes.close_silence:
        _close(patient.pk, AlertKind.SILENCE)


def do_raise_response_alerts(response: QuestionnaireResponse, specs: Iterable[AlertSpec]) -> list[Alert]:
    """Open the alerts a new response implies (`core.alert_rules.response_alerts`), then close
    this instrument's score alerts that the newest response no longer shows. Returns the alerts
    the response implies, new or already open."""
    raised = []
    for s in specs:
        entry = Entry("questionnaire_response", response.pk, s.level, s.title, response.completed_at)
        alert, created = do_raise_alert(
            response.patient, AlertKind(s.kind), Severity(s.severity), key=s.key, title=s.title, entry=entry
        )
        if created and s.data:
            # The rule's state (e.g. the score a worsening was raised against) stays with the
            # alert it opened; an alert already open keeps the reference it was raised against.
            alert.data = {**alert.data, **s.data}
            Alert.objects.filter(pk=alert.pk).update(data=alert.data)
        raised.append(alert)
    _close_resolved_scores([response.patient_id], instruments=[response.instrument])
    return raised


def do_evaluate_alerts(patient_ids: Collection[int] | None = None, *, scores: bool = True) -> tuple[int, int]:
    """The periodic pass over these patients (default: every active one): flares, silences and,
    unless `scores` is off, score alerts. Returns (alerts raised, alerts closed).

    An import of many (perhaps old) check-ins runs it for its patient with ``scores=False``: a
    batch of history can start a silence as well as end one, which a single check-in cannot.
    """
    qs = User.objects.filter(role=Role.PATIENT, is_active=True)
    if patient_ids is not None:
        qs = qs.filter(pk__in=patient_ids)
    patients = {p.pk: p for p in qs}
    since = timezone.now().date() - timedelta(days=WINDOW_DAYS + 1)
    pains: dict[int, list[tuple[date, float]]] = defaultdict(list)
    rows = CheckIn.objects.filter(patient_id__in=patients, local_on__gte=since).values_list(
        "patient_id", "local_on", "pain"
    )
    for pid, day, pain in rows:
        pains[pid].append((day, float(pain)))
    raised = closed = 0
    for pid, patient in patients.items():
        today = timezone.localdate(timezone=patient.tzinfo)
        daily = daily_means(pains[pid])
        flare = find_flare(daily, today)
        if flare is not None:
            _, created = do_raise_alert(patient, AlertKind.FLARE, Severity.WARNING, key="flare", title=flare.text)
            raised += created
        else:
            closed += _close(pid, AlertKind.FLARE)
        if is_silent(set(daily), today):
            title = silence_text(max(daily), today)
            _, created = do_raise_alert(patient, AlertKind.SILENCE, Severity.WARNING, key="silence", title=title)
            raised += created
        else:
            closed += _close(pid, AlertKind.SILENCE)
    if scores:
        closed += _close_resolved_scores(patient_ids)
    return raised, closed


def _close(patient_id: int, kind: AlertKind, key: str | None = None) -> int:
    """Close open, non-critical alerts whose condition has passed (critical ones wait for a clinician)."""
    qs = Alert.objects.open().filter(patient_id=patient_id, kind=kind).exclude(severity=Severity.CRITICAL)
    if key is not None:
        qs = qs.filter(key=key)
    return qs.update(resolved_at=timezone.now())


def _close_resolved_scores(patient_ids: Collection[int] | None, *, instruments: Collection[str] | None = None) -> int:
    """Close severe-band and reliable-worsening alerts whose condition has passed, judged on the
    latest *scored* response of their questionnaire (a response too incomplete to score says
    nothing): a severe band once that score is below the band (§1.1, §1.3); a worsening once it
    is no longer reliably worse (§3) than the score the alert was raised against (`Alert.data`)."""
    kinds = Q(kind=AlertKind.SEVERE_BAND) | Q(kind=AlertKind.RELIABLE_WORSENING)
    open_alerts = Alert.objects.open().filter(kinds).exclude(severity=Severity.CRITICAL)
    if patient_ids is not None:
        open_alerts = open_alerts.filter(patient_id__in=patient_ids)
    if instruments is not None:
        open_alerts = open_alerts.filter(key__in=instruments)
    alerts = list(open_alerts)
    if not alerts:
        return 0
    # The newest scored response per (patient, instrument), in one query for every open alert.
    latest: dict[tuple[int, str], QuestionnaireResponse] = {}
    for response in QuestionnaireResponse.objects.filter(
        patient_id__in={a.patient_id for a in alerts}, instrument__in={a.key for a in alerts}, total__isnull=False
    ).order_by("patient_id", "instrument", "-completed_at", "-id"):
        latest.setdefault((response.patient_id, response.instrument), response)
    config = change_config()
    closed = 0
    for alert in alerts:
        newest = latest.get((alert.patient_id, alert.key))
        if newest is None:
            continue
        if alert.kind == AlertKind.SEVERE_BAND:
            passed = severe_band_passed(newest.total, (newest.result or {}).get("flags", ()))
        else:
            passed = _worsening_passed(alert, newest, config)
        if passed:
            closed += _close(alert.patient_id, AlertKind(alert.kind), key=alert.key)
    return closed


def _worsening_passed(alert: Alert, newest: QuestionnaireResponse, config: Mapping[str, ReliableChangeConfig]) -> bool:
    total = newest.total
    if total is None:
        return False  # never: only scored responses are read
    reference = (alert.data or {}).get("total")
    if isinstance(reference, int | float):
        return worsening_passed(alert.key, float(reference), float(total), config=config)
    # An alert raised before the reference was kept (no `data`): judge the newest score as it
    # was judged when stored, against the previous score and the baseline.
    change = newest.change or {}
    worse = [change, change.get("baseline") or {}]
    return not any(c.get("reliable") == "reliable_worsening" for c in worse if isinstance(c, dict))
