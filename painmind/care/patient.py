"""What a clinician sees on one patient's page: daily series, scores and open alerts.

`get_patient_detail_for_user` is the permission-checked read behind the page (Http404 without
consent, one audit event "patient_detail" per view).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from django.db.models import Max, Min
from django.http import Http404
from django.utils import timezone
from django.utils.safestring import SafeString

from painmind.accounts.access import get_patient_for_user
from painmind.accounts.audit import Actor, record
from painmind.accounts.models import AuditAction, Role, User
from painmind.core.checkin import SCALE_BY_NAME
from painmind.core.daily import daily_means
from painmind.diary.charts import daily_chart, pain_mood_chart
from painmind.diary.models import CheckIn, QuestionnaireResponse
from painmind.safety.models import Alert

PERIODS: Final[tuple[int, ...]] = (28, 90, 365)
DEFAULT_PERIOD: Final[int] = 28
# The daily series the issue names (pain, mood, anxiety, sleep, activity); sleep as both the
# hours and the 0–10 quality the check-in records (core/checkin.py).
SERIES: Final[tuple[str, ...]] = ("pain", "mood", "anxiety", "sleep_hours", "sleep_quality", "activity_minutes")
# Drawn together (issue 16): the vicious cycle is read from the two lines side by side.
PAIN_MOOD: Final[tuple[str, str]] = ("pain", "mood")


@dataclass(frozen=True)
class DailySeries:
    name: str
    label: str
    unit: str
    rows: list[tuple[date, float]]  # days with data, oldest first (for the table)
    chart: SafeString
    table_id: str


@dataclass(frozen=True)
class PainMood:
    """Pain and mood on one chart, and the same daily means as table rows (days with either)."""

    chart: SafeString
    rows: list[tuple[date, float | None, float | None]]  # oldest first
    table_id: str = "table-pain-mood"


@dataclass(frozen=True)
class PatientDetail:
    patient: User
    today: date
    period_days: int
    first_checkin_on: date | None
    last_checkin_on: date | None
    series: list[DailySeries]
    responses: list[QuestionnaireResponse]
    alerts: list[Alert]
    pain_mood: PainMood

    @property
    def other_series(self) -> list[DailySeries]:
        """The series drawn one per chart: all but pain and mood, which share `pain_mood`."""
        return [s for s in self.series if s.name not in PAIN_MOOD]

    @property
    def days_since_checkin(self) -> int | None:
        return None if self.last_checkin_on is None else (self.today - self.last_checkin_on).days


def _upper(name: str, values: list[float]) -> float:
    """The chart's top: the scale's end for 0–10 scales; for hours and minutes a round number
    just above the data, so a 30-minute walk is not flattened against 1,440 minutes."""
    scale = SCALE_BY_NAME[name]
    if scale.hi == 10:
        return scale.hi
    step, floor = (30.0, 60.0) if name == "activity_minutes" else (2.0, 12.0)
    top = max(values, default=0.0)
    return min(scale.hi, max(floor, math.ceil(top / step) * step))


def get_patient_detail_for_user(actor: Actor, patient_id: int | str, *, period_days: int) -> PatientDetail:
    """One consenting patient's daily series over the last `period_days` local days, every
    questionnaire response and the open alerts. Clinicians only; Http404 otherwise. Audited."""
    user = actor.user
    if user is None or user.role != Role.CLINICIAN:
        raise Http404("No such patient.")
    if period_days not in PERIODS:
        raise ValueError(f"period_days must be one of {PERIODS}")
    patient = get_patient_for_user(actor, patient_id)
    today = timezone.localdate(timezone=patient.tzinfo)
    start = today - timedelta(days=period_days - 1)
    checkins = CheckIn.objects.filter(patient=patient)
    span = checkins.aggregate(first=Min("local_on"), last=Max("local_on"))
    rows = list(checkins.filter(local_on__gte=start, local_on__lte=today).values_list("local_on", *SERIES))
    days = [start + timedelta(days=i) for i in range(period_days)]
    series = []
    means: dict[str, dict[date, float]] = {}
    for i, name in enumerate(SERIES, start=1):
        scale = SCALE_BY_NAME[name]
        by_day = means[name] = daily_means((row[0], row[i]) for row in rows)  # core.daily: the day's mean
        values = [by_day.get(d) for d in days]
        table_id = f"table-{name}"
        label = scale.label if name != "sleep_hours" else "Sleep"
        chart = daily_chart(
            days,
            values,
            lo=scale.lo,
            hi=_upper(name, list(by_day.values())),
            label=label,
            unit=scale.unit,
            table_id=table_id,
        )
        series.append(DailySeries(name, label, scale.unit, list(by_day.items()), chart, table_id))
    pain, mood = (means[name] for name in PAIN_MOOD)
    pain_mood = PainMood(
        chart=pain_mood_chart(
            days, [pain.get(d) for d in days], [mood.get(d) for d in days], table_id=PainMood.table_id
        ),
        rows=[(d, pain.get(d), mood.get(d)) for d in days if d in pain or d in mood],
    )
    responses = list(QuestionnaireResponse.objects.filter(patient=patient))
    alerts = list(Alert.objects.filter(patient=patient).open().prefetch_related("entries").by_urgency())
    record(actor, patient, AuditAction.VIEW, "patient_detail", detail=f"{period_days} days")
    return PatientDetail(
        patient=patient,
        today=today,
        period_days=period_days,
        first_checkin_on=span["first"],
        last_checkin_on=span["last"],
        series=series,
        responses=responses,
        alerts=alerts,
        pain_mood=pain_mood,
    )
