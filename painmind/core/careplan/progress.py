"""A measured goal's progress from the stored values: baseline, current, met, share of the way."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from painmind.core.careplan.targets import COMPARATORS, describe_target, fraction_of_way, target_met
from painmind.core.daily import daily_means
from painmind.core.instruments.model import format_number

# "the last 7 days with data" (the rule for check-in goals; docs/careplan.md).
CHECKIN_WINDOW_DAYS = 7


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
        """One plain sentence, e.g. ``PEG 5.3 now, target ≤ 4 by 1 Mar 2027: 57 % of the way from 7``."""
        target = describe_target(self.comparator, self.target, self.target_on)
        if self.current is None:
            return f"{self.label}: no data yet (target {target})"
        # Whole numbers without ".0" ("PHQ-9 11", not "11.0"; docs/care.md); means keep one decimal.
        head = f"{self.label} {format_number(self.current)} now, target {target}"
        if self.met:
            return f"{head}: target met"
        return f"{head}: {self._way_text()}"

    def _way_text(self) -> str:
        """How far from the start, in words that stay true when nothing moved or it moved the
        wrong way ("0 % of the way" said neither; issue 16)."""
        assert self.current is not None
        start = format_number(self.baseline if self.baseline is not None else self.current)
        baseline = self.current if self.baseline is None else self.baseline
        falling = self.comparator in ("lt", "le")
        worse = self.current > baseline if falling else self.current < baseline
        if target_met(baseline, self.comparator, self.target):
            return f"no longer met (it was at the start: {start})"
        if worse:
            return f"further from the target than at the start ({start})"
        if self.current == baseline:
            return f"the same as at the start ({start})"
        if self.percent == 0:
            return f"less than 1 % of the way from {start}"
        return f"{self.percent} % of the way from {start}"

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
