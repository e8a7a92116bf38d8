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
from collections.abc import Iterable
from datetime import date


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
