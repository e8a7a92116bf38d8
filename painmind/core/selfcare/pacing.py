"""Quota pacing (clinical-reference §9.2): a time-contingent quota that starts at about 80 % of
baseline tolerance and rises by 10–20 % of baseline a week until the goal.

Quotas are exact decimals: the quota of plan step k (0 for the first week) is
``min(START_FRACTION × baseline + k × step_percent % × baseline, goal)``, shown rounded to
QUOTA_PLACES decimal places, half up (a quota of 16.25 minutes reads 16.3). Week holding and
how a held week shifts the later weeks are project rules (docs/selfcare.md):

- A week's planned sessions are ``sessions_per_week`` (default 7: pacing is daily, §9.2).
- A day counts as a session done when a session logged that day reached the week's quota.
- The week is *met* when the sessions done are most of the planned ones (more than half:
  4 of 7, 2 of 3, 1 of 1); otherwise the plan *holds*: the next week keeps the same quota, and
  every later step moves one week later. Only weeks that have ended are judged.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

UNITS = ("minutes", "metres", "repetitions")
START_FRACTION = Decimal("0.8")  # §9.2 "start at about 80 % of baseline"
STEP_PERCENT_MIN = 10  # §9.2 "about 10–20 % of baseline per week"
STEP_PERCENT_MAX = 20
QUOTA_PLACES = 1
# PROJECT RULE: a plan reaches its goal within MAX_STEPS weekly rises (a year), so the list of
# weeks stays finite and a goal far out of reach is asked to be nearer.
MAX_STEPS = 52
# The upper bound of an amount, per unit (PROJECT RULE: a day has 1,440 minutes; 100 km and
# 10,000 repetitions are beyond any day's single activity).
UNIT_MAX = {"minutes": Decimal(1440), "metres": Decimal(100_000), "repetitions": Decimal(10_000)}
# "the mean of the last 3–5" logged sessions (the issue): at least 3, at most the last 5.
BASELINE_MIN_SESSIONS = 3
BASELINE_MAX_SESSIONS = 5
DAYS_PER_WEEK = 7


class PacingError(ValueError):
    """Invalid plan or session values; `errors` maps each field to the reasons."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{f}: {' '.join(m)}" for f, m in errors.items()))


def _dec(value: float | int | Decimal | str) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def round_quota(value: Decimal) -> Decimal:
    """A quota as shown: QUOTA_PLACES decimals, half up (16.25 → 16.3)."""
    return value.quantize(Decimal(1).scaleb(-QUOTA_PLACES), rounding=ROUND_HALF_UP)


def start_quota(baseline: float | Decimal) -> Decimal:
    """80 % of baseline (exact)."""
    return START_FRACTION * _dec(baseline)


def step_size(baseline: float | Decimal, step_percent: int) -> Decimal:
    """The weekly rise: step_percent % of baseline (exact)."""
    return _dec(baseline) * _dec(step_percent) / 100


def quota(baseline: float | Decimal, step_percent: int, goal: float | Decimal, step: int) -> Decimal:
    """The quota of plan step `step` (0 = the first week): min(start + step × rise, goal), rounded."""
    raw = start_quota(baseline) + step * step_size(baseline, step_percent)
    return round_quota(min(raw, _dec(goal)))


def steps_to_goal(baseline: float | Decimal, step_percent: int, goal: float | Decimal) -> int:
    """How many weekly rises the plan needs to reach its goal (0 when the start is the goal)."""
    gap = _dec(goal) - start_quota(baseline)
    if gap <= 0:
        return 0
    return math.ceil(gap / step_size(baseline, step_percent))


def quotas(baseline: float | Decimal, step_percent: int, goal: float | Decimal) -> list[Decimal]:
    """Every step's quota from the first week to the first that reaches the goal."""
    return [quota(baseline, step_percent, goal, k) for k in range(steps_to_goal(baseline, step_percent, goal) + 1)]


def baseline_from_sessions(amounts: Sequence[float | Decimal]) -> Decimal | None:
    """The mean of the last 3–5 amounts (oldest first); None with fewer than 3."""
    if len(amounts) < BASELINE_MIN_SESSIONS:
        return None
    last = [_dec(a) for a in amounts[-BASELINE_MAX_SESSIONS:]]
    return sum(last, Decimal(0)) / len(last)


def sessions_needed(planned: int) -> int:
    """Most of `planned`: more than half (4 of 7, 2 of 3, 1 of 1)."""
    return planned // 2 + 1


def check_plan(
    *,
    unit: str,
    baseline: float | Decimal | None,
    step_percent: int,
    goal: float | Decimal,
    sessions_per_week: int,
) -> dict[str, list[str]]:
    """The reasons a plan is invalid, by field (empty when it is fine). `baseline` None: not yet known."""
    errors: dict[str, list[str]] = {}
    if unit not in UNITS:
        errors["unit"] = [f"must be one of: {', '.join(UNITS)} (got {unit!r})"]
    limit = UNIT_MAX.get(unit, max(UNIT_MAX.values()))
    if not STEP_PERCENT_MIN <= step_percent <= STEP_PERCENT_MAX:
        errors["step_percent"] = [f"must be between {STEP_PERCENT_MIN} and {STEP_PERCENT_MAX} (% of baseline a week)"]
    if not 1 <= sessions_per_week <= DAYS_PER_WEEK:
        errors["sessions_per_week"] = [f"must be between 1 and {DAYS_PER_WEEK}"]
    g = _dec(goal)
    if not g.is_finite() or g <= 0 or g > limit:
        errors["goal"] = [f"must be more than 0 and at most {limit:f} {unit}"]
    if baseline is not None:
        b = _dec(baseline)
        if not b.is_finite() or b <= 0 or b > limit:
            errors["baseline"] = [f"must be more than 0 and at most {limit:f} {unit}"]
        elif "goal" not in errors and g <= start_quota(b):
            errors["goal"] = [f"must be above the start quota ({round_quota(start_quota(b))}, 80% of the baseline)"]
        elif "goal" not in errors and "step_percent" not in errors and steps_to_goal(b, step_percent, g) > MAX_STEPS:
            errors["goal"] = [f"is more than {MAX_STEPS} weekly steps away; choose a nearer goal or a larger step"]
    return errors


@dataclass(frozen=True)
class Week:
    """One calendar week of a plan: its number (1 = the first), first day, quota, and state.

    ``state``: "met", "held" (ended with fewer than most sessions done: the next week keeps
    this quota), "current" (today falls in it) or "planned" (future, assuming each week is met).
    """

    week: int
    starts_on: date
    step: int
    quota: Decimal
    done: int
    needed: int
    state: str

    @property
    def ends_on(self) -> date:
        return self.starts_on + timedelta(days=DAYS_PER_WEEK - 1)


def schedule(
    *,
    baseline: float | Decimal,
    step_percent: int,
    goal: float | Decimal,
    start_on: date,
    sessions_per_week: int,
    done_by_day: Mapping[date, Iterable[float | Decimal]],
    today: date,
) -> list[Week]:
    """The plan's weeks from `start_on` until the first week at the goal, with held weeks.

    `done_by_day` maps a local date to the amounts logged that day. A week that has ended
    (its last day before `today`) is met when the days with a session at or above the week's
    quota are more than half of `sessions_per_week`; otherwise it is held and the next week
    repeats its step. The weeks after today are planned as if each is met. Past the goal the
    list stops (a held week at the goal is still listed).
    """
    needed = sessions_needed(sessions_per_week)
    last_step = steps_to_goal(baseline, step_percent, goal)
    weeks: list[Week] = []
    step = 0
    n = 0
    while True:
        starts = start_on + timedelta(days=DAYS_PER_WEEK * n)
        q = quota(baseline, step_percent, goal, step)
        days = [starts + timedelta(days=i) for i in range(DAYS_PER_WEEK)]
        done = sum(1 for d in days if any(_dec(a) >= q for a in done_by_day.get(d, ())))
        ends = days[-1]
        if ends < today:
            state = "met" if done >= needed else "held"
        elif starts <= today:
            state = "current"
        else:
            state = "planned"
        weeks.append(Week(n + 1, starts, step, q, done, needed, state))
        n += 1
        if state == "held":
            continue
        if step >= last_step and state != "held":
            break
        step += 1
    return weeks


def current_week(weeks: Sequence[Week], today: date) -> Week | None:
    """The week `today` falls in; the last week (at the goal) once the list has ended; None before the start."""
    if not weeks or today < weeks[0].starts_on:
        return None
    for w in weeks:
        if w.starts_on <= today <= w.ends_on:
            return w
    return weeks[-1]
