"""Small batched statistics for the cycle kernel: BH q-values, t p-values, SPD inverses."""

from __future__ import annotations

import functools
import math

import numpy as np
from numpy.typing import NDArray
from scipy import special

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
# Collinear: a regressor's tolerance 1 - R^2 on the other regressors <= this (a variance inflation
# factor of 1e10; beyond it the standard errors have no trustworthy digits).
COLLINEAR_TOLERANCE = 1e-10
_P_NODES = 2048  # interpolation nodes for p-values (for df <= 200; more above)


def bh_qvalues(p: FloatArray) -> FloatArray:
    """Benjamini-Hochberg q-values along the last axis; NaN entries are left out and stay NaN.

    >>> bh_qvalues(np.array([[0.01, 0.04, 0.03, np.nan]])).round(3).tolist()
    [[0.03, 0.04, 0.04, nan]]
    """
    order = np.argsort(p, axis=-1)  # NaN sorts last
    ps = np.take_along_axis(p, order, axis=-1)
    m = (~np.isnan(p)).sum(axis=-1, keepdims=True)
    q = ps * m / np.arange(1, p.shape[-1] + 1)
    q = np.fmin.accumulate(q[..., ::-1], axis=-1)[..., ::-1]  # fmin passes over the NaN tail
    np.minimum(q, 1.0, out=q)
    out = np.empty_like(q)
    np.put_along_axis(out, order, q, axis=-1)
    return out


@functools.lru_cache(maxsize=512)
def _p_table(df: float) -> tuple[FloatArray, int, int]:
    """Cubic coefficients of f(v) = log p - (df/2) log(df / (df + t^2)) on v = |t| / sqrt(df + t^2).

    p is the two-sided t p-value I_x(df/2, 1/2), x = df / (df + t^2), and f is analytic on
    [0, 1] (p / x^(df/2) is smooth and positive), so cubic interpolation on a uniform grid
    is accurate to < 1e-10 relative (tested against scipy); nodes grow as sqrt(df) because
    the scale of f in v shrinks as 1/sqrt(df).  Nodes where p underflows are cut off; beyond
    them :func:`_t_pvalue` falls back to ``scipy.special.stdtr``.
    """
    n = int(_P_NODES * max(1.0, math.sqrt(df / 200)))
    v = np.arange(n + 1) / n
    with np.errstate(divide="ignore", invalid="ignore"):
        t = v * np.sqrt(df) / np.sqrt(1 - v * v)
        f = np.log(2 * special.stdtr(df, -t)) - df / 2 * np.log1p(-v * v)
    f[n] = -math.log(df / 2) - special.betaln(df / 2, 0.5)  # limit x -> 0: p ~ x^a / (a B(a, 1/2))
    valid = np.isfinite(f) & (np.abs(f) < 600)
    last = n if valid.all() else int(np.argmin(valid)) - 1
    f = f[: last + 1]
    # Cubic extrapolation one node past each end, so every interval has its 4-node window.
    before, after = 4 * f[0] - 6 * f[1] + 4 * f[2] - f[3], 4 * f[-1] - 6 * f[-2] + 4 * f[-3] - f[-4]
    f = np.concatenate([[before], f, [after, after]])
    fm, f0, f1, f2 = f[:-3], f[1:-2], f[2:-1], f[3:]  # Lagrange cubic through nodes -1, 0, 1, 2
    coef = np.stack([f0, f1 - f0 / 2 - fm / 3 - f2 / 6, (fm + f1) / 2 - f0, (f2 - fm) / 6 + (f0 - f1) / 2], axis=1)
    return np.ascontiguousarray(coef.T).T, n, (n if last == n else last - 1)  # columns contiguous for np.take


@functools.lru_cache(maxsize=64)
def _p_tables(dfs: tuple[float, ...]) -> tuple[FloatArray, IntArray, FloatArray, IntArray, IntArray]:
    """The :func:`_p_table` of each df in `dfs`, end to end: coefficient rows (4, total), each
    table's start, node count n, cut-off and last interval (both relative to its start)."""
    tables = [_p_table(d) for d in dfs]
    coef = np.ascontiguousarray(np.concatenate([c for c, _, _ in tables]).T)
    sizes = np.array([len(c) for c, _, _ in tables], dtype=np.int64)
    start = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    nodes = np.array([n for _, n, _ in tables], dtype=np.float64)
    cut = np.array([c for _, _, c in tables], dtype=np.int64)
    return coef, start, nodes, cut, sizes - 1


@np.errstate(over="ignore", divide="ignore", under="ignore")
def _t_pvalue(t: FloatArray, df: FloatArray) -> FloatArray:
    """Two-sided p = 2 * stdtr(df, -|t|) for t (w, ...) and per-row df (w,), to ~1e-10 relative."""
    values, index = np.unique(df, return_inverse=True)
    coef, start, nodes, cuts, lasts = _p_tables(tuple(values.tolist()))
    shape = (len(df),) + (1,) * (t.ndim - 1)
    dfr = df.reshape(shape)
    x2 = np.square(t)
    pos = dfr / x2
    pos += 1
    np.sqrt(pos, out=pos)
    np.divide(nodes[index].reshape(shape), pos, out=pos)  # v * n, right for t = 0 and |t| = inf too
    i = pos.astype(np.int64)
    np.minimum(i, lasts[index].reshape(shape), out=i)
    pos -= i  # now the offset within the interval
    far = i >= cuts[index].reshape(shape)  # p below ~1e-260: rare, computed directly
    i += start[index].reshape(shape)
    g = np.take(coef[3], i)  # Horner, in place
    for j in (2, 1, 0):
        g *= pos
        g += np.take(coef[j], i)
    x2 /= dfr
    np.log1p(x2, out=x2)
    x2 *= dfr / 2
    g -= x2
    p: FloatArray = np.exp(g, out=g)
    if far.any():
        p[far] = 2 * special.stdtr(np.broadcast_to(dfr, t.shape)[far], -np.abs(t[far]))
    return p


def _spd_inv(r: FloatArray) -> tuple[FloatArray, NDArray[np.bool_]]:
    """Batched inverse of correlation matrices r (w, p, p) by Cholesky, element-wise over the batch.

    Where a variance inflation factor exceeds 1e6 (or a pivot is not positive) the inverse is
    redone by :func:`_safe_inv` (LU), so the collinearity checks see exactly what they did.
    """
    w, p = r.shape[0], r.shape[1]
    a = np.ascontiguousarray(r.transpose(1, 2, 0))  # (p, p, w): the batch runs along the last axis
    low = np.zeros_like(a)  # Cholesky factor L, column by column
    for j in range(p):
        d = a[j, j] - np.einsum("kw,kw->w", low[j, :j], low[j, :j])
        low[j, j] = np.sqrt(d)
        if j + 1 < p:
            low[j + 1 :, j] = (a[j + 1 :, j] - np.einsum("ikw,kw->iw", low[j + 1 :, :j], low[j, :j])) / low[j, j]
    m = np.zeros_like(a)  # L^-1 (lower triangular)
    for i in range(p):
        m[i, i] = 1.0 / low[i, i]
        for j in range(i):
            m[i, j] = -np.einsum("kw,kw->w", low[i, j:i], m[j:i, j]) * m[i, i]
    inv = np.einsum("kiw,kjw->wij", m, m)  # L^-T L^-1
    redo = np.flatnonzero(~(1.0 / np.diagonal(inv, axis1=1, axis2=2).max(axis=1) >= 1e-6))
    singular = np.zeros(w, dtype=bool)
    if len(redo):
        inv[redo], singular[redo] = _safe_inv(r[redo])
    return inv, singular


def _safe_inv(r: FloatArray) -> tuple[FloatArray, NDArray[np.bool_]]:
    """Batched inverse; exactly singular matrices are flagged and inverted as identity."""
    try:
        return np.asarray(np.linalg.inv(r), dtype=np.float64), np.zeros(len(r), dtype=bool)
    except np.linalg.LinAlgError:
        # Rare (exact collinearity): find the culprits by their smallest eigenvalue, then retry.
        singular = np.asarray(np.linalg.eigvalsh(r)[:, 0] <= COLLINEAR_TOLERANCE)
        return np.asarray(
            np.linalg.inv(np.where(singular[:, None, None], np.eye(r.shape[-1]), r)), np.float64
        ), singular
