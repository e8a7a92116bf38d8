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

from painmind.meds.models import DoseLog, DoseStatus, Regimen, Schedule


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


@dataclass(frozen=True)
class DayFactors:
    """One local day's medicine factors for "what helps me" (docs/meds-app.md "Project rules").

    ``adherence``: scheduled doses ticked taken ÷ doses scheduled that day across the regular
    (scheduled) regimens being taken, or None when nothing was scheduled or no scheduled dose
    was ticked that day. ``as_needed``: as-needed doses ticked that day, or None when no
    as-needed medicine was being taken or the dose list was not used at all that day.
    """

    adherence: float | None
    as_needed: int | None


def daily_factors(regimens: Iterable[Regimen], ticks: Iterable[DoseLog]) -> dict[date, DayFactors]:
    """Per local day with at least one tick, the day's medicine factors (days without a tick
    are missing: an absent tick is no evidence of a dose, taken or not).

    >>> from datetime import date
    >>> r = Regimen(pk=1, schedule="times_a_day", times_per_day=2, started_on=date(2026, 1, 1))
    >>> t = [DoseLog(regimen_id=1, taken_on=date(2026, 1, 2), slot=1, status="taken")]
    >>> daily_factors([r], t)[date(2026, 1, 2)]  # slot 2 not ticked: counts as not taken
    DayFactors(adherence=0.5, as_needed=None)
    """
    regimens = list(regimens)
    by_id = {r.pk: r for r in regimens}
    by_day: dict[date, list[DoseLog]] = {}
    for tick in ticks:
        if tick.regimen_id in by_id:
            by_day.setdefault(tick.taken_on, []).append(tick)
    out: dict[date, DayFactors] = {}
    for day, day_ticks in by_day.items():
        scheduled = [r for r in regimens if r.doses_per_day > 0 and r.is_current(day)]
        scheduled_ids = {r.pk for r in scheduled}
        ticked = [t for t in day_ticks if t.slot >= 1 and t.regimen_id in scheduled_ids]
        adherence = None
        if scheduled and ticked:
            # A slot beyond the regimen's current doses a day (ticked before a schedule change)
            # is not counted: the denominator is today's schedule.
            taken = sum(
                1 for t in ticked if t.status == DoseStatus.TAKEN and t.slot <= by_id[t.regimen_id].doses_per_day
            )
            adherence = taken / sum(r.doses_per_day for r in scheduled)
        prn = {r.pk for r in regimens if r.schedule == Schedule.AS_NEEDED and r.is_current(day)}
        as_needed = None
        if prn:
            as_needed = sum(1 for t in day_ticks if t.status == DoseStatus.EXTRA and t.regimen_id in prn)
        out[day] = DayFactors(adherence, as_needed)
    return out
