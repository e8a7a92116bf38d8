"""Random-effects estimators over many edges at once: tau**2 (DerSimonian-Laird or REML), HKSJ or Wald."""

from __future__ import annotations

import warnings

import numpy as np
from numpy.typing import NDArray
from scipy import special  # t distribution without importing scipy.stats (slow to import)

from painmind.core.cycle.cohort._parallel import THREADS, parallel_map

__all__ = ["pool_columns"]

FloatArray = NDArray[np.float64]
_MAX_ITER = 100
_MAX_HALVINGS = 30
_RTOL = 1e-10  # convergence of tau**2, relative to tau**2 + the smallest sampling variance
_PIECE = 1 << 15  # entries per piece of the REML passes: the temporaries stay in cache
_BINNED_FROM = 2048  # entries per edge above which the grid of starts is ranked on binned data
_SPLIT_FROM = 1 << 18  # entries from which the edges are pooled in groups, one per shared thread
_GRID = 10.0 ** np.arange(-3.0, 7.0, 0.5)  # REML starting values, in units of the smallest sampling variance


def _tau2_dl(y: FloatArray, v: FloatArray, valid: NDArray[np.bool_], n: FloatArray) -> FloatArray:
    w = valid / v
    sw = w.sum(0)
    mu = (w * y).sum(0) / sw
    q = (w * (y - mu) ** 2).sum(0)
    c = sw - (w * w).sum(0) / sw
    tau2: FloatArray = np.maximum(0.0, (q - (n - 1.0)) / c)
    return tau2


def _reml_eval_rows(
    y: FloatArray, w0: FloatArray, logv: FloatArray, tau2: FloatArray
) -> tuple[FloatArray, FloatArray]:  # fmt: skip
    """Restricted log-likelihood (up to a constant) and the Newton/Fisher step at ``tau2``, per row.

    Rows are edges (``y``, ``w0 = 1 / v`` of shape (m, n), 0 where an entry is left out; ``logv`` the
    sum of ``log v`` over a row's valid entries), so one pass gives both: ``log(v + tau2) = log v +
    log(1 + tau2 / v)`` and ``w = w0 / (1 + tau2 w0)``.
    """
    x = 1.0 + tau2[:, None] * w0
    w = w0 / x
    sw = w.sum(1)
    r = y - (w * y).sum(1)[:, None] / sw[:, None]
    wr2 = w * r * r
    loglik: FloatArray = -0.5 * (logv + np.log(x).sum(1) + np.log(sw) + wr2.sum(1))
    # Newton where the restricted likelihood is locally concave, Fisher scoring elsewhere: Fisher
    # scoring alone zig-zags slowly when observed and expected curvature differ (seen at n = 10).
    w2 = w * w
    sw2, sw3 = w2.sum(1), (w2 * w).sum(1)
    score = 0.5 * ((w * wr2).sum(1) - sw + sw2 / sw)
    expected = 0.5 * (sw2 - 2.0 * sw3 / sw + (sw2 / sw) ** 2)
    observed = (w2 * wr2).sum(1) - (w2 * r).sum(1) ** 2 / sw - expected
    step: FloatArray = score / np.where(observed > 0.0, observed, expected)
    return loglik, step


def _reml_eval(
    y: FloatArray, w0: FloatArray, logv: FloatArray, tau2: FloatArray
) -> tuple[FloatArray, FloatArray]:  # fmt: skip
    """:func:`_reml_eval_rows` on pieces of about ``_PIECE`` entries (in cache; on the shared threads)."""
    m, n = y.shape
    step = max(1, _PIECE // max(n, 1))
    pieces = [slice(i, i + step) for i in range(0, m, step)]
    parts = parallel_map(lambda s: _reml_eval_rows(y[s], w0[s], logv[s], tau2[s]), pieces)
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def _binned_loglik(y: FloatArray, v: FloatArray, valid: NDArray[np.bool_], tau2: FloatArray) -> FloatArray:
    """An approximation of the restricted log-likelihood of each column at each ``tau2`` (shape (m, g)).

    ``y``, ``v``, ``valid`` as in :func:`pool_columns`, shape (n, m), ``v >= 1`` (units of the smallest
    valid variance of the column; 1 where not valid).  Used only to rank the grid of starting values:
    entries are grouped by their sampling variance (bins 1/512 wide relative to v, from the float's
    exponent and mantissa), each bin standing for its entries at their mean v, so the grid costs a few
    operations per bin rather than per entry.  The chosen starts are then evaluated exactly.
    """
    m = y.shape[1]
    mant, expo = np.frexp(v)  # v >= 1: expo >= 1
    key = (expo - 1).astype(np.int64) * 512 + (mant * 1024.0).astype(np.int64) - 512
    size = int(key.max()) + 1
    flat = (key * m + np.arange(m)).ravel()  # bin-major, so the layout stays (n, m)
    keep = valid.ravel().astype(np.float64)
    every = bool(valid.all())  # then no weighting by keep
    yc = y - (np.where(valid, y, 0.0).sum(0) / valid.sum(0))  # centred: no cancellation below
    count = np.bincount(flat, weights=None if every else keep, minlength=m * size).reshape(size, m).T
    sums = [
        np.bincount(flat, weights=z.ravel() if every else z.ravel() * keep, minlength=m * size).reshape(size, m).T
        for z in (v, yc, yc * yc)
    ]
    vbar = sums[0] / np.maximum(count, 1.0)
    out = np.empty((m, len(tau2)))
    for i, t in enumerate(tau2):
        d = vbar + t
        w = np.where(count > 0, 1.0 / d, 0.0)
        sw = (count * w).sum(1)
        swy, swy2 = (w * sums[1]).sum(1), (w * sums[2]).sum(1)
        out[:, i] = -0.5 * ((count * np.log(np.where(count > 0, d, 1.0))).sum(1) + np.log(sw) + swy2 - swy**2 / sw)
    return out


def _tau2_reml(y: FloatArray, v: FloatArray, valid: NDArray[np.bool_], dl: FloatArray) -> FloatArray:
    """REML tau**2 of each column (y, v, valid of shape (n, m), in units of the column's smallest v).

    The restricted likelihood can be multimodal when sampling variances differ by orders of
    magnitude, so Newton starts from the best of 0, DL and a log grid (with more than
    ``_BINNED_FROM`` entries per edge the grid is ranked by :func:`_binned_loglik` and its best two
    values evaluated exactly), and every step is halved until it does not lower the likelihood: the
    result is never worse than the starts evaluated exactly.
    """
    yt = np.ascontiguousarray(np.where(valid, y, 0.0).T)
    w0 = np.ascontiguousarray(np.where(valid, 1.0 / v, 0.0).T)
    logv = np.where(valid, np.log(v), 0.0).sum(0)
    m = len(dl)
    if len(y) > _BINNED_FROM:
        ranked = np.argsort(-_binned_loglik(y, v, valid, _GRID), axis=1, kind="stable")[:, :2]
        starts = np.vstack([np.zeros(m), dl, _GRID[ranked].T])
    else:  # few entries per edge: the whole grid, exactly
        starts = np.vstack([np.zeros(m), dl, np.broadcast_to(_GRID[:, None], (_GRID.size, m))])
    evals = [_reml_eval(yt, w0, logv, start) for start in starts]
    lls = np.stack([e[0] for e in evals])
    best = lls.argmax(0)
    cols = np.arange(m)
    tau2: FloatArray = starts[best, cols]
    ll = lls[best, cols]
    step = np.stack([e[1] for e in evals])[best, cols]
    active = np.ones(m, dtype=bool)
    for _ in range(_MAX_ITER):
        rows = np.flatnonzero(active)
        t0, l0 = tau2[rows], ll[rows]
        new = np.maximum(0.0, t0 + step[rows])
        ll_new, step_new = _reml_eval(yt[rows], w0[rows], logv[rows], new)
        for _ in range(_MAX_HALVINGS):
            worse = ll_new < l0 - 1e-13 * np.abs(l0)
            if not worse.any():
                break
            new = np.where(worse, 0.5 * (t0 + new), new)
            redo = np.flatnonzero(worse)
            ll_new[redo], step_new[redo] = _reml_eval(yt[rows[redo]], w0[rows[redo]], logv[rows[redo]], new[redo])
        else:
            new, ll_new = np.where(worse, t0, new), np.where(worse, l0, ll_new)
        active[rows] = np.abs(new - t0) > _RTOL * (1.0 + new)
        tau2[rows], ll[rows], step[rows] = new, ll_new, step_new
        if not active.any():
            return tau2
    warnings.warn(f"REML did not converge in {_MAX_ITER} iterations for {int(active.sum())} edge(s)", RuntimeWarning, 3)
    return tau2


def pool_columns(
    y: FloatArray, v: FloatArray, valid: NDArray[np.bool_], *, method: str, hartung_knapp: bool, level: float
) -> tuple[dict[str, FloatArray], NDArray[np.int64]]:
    """Pool each column of ``y`` (n, m) over its valid rows: arrays of shape (m,) by name, and n.

    Every step is column by column, so with many entries the columns go in groups on the shared
    threads (the REML passes inside a group then run on its thread): the same numbers, and the
    element-wise work that one thread did alone is shared.
    """
    m = y.shape[1]
    if m < 2 or y.size < _SPLIT_FROM or THREADS < 2:
        return _pool(y, v, valid, method=method, hartung_knapp=hartung_knapp, level=level)
    groups = [slice(c[0], c[-1] + 1) for c in np.array_split(np.arange(m), min(THREADS, m))]
    parts = parallel_map(
        lambda c: _pool(y[:, c], v[:, c], valid[:, c], method=method, hartung_knapp=hartung_knapp, level=level),
        groups,
    )
    out = {key: np.concatenate([part[0][key] for part in parts]) for key in parts[0][0]}
    return out, np.concatenate([part[1] for part in parts])


def _pool(
    y: FloatArray, v: FloatArray, valid: NDArray[np.bool_], *, method: str, hartung_knapp: bool, level: float
) -> tuple[dict[str, FloatArray], NDArray[np.int64]]:
    """:func:`pool_columns` on one thread."""
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
