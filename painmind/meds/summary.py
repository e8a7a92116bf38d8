"""Adherence and as-needed use, from stored ticks (no database access: callers load the rows).

Project rules (docs/meds-app.md):
- adherence of a scheduled regimen in a week = doses ticked "taken" ÷ doses scheduled on the
  days of that week it was being taken, up to today; an unticked dose is shown as "not
  recorded", never assumed taken or skipped, but it counts in the denominator;
- as-needed use per day = the as-needed doses logged that day, beside the prescribed maximum.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from painmind.meds.models import DoseLog, DoseStatus, Regimen


@dataclass(frozen=True)
class WeekAdherence:
    week_start: date  # a Monday
    scheduled: int
    taken: int
    skipped: int

    @property
    def not_recorded(self) -> int:
        return self.scheduled - self.taken - self.skipped

    @property
    def percent(self) -> int | None:
        return None if self.scheduled == 0 else round(100 * self.taken / self.scheduled)


def weekly_adherence(regimen: Regimen, ticks: Iterable[DoseLog], *, today: date, weeks: int) -> list[WeekAdherence]:
    """The last `weeks` calendar weeks (Monday first, the current one last) of a scheduled regimen."""
    per_day = regimen.doses_per_day
    monday = today - timedelta(days=today.weekday())
    taken: Counter[date] = Counter()
    skipped: Counter[date] = Counter()
    for tick in ticks:
        if tick.regimen_id != regimen.pk or tick.slot < 1:
            continue
        start = tick.taken_on - timedelta(days=tick.taken_on.weekday())
        (taken if tick.status == DoseStatus.TAKEN else skipped)[start] += 1
    out = []
    for back in range(weeks - 1, -1, -1):
        start = monday - timedelta(weeks=back)
        days = [start + timedelta(days=i) for i in range(7)]
        scheduled = per_day * sum(1 for d in days if d <= today and regimen.is_current(d))
        out.append(WeekAdherence(start, scheduled, taken[start], skipped[start]))
    return out


def as_needed_per_day(regimen: Regimen, ticks: Iterable[DoseLog], *, today: date, days: int) -> list[tuple[date, int]]:
    """As-needed doses logged per local day over the last `days` days, oldest first (zeros kept)."""
    counts = Counter(t.taken_on for t in ticks if t.regimen_id == regimen.pk and t.status == DoseStatus.EXTRA)
    return [(d, counts[d]) for d in (today - timedelta(days=i) for i in range(days - 1, -1, -1))]
