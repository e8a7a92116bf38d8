"""What one day of a diary is worth: the one definition every page, alert and model uses.

A patient may check in several times a day. A day's value of a variable is the mean of that
variable over the day's check-ins that recorded it (blank answers are left out, not counted as
zero); a day on which nobody recorded it has no value, and nothing is interpolated. Days are
the patient's local calendar dates (`CheckIn.local_on`).

Every use goes through `daily_means`: the alert rules (pain flares), the clinician's patient
page, care-plan progress and "My cycle". The clinician panel and the cycle analysis keep
faster versions of the same rule for many patients at once, each tested equal to this one.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta


def daily_means(values: Iterable[tuple[date, float | None]]) -> dict[date, float]:
    """``{local date: mean of that day's values}``, oldest day first; ``None`` values skipped.

    >>> from datetime import date
    >>> daily_means([(date(2027, 1, 3), 6), (date(2027, 1, 1), 8), (date(2027, 1, 3), 7), (date(2027, 1, 2), None)])
    {datetime.date(2027, 1, 1): 8.0, datetime.date(2027, 1, 3): 6.5}
    """
    by_day: dict[date, list[float]] = {}
    for day, value in values:
        if value is not None:
            by_day.setdefault(day, []).append(float(value))
    return {day: math.fsum(vs) / len(vs) for day, vs in sorted(by_day.items())}


@dataclass(frozen=True)
class Window:
    """One window of days: its first and last date, the mean of its daily values (each day with
    a value counts once, whatever its number of check-ins) and how many days had one."""

    first: date
    last: date
    mean: float | None  # None: no day of the window has a value
    n_days: int


def window_means(by_day: Mapping[date, float], *, end: date, days: int, window: int = 28) -> list[Window]:
    """Means over consecutive `window`-day windows that tile the `days` days ending on `end`,
    oldest first; the oldest window is shorter when `window` does not divide `days`.

    `by_day` holds daily values (``daily_means``); days outside the period are ignored. Used by
    the one-page report's "28-day means" (the windows end on the report's last day, so the
    newest one is always a full four weeks).

    >>> from datetime import date
    >>> ws = window_means({date(2027, 1, 1): 2.0, date(2027, 1, 5): 4.0, date(2027, 1, 6): 9.0},
    ...                   end=date(2027, 1, 6), days=6, window=4)
    >>> [(w.first.day, w.last.day, w.mean, w.n_days) for w in ws]
    [(1, 2, 2.0, 1), (3, 6, 6.5, 2)]
    """
    if days < 1 or window < 1:
        raise ValueError("days and window must be at least 1")
    out: list[Window] = []
    last = end
    start = end - timedelta(days=days - 1)
    while last >= start:
        first = max(start, last - timedelta(days=window - 1))
        values = [v for d, v in by_day.items() if first <= d <= last]
        mean = math.fsum(values) / len(values) if values else None
        out.append(Window(first, last, mean, len(values)))
        last = first - timedelta(days=1)
    return out[::-1]
