"""Random-effects estimators over many edges at once: tau**2 (DerSimonian-Laird or REML), HKSJ or Wald."""

from __future__ import annotations

import warnings

import numpy as np
from numpy.typing import NDArray
from scipy import special  # t distribution without importing scipy.stats (slow to import)

__all__ = ["pool_columns"]

FloatArray = NDArray[np.float64]
_MAX_ITER = 100
_MAX_HALVINGS = 30
_RTOL = 1e-10  # convergence of tau**2, relative to tau**2 + the smallest sampling variance
_GRID = 10.0 ** np.arange(-3.0, 7.0, 0.5)  # REML starting values, in units of the smallest sampling variance


def _tau2_dl(y: FloatArray, v: FloatArray, valid: NDArray[np.bool_], n: FloatArray) -> FloatArray:
    w = valid / v
    sw = w.sum(0)
    mu = (w * y).sum(0) / sw
    q = (w * (y - mu) ** 2).sum(0)
    c = sw - (w * w).sum(0) / sw
    tau2: FloatArray = np.maximum(0.0, (q - (n - 1.0)) / c)
    return tau2


def _reml_loglik(y: FloatArray, v: FloatArray, valid: NDArray[np.bool_], tau2: FloatArray) -> FloatArray:
    """Restricted log-likelihood of each column, up to a constant."""
    w = valid / (v + tau2)
    sw = w.sum(0)
    r = y - (w * y).sum(0) / sw
    loglik: FloatArray = -0.5 * (np.log(np.where(valid, v + tau2, 1.0)).sum(0) + np.log(sw) + (w * r * r).sum(0))
    return loglik


def _reml_step(y: FloatArray, v: FloatArray, valid: NDArray[np.bool_], tau2: FloatArray) -> FloatArray:
    # Newton where the restricted likelihood is locally concave, Fisher scoring elsewhere: Fisher
    # scoring alone zig-zags slowly when observed and expected curvature differ (seen at n = 10).
    w = valid / (v + tau2)
    w2 = w * w
    sw, sw2, sw3 = w.sum(0), w2.sum(0), (w2 * w).sum(0)
    r = y - (w * y).sum(0) / sw
    wr2 = w * r * r
    score = 0.5 * ((w * wr2).sum(0) - sw + sw2 / sw)
    expected = 0.5 * (sw2 - 2.0 * sw3 / sw + (sw2 / sw) ** 2)
    observed = (w2 * wr2).sum(0) - (w2 * r).sum(0) ** 2 / sw - expected
    step: FloatArray = score / np.where(observed > 0.0, observed, expected)
    return step


def _tau2_reml(y: FloatArray, v: FloatArray, valid: NDArray[np.bool_], dl: FloatArray) -> FloatArray:
    # The restricted likelihood can be multimodal when sampling variances differ by orders of
    # magnitude, so Newton starts from the best of 0, DL and a log grid, and every step is
    # halved until it does not lower the likelihood: the result is never worse than any start.
    starts = np.vstack([np.zeros_like(dl), dl, np.broadcast_to(_GRID[:, None], (_GRID.size, dl.size))])
    lls = np.stack([_reml_loglik(y, v, valid, start) for start in starts])
    best = lls.argmax(0)[None]
    tau2: FloatArray = np.take_along_axis(starts, best, 0)[0]
    ll = np.take_along_axis(lls, best, 0)[0]
    active = np.ones(tau2.shape, dtype=bool)
    for _ in range(_MAX_ITER):
        new = np.where(active, np.maximum(0.0, tau2 + _reml_step(y, v, valid, tau2)), tau2)
        for _ in range(_MAX_HALVINGS):
            ll_new = _reml_loglik(y, v, valid, new)
            worse = ll_new < ll - 1e-13 * np.abs(ll)
            if not worse.any():
                break
            new = np.where(worse, 0.5 * (tau2 + new), new)
        else:
            new, ll_new = np.where(worse, tau2, new), np.where(worse, ll, ll_new)
        active &= np.abs(new - tau2) > _RTOL * (1.0 + new)
        tau2, ll = new, ll_new
        if not active.any():
            return tau2
    warnings.warn(f"REML did not converge in {_MAX_ITER} iterations for {int(active.sum())} edge(s)", RuntimeWarning, 3)
    return tau2


def pool_columns(
    y: FloatArray, v: FloatArray, valid: NDArray[np.bool_], *, method: str, hartung_knapp: bool, level: float
) -> tuple[dict[str, FloatArray], NDArray[np.int64]]:
    """Pool each column of ``y`` (n, m) over its valid rows: arrays of shape (m,) by name, and n."""
    n = valid.sum(0).astype(np.int64)
    m = n.shape[0]
    out = {key: np.full(m, np.nan) for key in ("estimate", "se", "p", "ci_low", "ci_high", "tau2", "df")}
    cols = n >= 2
    if cols.any():
        ok = valid[:, cols]
        # Work in units of each edge's smallest sampling variance: weights are <= 1 (no overflow for
        # tiny SEs) and tolerances and starting values are scale-free.
        unit = np.where(ok, v[:, cols], np.inf).min(0)
        root = np.sqrt(unit)
        y, v = np.where(ok, y[:, cols], 0.0) / root, np.where(ok, v[:, cols], 1.0) / unit
        nc = n[cols].astype(np.float64)
        tau2 = _tau2_dl(y, v, ok, nc)
        if method == "reml":
            tau2 = _tau2_reml(y, v, ok, tau2)
        w = ok / (v + tau2)
        sw = w.sum(0)
        mu = (w * y).sum(0) / sw
        q = (w * (y - mu) ** 2).sum(0) / (nc - 1.0)
        identical = np.where(ok, y, -np.inf).max(0) == np.where(ok, y, np.inf).min(0)
        scale = np.where(identical, 1.0, q) if hartung_knapp else 1.0
        df = nc - 1.0 if hartung_knapp else np.full(nc.shape, np.inf)  # t with inf df is the normal
        crit = special.stdtrit(df, 1.0 - (1.0 - level) / 2.0)
        se = np.sqrt(scale / sw)
        p = 2.0 * special.stdtr(df, -np.abs(mu / se))
        mu, se = mu * root, se * root
        values = {"estimate": mu, "se": se, "p": p, "ci_low": mu - crit * se, "ci_high": mu + crit * se}
        values |= {"tau2": tau2 * unit, "df": df}
        for key, value in values.items():
            out[key][cols] = value
    return out, n
