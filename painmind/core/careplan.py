"""Care-plan goals measured from the data: what can be measured, and how far a goal has come.

Pure Python (no Django). A goal names a *measure* — a scored questionnaire total (``phq9``,
``peg``…) or a daily check-in variable (``pain``, ``mood``…) — with a comparator, a target and
optionally a date ("PEG ≤ 4 by 1 March"). :func:`instrument_progress` and
:func:`checkin_progress` turn the stored values into a :class:`GoalProgress`; docs/careplan.md
states the rules in words.

Examples
--------
>>> from datetime import date, datetime, timezone
>>> at = lambda d: datetime(2027, 1, d, 12, tzinfo=timezone.utc)
>>> p = instrument_progress(
...     [(at(2), 7.0), (at(20), 5.3)], set_at=at(5), comparator="le", target=4,
...     target_on=date(2027, 3, 1), today=date(2027, 1, 28), label="PEG")
>>> p.text
'PEG 5.3 now, target ≤ 4 by 1 Mar 2027: 57 % of the way from 7.0'
>>> p.days_left
32
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from painmind.core.checkin import SCALES
from painmind.core.daily import daily_means

Comparator = Literal["lt", "le", "ge", "gt"]
COMPARATORS: tuple[Comparator, ...] = ("lt", "le", "ge", "gt")
SYMBOLS: dict[str, str] = {"lt": "<", "le": "≤", "ge": "≥", "gt": ">"}
# "the last 7 days with data" (the rule for check-in goals; docs/careplan.md).
CHECKIN_WINDOW_DAYS = 7


@dataclass(frozen=True)
class Measure:
    """Something a goal can be measured by, with the range a target must lie in."""

    id: str
    label: str
    kind: Literal["instrument", "checkin"]
    lo: float
    hi: float
    unit: str = ""

    @property
    def choice_label(self) -> str:
        """How a form lists it: ``"PHQ-9 (0–27)"``, ``"Pain, daily check-in (0–10)"``."""
        where = "" if self.kind == "instrument" else ", daily check-in"
        unit = f" {self.unit}" if self.unit else ""
        return f"{self.label}{where} ({format_value(self.lo)}–{format_value(self.hi)}{unit})"


def checkin_measures() -> list[Measure]:
    """Every numeric daily check-in variable, with its bounds from ``core.checkin``."""
    return [Measure(s.name, s.label, "checkin", float(s.lo), float(s.hi), s.unit) for s in SCALES]


def instrument_measure(instrument_id: str, label: str, score_min: float, score_max: float) -> Measure:
    """A questionnaire total as a measure (range from the instrument's scoring rules)."""
    return Measure(instrument_id, label, "instrument", float(score_min), float(score_max))


def format_value(value: float) -> str:
    """A target or bound without a trailing ``.0``: ``4``, ``4.5``, ``1440``."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def format_day(day: date) -> str:
    """``1 Mar 2027`` (no zero padding, English month abbreviations whatever the locale)."""
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    return f"{day.day} {months[day.month - 1]} {day.year}"


def describe_target(comparator: str, target: float, target_on: date | None = None) -> str:
    """``"≤ 4 by 1 Mar 2027"`` or ``"< 10"``."""
    text = f"{SYMBOLS[comparator]} {format_value(target)}"
    return f"{text} by {format_day(target_on)}" if target_on is not None else text


def target_met(value: float, comparator: str, target: float) -> bool:
    """Whether ``value`` satisfies ``value <comparator> target``."""
    if comparator == "lt":
        return value < target
    if comparator == "le":
        return value <= target
    if comparator == "ge":
        return value >= target
    if comparator == "gt":
        return value > target
    raise ValueError(f"unknown comparator {comparator!r}; expected one of {', '.join(COMPARATORS)}")


def fraction_of_way(baseline: float, current: float, target: float, comparator: str) -> float:
    """How far ``current`` has come from ``baseline`` towards ``target``, clipped to 0–1.

    The comparator gives the direction: ``lt``/``le`` goals want the value to fall, ``ge``/``gt``
    goals want it to rise. A move the wrong way counts as 0, past the target as 1. When the
    baseline already meets the target there is no distance to cover: 1 if the target is still
    met, else 0.

    >>> round(fraction_of_way(7.0, 5.3, 4.0, "le"), 4)
    0.5667
    >>> fraction_of_way(2.0, 8.0, 6.0, "ge"), fraction_of_way(4.0, 3.0, 6.0, "ge")
    (1.0, 0.0)
    """
    if target_met(baseline, comparator, target):
        return 1.0 if target_met(current, comparator, target) else 0.0
    distance = baseline - target if comparator in ("lt", "le") else target - baseline
    moved = baseline - current if comparator in ("lt", "le") else current - baseline
    if distance <= 0:  # a strict target (< 10) with the baseline exactly on it (10)
        return 1.0 if target_met(current, comparator, target) else 0.0
    return min(1.0, max(0.0, moved / distance))


@dataclass(frozen=True)
class GoalProgress:
    """Where a measured goal stands.

    ``current`` is None when there is no data yet (``has_data`` False); ``fraction`` (0–1) is
    the share of the way from ``baseline`` to the target; ``days_left`` is negative once the
    target date has passed and None without a date; ``n_current`` counts the scores (1) or
    days (up to 7) behind ``current``; ``as_of`` is the date of the latest data used.
    """

    label: str
    comparator: str
    target: float
    target_on: date | None
    baseline: float | None
    current: float | None
    as_of: date | None
    n_current: int
    met: bool | None
    fraction: float | None
    days_left: int | None

    @property
    def has_data(self) -> bool:
        return self.current is not None

    @property
    def percent(self) -> int | None:
        """The fraction as a whole percentage (half up), for the progress bar."""
        # Rounded first so float noise (87.4999…) cannot turn a half into a round-down.
        return None if self.fraction is None else math.floor(round(self.fraction * 100, 9) + 0.5)

    @property
    def text(self) -> str:
        """One plain sentence, e.g. ``PEG 5.3 now, target ≤ 4 by 1 Mar 2027: 57 % of the way from 7.0``."""
        target = describe_target(self.comparator, self.target, self.target_on)
        if self.current is None:
            return f"{self.label}: no data yet (target {target})"
        head = f"{self.label} {self.current:.1f} now, target {target}"
        if self.met:
            return f"{head}: target met"
        return f"{head}: {self.percent} % of the way from {self.baseline:.1f}"

    @property
    def days_left_text(self) -> str:
        if self.days_left is None:
            return ""
        if self.days_left > 1:
            return f"{self.days_left} days left"
        if self.days_left == 1:
            return "1 day left"
        if self.days_left == 0:
            return "target date is today"
        overdue = -self.days_left
        return f"target date passed {overdue} day{'s' if overdue != 1 else ''} ago"


def _progress(
    label: str,
    *,
    comparator: str,
    target: float,
    target_on: date | None,
    today: date,
    baseline: float | None = None,
    current: float | None = None,
    as_of: date | None = None,
    n_current: int = 0,
) -> GoalProgress:
    if comparator not in COMPARATORS:
        raise ValueError(f"unknown comparator {comparator!r}; expected one of {', '.join(COMPARATORS)}")
    met = None if current is None else target_met(current, comparator, target)
    fraction = None
    if current is not None and baseline is not None:
        fraction = fraction_of_way(baseline, current, target, comparator)
    return GoalProgress(
        label=label,
        comparator=comparator,
        target=target,
        target_on=target_on,
        baseline=baseline,
        current=current,
        as_of=as_of,
        n_current=n_current,
        met=met,
        fraction=fraction,
        days_left=None if target_on is None else (target_on - today).days,
    )


def instrument_progress(
    scores: Iterable[tuple[datetime, float]],
    *,
    set_at: datetime,
    comparator: str,
    target: float,
    target_on: date | None,
    today: date,
    label: str,
) -> GoalProgress:
    """Progress of a questionnaire goal.

    Parameters
    ----------
    scores
        ``(completed_at, total)`` pairs in any order; unscored responses must be left out.
    set_at
        When the goal was set. The baseline is the last score at or before it, else the first
        score after it; the current value is the latest score.
    comparator, target, target_on
        The goal: ``lt``/``le``/``ge``/``gt``, the target total and the optional date.
    today
        The patient's local date, for ``days_left``.
    label
        The instrument's short name used in the sentence (``"PHQ-9"``).
    """
    ordered = sorted(scores, key=lambda s: s[0])
    if not ordered:
        return _progress(
            label,
            comparator=comparator,
            target=target,
            target_on=target_on,
            today=today,
            baseline=None,
            current=None,
            as_of=None,
            n_current=0,
        )
    before = [value for at, value in ordered if at <= set_at]
    baseline = before[-1] if before else ordered[0][1]
    latest_at, current = ordered[-1]
    return _progress(
        label,
        comparator=comparator,
        target=target,
        target_on=target_on,
        today=today,
        baseline=baseline,
        current=current,
        as_of=latest_at.date(),
        n_current=1,
    )


def _mean_of_days(days: Sequence[tuple[date, float]]) -> float:
    return math.fsum(v for _, v in days) / len(days)


def checkin_progress(
    values: Iterable[tuple[date, float]],
    *,
    set_on: date,
    comparator: str,
    target: float,
    target_on: date | None,
    today: date,
    label: str,
    window_days: int = CHECKIN_WINDOW_DAYS,
) -> GoalProgress:
    """Progress of a daily check-in goal ("average pain ≤ 5").

    Parameters
    ----------
    values
        ``(local_on, value)`` for every check-in with this variable filled in (blank ones left
        out), in any order. Several check-ins on one day are first averaged to a daily mean,
        so every day weighs the same.
    set_on
        The patient's local date when the goal was set. The baseline is the mean of the last
        ``window_days`` days with data before that day; without any, the first
        ``window_days`` days with data from that day on.
    window_days
        Days with data averaged for current and baseline (7).

    The current value is the mean of the last ``window_days`` days with data, however far
    apart they are; ``as_of`` says how recent the last of them is.
    """
    days = list(daily_means(values).items())  # core.daily: a day is the mean of its check-ins
    if not days:
        return _progress(
            label,
            comparator=comparator,
            target=target,
            target_on=target_on,
            today=today,
            baseline=None,
            current=None,
            as_of=None,
            n_current=0,
        )
    recent = days[-window_days:]
    before = [d for d in days if d[0] < set_on]
    baseline_days = before[-window_days:] if before else days[:window_days]
    return _progress(
        label,
        comparator=comparator,
        target=target,
        target_on=target_on,
        today=today,
        baseline=_mean_of_days(baseline_days),
        current=_mean_of_days(recent),
        as_of=recent[-1][0],
        n_current=len(recent),
    )
