"""What a person may be told about their own diary: which findings are "clear".

A finding is one lagged association a page could put into words: the two arrows of the
pain–mood cycle (pain → next day's mood, mood → next day's pain) and every "what helps" row
(a factor → next day's pain or mood). The rule (docs/cycle.md "When a finding is clear"; chosen
by the seeded simulations in tests/core/cycle/test_judge.py, larger runs in
benchmarks/judge.py):

1. **Detrended.** The estimates come from fits with a per-person linear time trend
   (analytics-reference §1 item 4): a steady improvement under treatment is not a cross-lag.
2. **At least `MIN_PAIRS` pairs** of consecutive days behind a finding before any directional
   sentence (analytics-reference §1 items 7 and 10: SE ≈ 0.10 at T = 90); below it, how many
   more pairs are needed.
3. **Shrunk.** Each estimate is shrunk toward a prior on the standardized scale: the site's
   cohort (pooled mean and between-person SD of that finding) when one is supplied, otherwise a
   sceptical `PRIOR_SD` around zero — literature cross-lags are ≈ 0–0.1 SD (analytics-reference
   §2.1, §2.3) — so a lucky estimate from a short diary is not shown at several times its size.
   The interval shown is the shrunk one.
4. **Multiplicity across everything shown to the person.** Two families, Bonferroni between them
   so that the chance of *any* clear finding under no effect at all is at most 5 %: the two
   pre-registered cycle arrows (analytics-reference §1 item 9) with Holm at `PRIMARY_ALPHA`, and
   every "what helps" row with Holm at `EXPLORATORY_ALPHA`.

The numbers in rules 2–4 are project rules (docs/cycle.md), not published thresholds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import special  # t distribution without importing scipy.stats (slow to import)

FloatArray = NDArray[np.float64]

MIN_PAIRS = 50
PRIOR_SD = 0.25  # standardized units (effect × SD(predictor) / SD(outcome))
PRIMARY_ALPHA = 0.04
EXPLORATORY_ALPHA = 0.01
INTERVAL = 0.95


@dataclass(frozen=True)
class Evidence:
    """One candidate finding for one person, as the kernel estimated it (raw units).

    ``scale`` converts the raw coefficient to the standardized one (SD of the predictor over SD
    of the outcome, within the person); ``primary`` marks the two cycle arrows.
    """

    key: str
    primary: bool
    coef: float
    se: float
    df: float
    scale: float
    n_pairs: int


@dataclass(frozen=True)
class Verdict:
    """What may be said: the shrunk estimate and its 95 % interval (raw units), whether the
    finding is clear, and, when it cannot be judged, why (``reason``) and ``n_more`` pairs."""

    key: str
    estimate: float | None
    low: float | None
    high: float | None
    clear: bool
    reason: str | None  # None | "needs_pairs" | "not_estimable"
    n_more: int
    n_pairs: int


def holm(p: FloatArray, alpha: float) -> NDArray[np.bool_]:
    """Holm's step-down test along the last axis; NaN p-values are not tests (never rejected).

    >>> holm(np.array([[0.01, 0.04, np.nan]]), 0.05).tolist()  # thresholds 0.025, then 0.05
    [[True, True, False]]
    >>> holm(np.array([[0.03, 0.04]]), 0.05).tolist()  # 0.03 > 0.025: the step-down stops
    [[False, False]]
    """
    p = np.asarray(p, dtype=np.float64)
    tested = ~np.isnan(p)
    filled = np.where(tested, p, np.inf)
    order = np.argsort(filled, axis=-1, kind="stable")
    ranked = np.take_along_axis(filled, order, axis=-1)
    m = tested.sum(axis=-1, keepdims=True)
    steps = np.arange(p.shape[-1])
    thresholds = alpha / np.maximum(m - steps, 1)
    passed = np.cumprod(ranked <= thresholds, axis=-1).astype(bool)
    out = np.zeros(p.shape, dtype=bool)
    np.put_along_axis(out, order, passed, axis=-1)
    return out & tested


def judge_arrays(
    coef: FloatArray,
    se: FloatArray,
    df: FloatArray,
    scale: FloatArray,
    *,
    n_pairs: NDArray[np.int64],
    primary: NDArray[np.bool_],
    prior_mean: FloatArray | float = 0.0,
    prior_sd: FloatArray | float = PRIOR_SD,
    min_pairs: int = MIN_PAIRS,
) -> tuple[FloatArray, FloatArray, FloatArray, NDArray[np.bool_]]:
    """The rule on arrays of shape (people, findings): ``(estimate, low, high, clear)`` in raw units.

    `prior_mean` and `prior_sd` are on the standardized scale (a number, or one per finding).
    A finding with fewer than `min_pairs` pairs, or without an estimate, gets NaN and is never
    clear; it does not count as a test in its family.
    """
    coef, se, df, scale = (np.asarray(a, dtype=np.float64) for a in (coef, se, df, scale))
    usable = np.isfinite(coef) & np.isfinite(se) & (se > 0) & np.isfinite(scale) & (scale > 0)
    usable &= np.asarray(n_pairs) >= min_pairs
    b = np.where(usable, coef * scale, np.nan)
    s = np.where(usable, se * scale, np.nan)
    tau2 = np.broadcast_to(np.asarray(prior_sd, dtype=np.float64) ** 2, b.shape)
    weight = tau2 / (tau2 + s**2)  # normal prior x normal likelihood
    mean = weight * b + (1 - weight) * np.asarray(prior_mean, dtype=np.float64)
    sd = np.sqrt(weight) * s
    p = 2 * special.stdtr(np.where(usable, df, 1.0), -np.abs(mean / sd))
    p = np.where(usable, p, np.nan)
    prim = np.broadcast_to(np.asarray(primary, dtype=bool), b.shape)
    clear = np.where(prim, holm(np.where(prim, p, np.nan), PRIMARY_ALPHA), False)
    clear |= np.where(~prim, holm(np.where(~prim, p, np.nan), EXPLORATORY_ALPHA), False)
    half = special.stdtrit(np.where(usable, df, 1.0), 0.5 + INTERVAL / 2) * sd
    with np.errstate(invalid="ignore", divide="ignore"):
        est, low, high = mean / scale, (mean - half) / scale, (mean + half) / scale
    return est, low, high, clear


def judge(
    evidence: Sequence[Evidence],
    *,
    prior: Mapping[str, tuple[float, float]] | None = None,
    min_pairs: int = MIN_PAIRS,
) -> list[Verdict]:
    """One person's findings judged together (the multiplicity families span all of them).

    `prior` maps a finding's key to the site cohort's (mean, between-person SD) on the
    standardized scale; keys without one use the sceptical default (0, `PRIOR_SD`).
    """
    if not evidence:
        return []
    prior = prior or {}
    means = np.array([prior.get(e.key, (0.0, PRIOR_SD))[0] for e in evidence])
    sds = np.array([prior.get(e.key, (0.0, PRIOR_SD))[1] for e in evidence])

    def row(attr: str) -> FloatArray:
        return np.array([[getattr(e, attr) for e in evidence]], dtype=np.float64)

    n_pairs = np.array([[e.n_pairs for e in evidence]], dtype=np.int64)
    primary = np.array([[e.primary for e in evidence]])
    est, low, high, clear = judge_arrays(
        row("coef"), row("se"), row("df"), row("scale"), n_pairs=n_pairs, primary=primary,
        prior_mean=means[None], prior_sd=sds[None], min_pairs=min_pairs,
    )  # fmt: skip
    out = []
    for j, e in enumerate(evidence):
        if not np.isfinite([e.coef, e.se, e.scale]).all() or e.se <= 0 or e.scale <= 0:
            out.append(Verdict(e.key, None, None, None, False, "not_estimable", 0, e.n_pairs))
        elif e.n_pairs < min_pairs:
            out.append(Verdict(e.key, None, None, None, False, "needs_pairs", min_pairs - e.n_pairs, e.n_pairs))
        else:
            v = (float(est[0, j]), float(low[0, j]), float(high[0, j]))
            out.append(Verdict(e.key, *v, bool(clear[0, j]), None, 0, e.n_pairs))
    return out
