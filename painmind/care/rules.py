"""The periodic alert pass (`painmind alerts`): raise flare and silence alerts, close stale ones.

Safe to run twice, or twice at once: raising goes through `do_raise_alert` (the partial unique
index admits one open alert per patient, kind and key) and closing is a conditional UPDATE
that only touches alerts still open, so a second run finds nothing to do.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone

from painmind.accounts.models import Role, User
from painmind.care.actions import do_raise_alert
from painmind.care.models import Alert, AlertKind, Severity
from painmind.core.alert_rules import FLARE_BASELINE_DAYS, FLARE_DAYS, SILENCE_LOOKBACK_DAYS, find_flare, is_silent
from painmind.diary.models import CheckIn, QuestionnaireResponse

WINDOW_DAYS = max(FLARE_BASELINE_DAYS + FLARE_DAYS + 1, SILENCE_LOOKBACK_DAYS + 60)


def do_evaluate_alerts() -> tuple[int, int]:
    """Evaluate every active patient; returns (alerts raised, alerts closed)."""
    patients = {p.pk: p for p in User.objects.filter(role=Role.PATIENT, is_active=True)}
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
    closed += _close_resolved_scores()
    return raised, closed


def _close(patient_id: int, kind: AlertKind, key: str | None = None) -> int:
    """Close open, non-critical alerts whose condition has passed (critical ones wait for a clinician)."""
    qs = Alert.objects.open().filter(patient_id=patient_id, kind=kind).exclude(severity=Severity.CRITICAL)
    if key is not None:
        qs = qs.filter(key=key)
    return qs.update(resolved_at=timezone.now())


def _close_resolved_scores() -> int:
    """Severe-band and reliable-worsening alerts close once the latest response no longer shows it."""
    kinds = Q(kind=AlertKind.SEVERE_BAND) | Q(kind=AlertKind.RELIABLE_WORSENING)
    alerts = list(Alert.objects.open().filter(kinds).exclude(severity=Severity.CRITICAL))
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
