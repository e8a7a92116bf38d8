"""The patient's own picture on their home page: pain and mood over a period on one chart, their
sleep or activity on demand, and the same daily means as a table.

Reads only the signed-in patient's own diary (`get_own_patient`), so nothing is audited, as for
every other own read. Days and their values follow `core.daily` (the day's mean, gaps left).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from django.core.paginator import Page, Paginator
from django.utils import timezone
from django.utils.safestring import SafeString

from painmind.accounts.access import get_own_patient
from painmind.accounts.audit import Actor
from painmind.accounts.models import User
from painmind.core.checkin import SCALE_BY_NAME
from painmind.core.daily import daily_means
from painmind.diary.charts import daily_chart, pain_mood_chart
from painmind.diary.models import CheckIn

PERIODS: Final[tuple[int, ...]] = (28, 90, 365)
DEFAULT_PERIOD: Final[int] = 28
# What the patient may add under the pain-and-mood chart (`?also=`): their own sleep or activity.
EXTRAS: Final[dict[str, str]] = {"sleep": "sleep_hours", "activity": "activity_minutes"}
EXTRA_LABELS: Final[dict[str, str]] = {"sleep": "Sleep", "activity": "Activity"}


@dataclass(frozen=True)
class Extra:
    key: str  # "sleep" | "activity"
    label: str
    unit: str
    chart: SafeString
    table_id: str


@dataclass(frozen=True)
class Overview:
    patient: User
    period_days: int
    first_day: date
    today: date
    chart: SafeString
    extra: Extra | None
    # Days with any value shown, newest first: (day, pain, mood, extra value or None).
    rows: list[tuple[date, float | None, float | None, float | None]]
    table_id: str = "home-table"


def _upper(name: str, values: list[float]) -> float:
    """A round top just above the data for hours and minutes (as the clinician's page does), so
    a 30-minute walk is not flattened against 1,440 minutes."""
    scale = SCALE_BY_NAME[name]
    step, floor = (30.0, 60.0) if name == "activity_minutes" else (2.0, 12.0)
    return min(scale.hi, max(floor, math.ceil(max(values, default=0.0) / step) * step))


def get_own_overview(actor: Actor, *, period_days: int, also: str | None = None) -> Overview:
    """The actor's own daily pain and mood (and `also`: "sleep" or "activity") over the last
    `period_days` local days, today included. ValueError for a period or extra not offered."""
    if period_days not in PERIODS:
        raise ValueError(f"period_days must be one of {PERIODS}")
    if also is not None and also not in EXTRAS:
        raise ValueError(f"also must be one of {', '.join(EXTRAS)}")
    patient = get_own_patient(actor)
    today = timezone.localdate(timezone=patient.tzinfo)
    start = today - timedelta(days=period_days - 1)
    names = ["pain", "mood"] + ([EXTRAS[also]] if also else [])
    rows = list(
        CheckIn.objects.filter(patient=patient, local_on__gte=start, local_on__lte=today).values_list(
            "local_on", *names
        )
    )
    means = [daily_means((row[0], row[i]) for row in rows) for i in range(1, len(names) + 1)]
    pain, mood = means[0], means[1]
    other = means[2] if also else {}
    days = [start + timedelta(days=i) for i in range(period_days)]
    chart = pain_mood_chart(days, [pain.get(d) for d in days], [mood.get(d) for d in days], table_id=Overview.table_id)
    extra = None
    if also:
        scale = SCALE_BY_NAME[EXTRAS[also]]
        label = EXTRA_LABELS[also]
        extra = Extra(
            also,
            label,
            scale.unit,
            daily_chart(
                days,
                [other.get(d) for d in days],
                lo=scale.lo,
                hi=_upper(scale.name, list(other.values())),
                label=label,
                unit=scale.unit,
                table_id=Overview.table_id,
            ),
            Overview.table_id,
        )
    table = [
        (d, pain.get(d), mood.get(d), other.get(d)) for d in reversed(days) if d in pain or d in mood or d in other
    ]
    return Overview(patient, period_days, start, today, chart, extra, table)


PAGE_SIZE: Final[int] = 30


def get_own_entries_page(actor: Actor, page: int) -> tuple[User, Page[CheckIn]]:
    """One page (`PAGE_SIZE` entries, newest first) of all the actor's own check-ins. ValueError
    naming the page range for a page that does not exist (page 1 always does)."""
    patient = get_own_patient(actor)
    paginator = Paginator(CheckIn.objects.filter(patient=patient), PAGE_SIZE, allow_empty_first_page=True)
    if not 1 <= page <= paginator.num_pages:
        raise ValueError(f"page: must be a whole number from 1 to {paginator.num_pages}")
    return patient, paginator.page(page)
