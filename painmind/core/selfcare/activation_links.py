"""Behavioural activation: which activities went with better next days (issue 13).

The same honest machinery as "what helps me" (docs/cycle.md): each activity the person logs as
done is a 0/1 factor per day (done that day or not), tested against the next day's pain and mood
by `core.cycle.helps.what_helps` (the outcome adjusted for the day before, a per-person linear
trend, pairs of consecutive check-in days only) and judged by `core.cycle.judge` (at least 50
pairs, shrunk toward a sceptical prior, Holm at 0.01 across every activity and outcome). A clear
finding is worded as "linked with better days" or "linked with harder days", never as a cause.

PROJECT RULES (docs/selfcare.md "Which activities went with better next days"):

- An activity is its name, compared without case or repeated spaces ("Walk" = "walk ").
- A day counts for the comparison only between the first and the last day the person logged any
  activity as done: there, a day without that activity is 0; outside, nothing is known (missing).
- At most `MAX_ACTIVITIES` activities are tested: those done on the most days (ties by name), so
  the multiplicity family stays small enough to find something.
- The activities are their own family, apart from the person's "what helps me" rows on My cycle
  (the apps cannot share one judge run): under no effect at all the chance of any clear activity
  finding is at most 1 % per person (the seeded simulation in tests/core/selfcare measures it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

import numpy as np

from painmind.core.cycle.helps import what_helps
from painmind.core.cycle.judge import MIN_PAIRS, Evidence, Verdict, judge
from painmind.core.cycle.lags import pairs_from_dense

MAX_ACTIVITIES = 8
OUTCOMES = ("pain", "mood")
HIGHER_IS_BETTER = {"pain": False, "mood": True}
# The kernel estimates from 20 pairs (as insights.analysis); a sentence needs judge.MIN_PAIRS.
KERNEL_MIN_PAIRS = 20

State = Literal["better", "harder", "not_clear", "needs_days", "not_comparable"]


def activity_key(name: str) -> str:
    """The name an activity is compared by: no case, single spaces."""
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class ActivityLink:
    """One activity against one outcome: what may be said about it.

    ``state`` is "better" or "harder" for a clear finding (``text`` says it), "not_clear",
    "needs_days" (``n_more`` pairs of consecutive days short of the minimum) or
    "not_comparable" (done on too few or too many of the days to compare, or no estimate).
    ``estimate``/``low``/``high`` are the shrunk difference in the next day's outcome (points)
    after a day with the activity, against a day without it; None unless judged.
    """

    activity: str
    outcome: str
    days_done: int
    state: State
    n_pairs: int
    n_more: int
    estimate: float | None
    low: float | None
    high: float | None
    text: str


def _fmt(x: float) -> str:
    return f"{abs(x):.1f}"


def _text(activity: str, outcome: str, v: Verdict) -> str:
    if v.estimate is None or v.low is None or v.high is None:
        return ""
    way = "lower" if v.estimate < 0 else "higher"
    near, far = sorted((abs(v.low), abs(v.high)))
    return (
        f"On days when you did “{activity}”, your {outcome} the next day tended to be {way} than after days "
        f"without it (by about {_fmt(v.estimate)} points, likely between {_fmt(near)} and {_fmt(far)} {way}, "
        f"from {v.n_pairs} pairs of days)."
    )


def _grid(
    done: dict[str, set[date]], pain: Mapping[date, float], mood: Mapping[date, float], names: list[str]
) -> np.ndarray:
    """Days × (pain, mood, one 0/1 column per activity), from the first to the last check-in day."""
    checkin_days = sorted({*pain, *mood})
    first, last = checkin_days[0], checkin_days[-1]
    logged = [d for days in done.values() for d in days]
    span = (min(logged), max(logged)) if logged else (last + timedelta(days=1), last)
    n = (last - first).days + 1
    grid = np.full((n, 2 + len(names)), np.nan)
    for i in range(n):
        day = first + timedelta(days=i)
        grid[i, 0] = pain.get(day, np.nan)
        grid[i, 1] = mood.get(day, np.nan)
        if span[0] <= day <= span[1]:
            grid[i, 2:] = [1.0 if day in done[name] else 0.0 for name in names]
    return grid


def _pairs(grid: np.ndarray, outcome: int, factor: int) -> int:
    """Pairs of consecutive days complete for the outcome (both days) and the factor (the first)."""
    y, x = grid[:, outcome], grid[:, factor]
    return int(np.sum(np.isfinite(y[1:]) & np.isfinite(y[:-1]) & np.isfinite(x[:-1])))


def activity_links(
    done: Iterable[tuple[str, date]],
    pain: Mapping[date, float],
    mood: Mapping[date, float],
    *,
    until: date | None = None,
    max_activities: int = MAX_ACTIVITIES,
) -> list[ActivityLink]:
    """Which activities went with better (or harder) next days, for one person.

    Parameters
    ----------
    done : iterable of (name, day)
        Every activity done (behavioural activation), on its local day.
    pain, mood : mapping of day to float
        The daily means of the check-ins (`core.daily.daily_means`); days without are missing.
    until : date, optional
        Use only days up to this one (a week's review as of its Sunday).
    max_activities : int
        How many activities to test (those done on most days).

    Returns
    -------
    list of ActivityLink
        One per tested activity and outcome (pain, then mood), activities done on most days
        first.

    Examples
    --------
    >>> activity_links([], {date(2026, 1, 1): 5.0}, {})
    []
    """
    by_key: dict[str, set[date]] = {}
    spelling: dict[str, str] = {}
    for name, day in sorted(done, key=lambda x: x[1]):
        if until is not None and day > until:
            continue
        key = activity_key(name)
        by_key.setdefault(key, set()).add(day)
        spelling[key] = " ".join(name.split())  # the latest spelling is shown
    if until is not None:
        pain = {d: v for d, v in pain.items() if d <= until}
        mood = {d: v for d, v in mood.items() if d <= until}
    if not by_key or not (pain or mood):
        return []
    counts = Counter({k: len(v) for k, v in by_key.items()})
    names = sorted(counts, key=lambda k: (-counts[k], k))[:max_activities]
    grid = _grid(by_key, pain, mood, names)
    columns = [f"a{j}" for j in range(len(names))]
    panel = pairs_from_dense(grid[None], patient_ids=["p"], variables=[*OUTCOMES, *columns])
    found = {(f.factor, f.outcome): f for f in what_helps(
        panel, outcomes=OUTCOMES, factors=columns, min_pairs=KERNEL_MIN_PAIRS, trend=True
    )[0]}  # fmt: skip
    tests = [(col, name, o) for col, name in zip(columns, names, strict=True) for o in OUTCOMES]
    evidence = []
    for j, (col, _, o) in enumerate(tests):
        f = found.get((col, o))
        if f is None:  # no estimate: too few pairs for the kernel, or nothing to compare
            n = _pairs(grid, OUTCOMES.index(o), 2 + j // len(OUTCOMES))
            evidence.append(Evidence(f"{col}->{o}", False, np.nan, np.nan, np.nan, np.nan, n))
        else:  # what_helps speaks per `per` (1 for an unknown factor); the judge takes per 1
            evidence.append(Evidence(f"{col}->{o}", False, f.coef / f.per, f.se, f.df, f.scale, f.n_pairs))
    verdicts = judge(evidence)
    out = []
    for (_, key, o), v in zip(tests, verdicts, strict=True):
        shown = spelling[key]
        state: State
        text = ""
        n_more = max(MIN_PAIRS - v.n_pairs, 0)
        # Below the minimum nothing may be said whatever the reason: more days are what is missing.
        if v.reason == "needs_pairs" or (v.reason == "not_estimable" and v.n_pairs < MIN_PAIRS):
            state = "needs_days"
        elif v.reason == "not_estimable":
            state, n_more = "not_comparable", 0
        elif v.clear and v.estimate is not None:
            state = "better" if (v.estimate > 0) == HIGHER_IS_BETTER[o] else "harder"
            text = _text(shown, o, v)
        else:
            state = "not_clear"
        n_more = n_more if state == "needs_days" else 0
        out.append(ActivityLink(shown, o, counts[key], state, v.n_pairs, n_more, v.estimate, v.low, v.high, text))
    return out


__all__ = ["MAX_ACTIVITIES", "MIN_PAIRS", "ActivityLink", "activity_key", "activity_links"]
