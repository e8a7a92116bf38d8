"""The alert pass: raise flare and silence alerts, close stale ones.

It runs for one patient on every check-in write (a flare is raised, and a silence closed, the
moment the diary shows it) and for everyone in the periodic `painmind alerts` (silence can only
be noticed by a clock, and a flare's baseline moves with the calendar).

Safe to run twice, or twice at once: raising goes through `do_raise_alert` (the partial unique
index admits one open alert per patient, kind and key) and closing is a conditional UPDATE
that only touches alerts still open, so a second run finds nothing to do.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone

from painmind.accounts.models import Role, User
from painmind.core.alert_rules import FLARE_BASELINE_DAYS, FLARE_DAYS, SILENCE_LOOKBACK_DAYS, find_flare, is_silent
from painmind.diary.models import CheckIn, QuestionnaireResponse
from painmind.safety.actions import do_raise_alert
from painmind.safety.models import Alert, AlertKind, Severity

WINDOW_DAYS = max(FLARE_BASELINE_DAYS + FLARE_DAYS + 1, SILENCE_LOOKBACK_DAYS + 60)


def do_evaluate_alerts(patient_ids: Collection[int] | None = None) -> tuple[int, int]:
    """Evaluate these patients (default: every active one); returns (alerts raised, alerts closed)."""
    qs = User.objects.filter(role=Role.PATIENT, is_active=True)
    if patient_ids is not None:
        qs = qs.filter(pk__in=patient_ids)
    patients = {p.pk: p for p in qs}
    since = timezone.now().date() - timedelta(days=WINDOW_DAYS + 1)
    pains: dict[int, dict[date, list[float]]] = defaultdict(lambda: defaultdict(list))
    rows = CheckIn.objects.filter(patient_id__in=patients, local_on__gte=since).values_list(
        "patient_id", "local_on", "pain"
    )
    for pid, day, pain in rows:
        pains[pid][day].append(float(pain))
    raised = closed = 0
    for pid, patient in patients.items():
        today = timezone.localdate(timezone=patient.tzinfo)
        daily = {day: sum(v) / len(v) for day, v in pains[pid].items()}
        flare = find_flare(daily, today)
        if flare is not None:
            _, created = do_raise_alert(patient, AlertKind.FLARE, Severity.WARNING, key="flare", title=flare.text)
            raised += created
        else:
            closed += _close(pid, AlertKind.FLARE)
        if is_silent(set(daily), today):
            last = max(daily)
            title = f"No check-in since {last:%d %b} ({(today - last).days} days) after regular check-ins"
            _, created = do_raise_alert(patient, AlertKind.SILENCE, Severity.WARNING, key="silence", title=title)
            raised += created
        else:
            closed += _close(pid, AlertKind.SILENCE)
    closed += _close_resolved_scores(patient_ids)
    return raised, closed


def _close(patient_id: int, kind: AlertKind, key: str | None = None) -> int:
    """Close open, non-critical alerts whose condition has passed (critical ones wait for a clinician)."""
    qs = Alert.objects.open().filter(patient_id=patient_id, kind=kind).exclude(severity=Severity.CRITICAL)
    if key is not None:
        qs = qs.filter(key=key)
    return qs.update(resolved_at=timezone.now())


def _close_resolved_scores(patient_ids: Collection[int] | None) -> int:
    """Severe-band and reliable-worsening alerts close once the latest response no longer shows it."""
    kinds = Q(kind=AlertKind.SEVERE_BAND) | Q(kind=AlertKind.RELIABLE_WORSENING)
    open_alerts = Alert.objects.open().filter(kinds).exclude(severity=Severity.CRITICAL)
    if patient_ids is not None:
        open_alerts = open_alerts.filter(patient_id__in=patient_ids)
    alerts = list(open_alerts)
    if not alerts:
        return 0
    # The newest response per (patient, instrument), in one query for every open alert.
    latest: dict[tuple[int, str], QuestionnaireResponse] = {}
    for response in QuestionnaireResponse.objects.filter(
        patient_id__in={a.patient_id for a in alerts}, instrument__in={a.key for a in alerts}
    ).order_by("patient_id", "instrument", "-completed_at", "-id"):
        latest.setdefault((response.patient_id, response.instrument), response)
    closed = 0
    for alert in alerts:
        newest = latest.get((alert.patient_id, alert.key))
        if newest is None:
            continue
        still = (
            newest.band == "severe"
            if alert.kind == AlertKind.SEVERE_BAND
            else (newest.change or {}).get("reliable") == "reliable_worsening"
        )
        if not still:
            closed += _close(alert.patient_id, AlertKind(alert.kind), key=alert.key)
    return closed
