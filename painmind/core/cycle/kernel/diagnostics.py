"""Per-patient diagnostics of a fit, batched: near-constant variables, spectral radius, Ljung-Box.

- **Near-constant variables** (a project rule, docs/cycle.md "Guards"): over the values that enter
  the fit as "today" (the current side of the valid pairs), a scale with fewer than
  ``NEAR_CONSTANT_DISTINCT`` different values or one value on at least ``NEAR_CONSTANT_SHARE`` of
  them; a variable with exactly two values (a 0/1 habit) when the rarer one is on fewer than
  ``BINARY_RARER_SHARE`` of them; a single value always.  Such a variable
  makes the patient ``not_estimable`` (analytics-reference.md section 1, item 6: flag low-variance
  items; an OLS slope on a variable that moved on two days describes those two days).
- **Spectral radius** of the estimated lag-1 coefficient matrix B (largest |eigenvalue|): the
  VAR(1) is stationary iff it is < 1.  At or above 1 the fit is kept but flagged ``non_stationary``.
- **Residual autocorrelation** at lags 1..``RESID_LAGS`` per equation, Ljung-Box.  Residuals are
  paired exactly as the data are: the residual of the pair ending at slot t with that of the pair
  ending at slot t - h, both valid (and, with several prompts a day, on the same day); pairs in
  between need not be valid, and a residual is never paired with "the previous available one".
  With n residuals, S_h the sum of the n_h available products e_t e_{t-h} and S_0 = sum e_t^2,
  ``Q = sum_h (n + 2) n / n_h (S_h / S_0)^2`` over the lags with n_h > 0, chi-squared with that
  many df.  On a series without gaps n_h = n - h and this is exactly the Ljung-Box Q of
  statsmodels' ``acorr_ljungbox`` (``model_df=0``; tested).  With gaps each autocorrelation is
  scaled to its own number of products (its variance is about 1 / n_h).  The residuals of a
  regression on the lagged outcome make the test conservative at lag 1; it is a flag, not a proof
  of white noise.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy import special

__all__ = [
    "BINARY_RARER_SHARE",
    "LB_ALPHA",
    "NEAR_CONSTANT_DISTINCT",
    "NEAR_CONSTANT_SHARE",
    "RESID_LAGS",
    "ljung_box",
    "ljung_box_q",
    "near_constant",
    "near_constant_words",
    "spectral_radius",
    "spread",
]

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
NEAR_CONSTANT_DISTINCT = 3  # fewer different values than this: near-constant
NEAR_CONSTANT_SHARE = 0.9  # one value on at least this share of the days: near-constant
BINARY_RARER_SHARE = 0.1  # exactly two values: near-constant when the rarer is on less than this share
RESID_LAGS = 2
LB_ALPHA = 0.05  # residual_autocorrelation when an equation's p < LB_ALPHA / k (Bonferroni over equations)


def spread(y: FloatArray, m: NDArray[np.int64]) -> tuple[FloatArray, FloatArray]:
    """Different values, and the commonest value's share where it is >= ``NEAR_CONSTANT_SHARE`` (else
    NaN), per patient and variable (c, k).

    `y` (c, k, W): each patient's series, NaN where there is none (sorted in place); ``m`` (c,): the
    number of finite values (the same in every series of a patient).  One sort per series: NaN sort
    last, so the W - m comparisons that involve one all count as changes and are taken off.  A value
    on at least r = ceil(0.9 m) of the m values fills a run of r sorted places, and every such run
    covers place m - r; so that place holds the only candidate, and its count is one comparison.
    """
    y.sort(axis=-1)
    w = y.shape[-1]
    change = np.not_equal(y[..., 1:], y[..., :-1])
    distinct = change.sum(axis=-1, dtype=np.float64)
    distinct += (m + 1 - w)[:, None]  # 1 + changes - (W - m)
    r = -(-9 * m // 10)  # ceil(0.9 m) in integers
    cand = np.take_along_axis(y, np.maximum(m - r, 0)[:, None, None], axis=-1)  # (c, k, 1)
    count = np.equal(y, cand).sum(axis=-1, dtype=np.float64)
    share = np.where(count >= r[:, None], count / m[:, None], np.nan)
    return distinct, share


def _rarer(share: FloatArray, m: NDArray[np.int64]) -> NDArray[np.int64]:
    """Values not the commonest, in whole numbers (c, k), where `share` (count / m) is known."""
    mm = m[:, None].astype(np.float64)
    return np.asarray(mm - np.rint(np.nan_to_num(share, nan=0.0) * mm), dtype=np.int64)


def near_constant(distinct: FloatArray, share: FloatArray, m: NDArray[np.int64]) -> NDArray[np.bool_]:
    """Near-constant (c, k) from :func:`spread`'s output and the m values per patient (c,).

    One value; two values with the rarer on fewer than ``BINARY_RARER_SHARE`` of the m (compared in
    whole numbers, so 5 of 50 is exactly 10 % and passes); three or more with one value on at least
    ``NEAR_CONSTANT_SHARE`` of them.  With two values the rarer is under 10 % only if the commonest is
    over 90 %, so `share` (reported from 90 %) is known wherever it matters.
    """
    binary = distinct == 2
    rare = np.asarray(_rarer(share, m) < BINARY_RARER_SHARE * m[:, None]) & ~np.isnan(share)
    return np.asarray((distinct < 2) | np.where(binary, rare, (distinct >= NEAR_CONSTANT_DISTINCT) & ~np.isnan(share)))


def near_constant_words(
    variables: tuple[str, ...], distinct: FloatArray, share: FloatArray, m: NDArray[np.int64], unit: str
) -> list[tuple[int, str]]:
    """(patient index, plain words) for every patient with a near-constant variable (rows of c)."""
    near = near_constant(distinct, share, m)
    out = []
    for i in np.flatnonzero(near.any(axis=1)):
        parts = []
        for j in np.flatnonzero(near[i]):
            if distinct[i, j] == 1:
                parts.append(f"{variables[j]} barely varies (one value)")
            elif distinct[i, j] == 2:
                rarer = 100 * _rarer(share[i : i + 1, j : j + 1], m[i : i + 1])[0, 0] / m[i]
                parts.append(f"{variables[j]} barely varies (the rarer of its two values on {rarer:.0f} % of {unit})")
            else:
                parts.append(f"{variables[j]} barely varies (the same value on {100 * share[i, j]:.0f} % of {unit})")
        out.append((int(i), "; ".join(parts)))
    return out


def spectral_radius(b: FloatArray) -> FloatArray:
    """max |eigenvalue| of each (k, k) matrix of b (c, k, k); finite input only."""
    if len(b) == 0:
        return np.empty(0)
    return np.asarray(np.abs(np.linalg.eigvals(b)).max(axis=-1), dtype=np.float64)


def ljung_box(
    e: FloatArray, ok: BoolArray, partners: list[list[tuple[int, BoolArray | None]]]
) -> tuple[FloatArray, FloatArray]:
    """Ljung-Box Q and its p-value per patient and equation (c, k) from residuals e (c, W, k).

    ``e`` is zero where ``ok`` (c, W) is False.  ``partners[h - 1]`` lists, for lag h, the offsets o
    at which row t - o may hold the residual h steps back, each with a mask (c, W - o) of the rows
    t where it does (None: wherever both rows are ok).  NaN where no lag has a product.
    """
    n = ok.sum(axis=1).astype(np.float64)
    s0 = np.einsum("cwk,cwk->ck", e, e)
    sums = []
    for offsets in partners:
        sh, nh = np.zeros(s0.shape), np.zeros(len(n))
        for o, mask in offsets:
            both = ok[:, o:] & ok[:, :-o]
            late = e[:, o:]
            if mask is not None:
                both &= mask
                late = late * mask[:, :, None]
            sh += np.einsum("cwk,cwk->ck", late, e[:, :-o])  # e is 0 where not ok
            nh += both.sum(axis=1)
        sums.append((sh, nh))
    return ljung_box_q(n, s0, sums)


def ljung_box_q(
    n: FloatArray, s0: FloatArray, sums: list[tuple[FloatArray, FloatArray]]
) -> tuple[FloatArray, FloatArray]:
    """Q and p (c, k) from n residuals (c,), S_0 (c, k) and, per lag, (S_h (c, k), n_h (c,))."""
    q = np.zeros(s0.shape)
    df = np.zeros(len(n))
    for sh, nh in sums:
        has = nh > 0
        with np.errstate(divide="ignore", invalid="ignore"):
            term = ((n + 2) * n / np.where(has, nh, 1.0))[:, None] * np.square(sh / s0)
        q += np.where(has[:, None], term, 0.0)
        df += has
    p = special.chdtrc(np.broadcast_to(df[:, None], q.shape), q)
    none = df == 0
    q[none], p[none] = np.nan, np.nan
    return q, np.asarray(p, dtype=np.float64)
