"""Small batched statistics for the cycle kernel: BH q-values, t p-values, SPD inverses."""

from __future__ import annotations

import functools
import math
import threading
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray
from scipy import special

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
# Collinear: a regressor's tolerance 1 - R^2 on the other regressors <= this (a variance inflation
# factor of 1e10; beyond it the standard errors have no trustworthy digits).
COLLINEAR_TOLERANCE = 1e-10
_P_NODES = 2048  # interpolation nodes for p-values (for df <= 200; more above)
P_SLICE = 1024  # patients per slice of the p-value work (its arrays stay in cache)
_MAX_TABLES = 1024  # p-value tables kept, one per df value (~70 KB each up to df = 200)


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


def bh_complete(p: FloatArray) -> FloatArray:
    """:func:`bh_qvalues` of sets of p-values without NaN, patients last: p (m <= 64, w) -> q (m, w).

    Each set is ranked by one integer sort: a p-value >= 0 orders as its bit pattern, whose 6
    lowest bits are swapped for its index (so values within 2^-46 of each other may rank either
    way; their q-values then agree to that precision).  The step-up minimum runs down the ranks:
    m element-wise steps over all sets at once.
    """
    m, w = p.shape
    keys = np.bitwise_and(p.T.view(np.int64), ~np.int64(63), order="C")  # (w, m)
    keys |= np.arange(m, dtype=np.int64)
    keys.sort(axis=1)
    keys &= 63  # index by rank
    keys *= w
    keys += np.arange(w)[:, None]  # flat positions in p
    q = np.take(p, keys).T.copy()  # (m, w): the r-th smallest p of every set
    q *= (m / np.arange(1, m + 1))[:, None]
    np.minimum(q[m - 1], 1.0, out=q[m - 1])
    for r in range(m - 2, -1, -1):
        np.minimum(q[r], q[r + 1], out=q[r])
    out = np.empty((m, w))
    out.reshape(m * w)[keys] = q.T
    return out


def bh_families(p: FloatArray) -> FloatArray:
    """BH q-values of a patient's lagged coefficients p (k, k, w), patients last, in two families.

    The cross-lags (to != from, k(k-1) tests) form one family and the autoregressive terms (the
    diagonal, k tests) another: the AR terms are nearly always non-null, and ranking them with the
    cross-lags would loosen the threshold for the cross-lags (analytics-reference.md section 1, item 9:
    BH within patient over the exploratory edges).  The AR terms get BH among themselves.
    """
    k, _, w = p.shape
    flat = p.reshape(k * k, w)
    diag = np.arange(k) * (k + 1)
    cross = np.setdiff1d(np.arange(k * k), diag)
    q = np.empty((k * k, w))
    q[diag] = bh_complete(np.ascontiguousarray(flat[diag]))
    if len(cross):
        q[cross] = bh_complete(np.ascontiguousarray(flat[cross]))
    return q.reshape(k, k, w)


@functools.lru_cache(maxsize=512)
def _p_table(df: float) -> tuple[FloatArray, int, int]:
    """Cubic coefficients of f(v) = log p - (df/2) log(df / (df + t^2)) on v = |t| / sqrt(df + t^2).

    p is the two-sided t p-value I_x(df/2, 1/2), x = df / (df + t^2), and f is analytic on
    [0, 1] (p / x^(df/2) is smooth and positive), so cubic interpolation on a uniform grid
    is accurate to < 1e-10 relative (tested against scipy); nodes grow as sqrt(df) because
    the scale of f in v shrinks as 1/sqrt(df).  Nodes where p underflows are cut off; beyond
    them :func:`t_pvalue` falls back to ``scipy.special.stdtr``.
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


class _Tables(NamedTuple):
    """The :func:`_p_table` of every df seen so far, end to end: one entry per df."""

    coef: FloatArray  # (4, total intervals): cubic coefficients, rows contiguous for np.take
    start: IntArray  # each df's first interval
    nodes: FloatArray  # its node count n
    cut: IntArray  # its cut-off interval and last interval, relative to its start
    last: IntArray
    crit: FloatArray  # the t quantile 0.975 (two-sided 95 % intervals)


def _no_tables() -> _Tables:
    none = np.empty(0, dtype=np.int64)
    return _Tables(np.empty((4, 0)), none, np.empty(0), none, none, np.empty(0))


_lock = threading.Lock()
_published: list[tuple[dict[float, int], _Tables]] = [({}, _no_tables())]  # (df -> entry, tables)


def _df_rows(df: FloatArray) -> tuple[_Tables, IntArray]:
    """The tables, and each element's entry in them (shape of df).

    Tables for df values not seen before are added under a lock into a new snapshot (entries and
    tables together), published whole: a reader uses the one snapshot it read.
    """
    values, index = np.unique(df, return_inverse=True)
    keys = values.tolist()
    entry, tables = _published[0]
    if any(v not in entry for v in keys):
        with _lock:
            entry, tables = _published[0]
            if len(entry) + len(keys) > _MAX_TABLES:
                entry, tables = {}, _no_tables()
            if new := [v for v in keys if v not in entry]:
                made = [_p_table(d) for d in new]
                sizes = np.array([c.shape[0] for c, _, _ in made], dtype=np.int64)
                tables = _Tables(
                    np.ascontiguousarray(np.concatenate([tables.coef.T, *(c for c, _, _ in made)]).T),
                    np.concatenate([tables.start, tables.coef.shape[1] + np.cumsum(sizes) - sizes]),
                    np.concatenate([tables.nodes, [float(n) for _, n, _ in made]]),
                    np.concatenate([tables.cut, np.array([c for _, _, c in made], dtype=np.int64)]),
                    np.concatenate([tables.last, sizes - 1]),
                    np.concatenate([tables.crit, special.stdtrit(np.array(new), 0.975)]),
                )
                entry = entry | {v: len(entry) + i for i, v in enumerate(new)}
            _published[0] = (entry, tables)
    rows = np.array([entry[v] for v in keys], dtype=np.int64)
    return tables, rows[index.reshape(df.shape)]


def t_crit(df: FloatArray) -> FloatArray:
    """The 0.975 quantile of the t distribution with df degrees of freedom (95 % intervals)."""
    tables, rows = _df_rows(df)
    return tables.crit[rows]


@np.errstate(over="ignore", divide="ignore", under="ignore")
def t_pvalue(t: FloatArray, df: FloatArray) -> FloatArray:
    """Two-sided p = 2 * stdtr(df, -|t|) for t and df broadcastable against it, to ~1e-10 relative.

    Patients last: t (..., w) with df (w,) runs in slices of w that keep the work in cache.
    """
    tables, rows = _df_rows(df)
    w = t.shape[-1] if t.ndim and df.shape == t.shape[-1:] else 0
    if w <= P_SLICE:
        return _t_pvalue_of(t, df, tables, rows)
    p = np.empty(t.shape)
    for a in range(0, w, P_SLICE):
        part = slice(a, a + P_SLICE)
        p[..., part] = _t_pvalue_of(t[..., part], df[part], tables, rows[part])
    return p


def _t_pvalue_of(t: FloatArray, df: FloatArray, tables: _Tables, rows: IntArray) -> FloatArray:
    x2 = np.square(t)
    pos = df / x2
    pos += 1
    np.sqrt(pos, out=pos)
    np.divide(tables.nodes[rows], pos, out=pos)  # v * n, right for t = 0 and |t| = inf too
    i = pos.astype(np.int64)
    np.minimum(i, tables.last[rows], out=i)
    pos -= i  # now the offset within the interval
    far = i >= tables.cut[rows]  # p below ~1e-260: rare, computed directly
    i += tables.start[rows]
    coef = tables.coef
    g, term = np.take(coef[3], i), np.empty(i.shape)  # Horner, in place
    for j in (2, 1, 0):
        g *= pos
        g += np.take(coef[j], i, out=term)
    x2 /= df
    np.log1p(x2, out=x2)
    x2 *= df / 2
    g -= x2
    p: FloatArray = np.exp(g, out=g)
    if far.any():
        p[far] = 2 * special.stdtr(np.broadcast_to(df, t.shape)[far], -np.abs(t[far]))
    return p


class Solved(NamedTuple):
    """Least squares from correlation-scaled cross-products, patients last (see :func:`spd_solve`)."""

    coef: FloatArray  # (p, k, w): inv(R) C
    resid: FloatArray  # (k, k, w): D - C' inv(R) C, exactly symmetric
    inv_diag: FloatArray  # (p, w): diag(inv(R)), the variance inflation factors
    inv_pair: FloatArray | None  # (w,): inv(R)[pair]
    singular: NDArray[np.bool_]  # (w,): R exactly singular (results for it are not meaningful)


def spd_solve(r: FloatArray, c: FloatArray, d: FloatArray, pair: tuple[int, int] | None) -> Solved:
    """Solve R B = C and the residual cross-products D - C'B for correlation matrices R (p, p, w),
    right-hand sides C (p, k, w) and D (k, k, w), patients last, by Cholesky R = L L', element-wise
    over w: Q = inv(L) C, B = inv(L)' Q, D - Q'Q, diag(inv(R)) from the rows of inv(L).

    Where a variance inflation factor exceeds 1e6 (or a pivot is not positive) the patient is
    redone by :func:`_safe_inv` (LU), so the collinearity checks see exactly what they did.
    """
    p, k, w = c.shape
    low = np.zeros((p, p, w))  # L, column by column
    tmp = np.empty((p, w))
    for j in range(p):
        col = low[j:, j]
        np.copyto(col, r[j:, j])
        for i in range(j):
            col -= np.multiply(low[j:, i], low[j, i], out=tmp[: p - j])
        np.sqrt(col[0], out=col[0])
        col[1:] /= col[0]
    inv = np.zeros((p, p, w))  # inv(L), lower triangular, row by row
    for i in range(p):
        row = inv[i, :i]
        for j in range(i):
            row -= np.multiply(inv[j, :i], low[i, j], out=tmp[:i])
        np.divide(1.0, low[i, i], out=inv[i, i])
        row *= inv[i, i]
    q = np.empty((p, k, w))  # inv(L) C
    tmp = np.empty((k, k, w))
    for i in range(p):
        np.multiply(c[0], inv[i, 0], out=q[i])
        for j in range(1, i + 1):
            q[i] += np.multiply(c[j], inv[i, j], out=tmp[0])
    coef = np.empty((p, k, w))  # inv(L)' Q
    for i in range(p):
        np.multiply(q[i], inv[i, i], out=coef[i])
        for j in range(i + 1, p):
            coef[i] += np.multiply(q[j], inv[j, i], out=tmp[0])
    resid = np.array(d)
    for j in range(p):
        resid -= np.multiply(q[j][:, None], q[j][None], out=tmp)
    inv_diag, sq = np.square(inv[0]), np.empty((p, w))
    for j in range(1, p):
        inv_diag += np.square(inv[j], out=sq)
    inv_pair = None
    if pair is not None:
        inv_pair = np.einsum("jw,jw->w", inv[:, pair[0]], inv[:, pair[1]])
    singular = np.zeros(w, dtype=bool)
    redo = np.flatnonzero(~(1.0 / inv_diag.max(axis=0) >= 1e-6))
    if len(redo):
        rb, cb = np.moveaxis(r[:, :, redo], -1, 0), np.moveaxis(c[:, :, redo], -1, 0)
        rinv, singular[redo] = _safe_inv(np.ascontiguousarray(rb))
        b = rinv @ cb
        e = np.moveaxis(d[:, :, redo], -1, 0) - cb.transpose(0, 2, 1) @ b
        coef[:, :, redo] = np.moveaxis(b, 0, -1)
        resid[:, :, redo] = np.moveaxis((e + e.transpose(0, 2, 1)) / 2, 0, -1)
        inv_diag[:, redo] = np.diagonal(rinv, axis1=1, axis2=2).T
        if inv_pair is not None and pair is not None:
            inv_pair[redo] = rinv[:, pair[0], pair[1]]
    return Solved(coef, resid, inv_diag, inv_pair, singular)


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
