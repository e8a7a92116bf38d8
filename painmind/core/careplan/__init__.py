"""Care-plan goals measured from the data: what can be measured, and how far a goal has come.

Pure Python (no Django). A goal names a *measure* — a scored questionnaire total (``phq9``,
``peg``…) or a daily check-in variable (``pain``, ``mood``…) — with a comparator, a target and
optionally a date ("PEG ≤ 4 by 1 March"). :func:`instrument_progress` and
:func:`checkin_progress` turn the stored values into a :class:`GoalProgress`; docs/careplan.md
states the rules in words.

- `targets`: measures (questionnaire totals, check-in variables), comparators, target text;
- `progress`: `GoalProgress` and the two progress rules.

Examples
--------
>>> from datetime import date, datetime, timezone
>>> at = lambda d: datetime(2027, 1, d, 12, tzinfo=timezone.utc)
>>> p = instrument_progress(
...     [(at(2), 7.0), (at(20), 5.3)], set_at=at(5), comparator="le", target=4,
...     target_on=date(2027, 3, 1), today=date(2027, 1, 28), label="PEG")
>>> p.text
'PEG 5.3 now, target ≤ 4 by 1 Mar 2027: 57 % of the way from 7'
>>> p.days_left
32
"""

from painmind.core.careplan.progress import CHECKIN_WINDOW_DAYS, GoalProgress, checkin_progress, instrument_progress
from painmind.core.careplan.targets import (
    COMPARATORS,
    SYMBOLS,
    Comparator,
    Measure,
    checkin_measures,
    describe_target,
    format_day,
    format_value,
    fraction_of_way,
    instrument_measure,
    target_met,
)

__all__ = [
    "CHECKIN_WINDOW_DAYS",
    "COMPARATORS",
    "SYMBOLS",
    "Comparator",
    "GoalProgress",
    "Measure",
    "checkin_measures",
    "checkin_progress",
    "describe_target",
    "format_day",
    "format_value",
    "fraction_of_way",
    "instrument_measure",
    "instrument_progress",
    "target_met",
]
