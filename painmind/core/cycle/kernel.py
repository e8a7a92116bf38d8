"""Per-patient lag-1 VAR by OLS for all patients at once (batched normal equations).

For patient i, every variable j at t is regressed on all k variables at t-1 plus an intercept
(and optionally a linear trend in ``Panel.time``).  The k equations share their regressors, so one
cross-product matrix per patient gives them all.  The pairs are centred per patient (means, then
deviations), which absorbs the intercept exactly (Frisch-Waugh) and keeps X'X well conditioned:
the results agree with an SVD-based OLS (statsmodels) to ~1e-12.  The centred Z = [x, (time,) y]
of a few hundred patients at a time is laid in a zero-padded (patients, longest series, m) block
small enough to stay in cache, and Z'Z is one batched matmul; X'X, X'Y and Y'Y are its blocks.
On a grid (:func:`pairs_from_dense`) the block is read straight from the grid, variable-major,
shifted by each patient's first valid pair and centred after the matmul (:func:`_centre`).
Chunks of patients run on threads (numpy releases the GIL).  No Python loop runs over patients,
except to word the messages of the few that are not estimable.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import special

from painmind.core.cycle import _phases
from painmind.core.cycle.lags import CycleInputError, Panel
from painmind.core.cycle.result import PatientFits, concat_fits
from painmind.core.cycle.stats import COLLINEAR_TOLERANCE, _spd_inv, _t_pvalue, bh_qvalues

__all__ = ["PatientFits", "bh_qvalues", "concat_fits", "fit_patients"]

FloatArray = NDArray[np.float64]
# Constant within a patient: SD (ddof=1) over the pairs <= this * max(1, |mean|), on the lagged or
# the current side -- relative for large values, absolute (1e-8) around zero.
CONSTANT_REL_SD = 1e-8
# Predicted exactly: residual sum of squares <= this * total sum of squares of the outcome.
PERFECT_FIT = 1e-14
_BLOCK_BYTES = 1 << 21  # one work block: few numpy calls (the GIL) yet in cache
_SOLVE_PATIENTS = 4096


def _cross(z: FloatArray, valid: NDArray[np.bool_] | None, *, s: FloatArray, mean: FloatArray) -> None:
    """Centre z (c, width, m) per patient over its `valid` rows (None: all) in place; Z'Z into `s`."""
    ones = np.ones(z.shape[1])
    if valid is not None:
        z[~valid] = 0.0  # padding, pairs with a missing value or across a gap
    np.matmul(ones, z, out=mean)
    mean /= z.shape[1] if valid is None else valid.sum(axis=1)[:, None]
    z -= mean[:, None, :]
    if valid is not None:
        z[~valid] = 0.0
    np.matmul(z.transpose(0, 2, 1), z, out=s)


def _block(
    panel: Panel, st: NDArray[np.int64], nf: NDArray[np.int64], *, trend: bool, s: FloatArray, mean: FloatArray
) -> None:
    """Centred Z'Z (into `s`) and means (into `mean`) of the patients whose pairs start at `st`."""
    c, width = len(st), int(nf.max())
    lo, hi = int(st[0]), int(st[-1] + nf[-1])
    parts = [panel.x, *([panel.time[:, None]] if trend else []), panel.y]
    if hi - lo == c * width and np.all(nf == width):  # equal back-to-back series
        _cross(np.concatenate([part[lo:hi] for part in parts], axis=1).reshape(c, width, -1), None, s=s, mean=mean)
        return
    owner = np.repeat(np.arange(c), nf)
    pos = np.arange(len(owner)) - np.repeat(np.cumsum(nf) - nf, nf)
    rows = slice(lo, hi) if hi - lo == len(owner) else pos + np.repeat(st, nf)
    z = np.zeros((c, width, mean.shape[1]))
    z.reshape(c * width, -1)[owner * width + pos] = np.concatenate([part[rows] for part in parts], axis=1)
    _cross(z, np.arange(width) < nf[:, None], s=s, mean=mean)


def _block_grid(
    panel: Panel, a: int, b: int, *, trend: bool, s: FloatArray, shift: FloatArray, st: FloatArray, zt: FloatArray
) -> None:
    """Shifted cross-products of patients a..b-1 of a grid panel, read straight from the grid.

    Each patient's values are shifted by those of its first valid pair (so a constant variable
    is exactly 0, and the shifted values are of the size of their spread); Z = [x, (time,) y, 1]
    over the valid pairs (the others zero) is laid out variable-major in `zt` (c, m + 1, T - 1)
    and its first m columns of Z'Z go into `s` (c, m + 1, m): uncentred sums of products and the
    sums (last row); :func:`_centre` turns them into centred ones.  `st` (c, k, T) is scratch.
    """
    g = panel._grid
    assert g is not None
    slab, valid = g.values[a:b], g.valid[a:b]
    c, n_slots, k = slab.shape
    p = k + int(trend)
    first = np.argmax(valid, axis=1)
    at = np.arange(c)
    np.copyto(shift[:, :k], slab[at, first])
    np.copyto(st, slab.transpose(0, 2, 1))
    np.subtract(st, shift[:, :k, None], out=st)
    np.fmax(st, -np.finfo(np.float64).max, out=st)  # NaN (only where a pair is not valid) -> finite
    ones = zt[:, -1]
    np.copyto(ones, valid)
    np.multiply(st[:, :, :-1], ones[:, None, :], out=zt[:, :k])
    np.multiply(st[:, :, 1:], ones[:, None, :], out=zt[:, p : p + k])
    if trend:
        slots = (np.arange(1, n_slots) - g.first[a:b, None]) / g.steps
        shift[:, k] = slots[at, first]
        slots -= shift[:, k, None]
        np.multiply(slots, ones, out=zt[:, k])
    shift[:, p:] = shift[:, :k]
    np.matmul(zt, zt[:, :-1].transpose(0, 2, 1), out=s)  # not Z'Z (m + 1 square): this shape is faster


def _centre(s: FloatArray, shift: FloatArray, n: NDArray[np.int64]) -> tuple[FloatArray, FloatArray]:
    """Centred Z'Z and means from the shifted sums of :func:`_block_grid` (the shift is near the
    mean, so the correction n (mean - shift)(mean - shift)' cancels no significant digits); n
    pairs per patient."""
    m = s.shape[2]
    u = s[:, m]
    mean = u / n[:, None]
    mean += shift
    r = u / np.sqrt(n)[:, None]
    out = np.einsum("wi,wj->wij", r, r)
    np.subtract(s[:, :m], out, out=out)
    diag = out.reshape(len(out), m * m)[:, :: m + 1]
    np.maximum(diag, 0.0, out=diag)
    return out, mean


def _chunk(
    panel: Panel, bounds: tuple[int, int], *, counts: NDArray[np.int64], trend: bool, required: int,
    out: dict[str, Any],
) -> list[tuple[int, str]]:  # fmt: skip
    """Fit patients c0..c1-1 into `out`; returns (patient, message) for those not estimable."""
    c0, c1 = bounds
    fit = np.flatnonzero(counts[c0:c1] >= required)
    if len(fit) == 0:
        return []
    m = 2 * len(panel.variables) + int(trend)
    nf = counts[c0 + fit]
    # Set here, not by the caller: numpy's error state is per thread.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        if panel._grid is not None:  # whole slabs of the grid; patients with too few pairs are dropped after
            g, k = panel._grid, len(panel.variables)
            sums, shift = np.empty((c1 - c0, m + 1, m)), np.empty((c1 - c0, m))
            step = max(1, _BLOCK_BYTES // (g.values.shape[1] * (m + 1) * 8))
            st, zt = np.empty((step, k, g.values.shape[1])), np.empty((step, m + 1, g.values.shape[1] - 1))
            clock = _phases.start()
            for a in range(c0, c1, step):
                b = min(a + step, c1)
                blk = slice(a - c0, b - c0)
                _block_grid(panel, a, b, trend=trend, s=sums[blk], shift=shift[blk], st=st[: b - a], zt=zt[: b - a])
            clock = _phases.lap("cross-products", clock)
            if len(fit) < c1 - c0:
                sums, shift = sums[fit], shift[fit]
            s, mean = _centre(sums, shift, nf)
            _phases.lap("centring", clock)
        else:
            starts = np.concatenate([[0], np.cumsum(counts)])[c0 + fit]
            s, mean = np.empty((len(fit), m, m)), np.empty((len(fit), m))
            step = max(1, _BLOCK_BYTES // (int(nf.max()) * m * 8))
            for a in range(0, len(fit), step):
                part = slice(a, a + step)
                _block(panel, starts[part], nf[part], trend=trend, s=s[part], mean=mean[part])
        bad: list[tuple[int, str]] = []
        for a in range(0, len(fit), _SOLVE_PATIENTS):  # small slices keep the element-wise work in cache
            part = slice(a, a + _SOLVE_PATIENTS)
            bad += _solve(panel, c0 + fit[part], s=s[part], mean=mean[part], nf=nf[part], trend=trend, out=out)
        return bad


def _solve(
    panel: Panel, rows: NDArray[np.int64], *, s: FloatArray, mean: FloatArray, nf: NDArray[np.int64], trend: bool,
    out: dict[str, Any],
) -> list[tuple[int, str]]:  # fmt: skip
    clock = _phases.start()
    k = len(panel.variables)
    p = k + int(trend)
    names = [f"{v}(t-1)" for v in panel.variables] + ["trend"] * trend
    ss = np.diagonal(s, axis1=1, axis2=2)  # centred sums of squares: x (and trend), then y
    flat = np.sqrt(ss / (nf[:, None] - 1)) <= CONSTANT_REL_SD * np.maximum(1.0, np.abs(mean))
    const = flat[:, :k] | flat[:, p:]
    bad: list[tuple[int, str]] = []
    for i in np.flatnonzero(const.any(axis=1)):
        which = [v for v, c in zip(panel.variables, const[i], strict=True) if c]
        bad.append((int(rows[i]), f"{', '.join(which)} {'is' if len(which) == 1 else 'are'} constant in the lag pairs"))
    if bad:
        keep = np.flatnonzero(~const.any(axis=1))
        s, mean, nf, rows, ss = s[keep], mean[keep], nf[keep], rows[keep], ss[keep]
    clock = _phases.lap("constant check", clock)
    d = np.sqrt(ss[:, :p])
    dd = d[:, :, None] * d[:, None, :]
    cxy = s[:, :p, p:]
    inv_r, singular = _spd_inv(s[:, :p, :p] / dd)
    weak = ~(1.0 / np.diagonal(inv_r, axis1=1, axis2=2) > COLLINEAR_TOLERANCE) | singular[:, None]
    inv_c = inv_r / dd
    clock = _phases.lap("SPD inverse", clock)
    bt = s[:, p:, :p] @ inv_c  # (w, k, p) = B' = Y'X inv(X'X): [to, from]
    clock = _phases.lap("coefficients", clock)
    e = s[:, p:, p:] - bt @ cxy  # residual cross-products
    e = (e + e.transpose(0, 2, 1)) / 2  # exactly symmetric, so resid_corr is too
    rss = np.diagonal(e, axis1=1, axis2=2)
    exact = ~(rss > PERFECT_FIT * ss[:, p:])
    dropped = weak.any(axis=1) | exact.any(axis=1)
    for i in np.flatnonzero(dropped):
        if weak[i].any():
            which = names if singular[i] else [n for n, w in zip(names, weak[i], strict=True) if w]
            why = f"collinear predictors: {', '.join(which)} (X'X is singular or ill-conditioned)"
        else:
            which = [v for v, x in zip(panel.variables, exact[i], strict=True) if x]
            why = f"{', '.join(which)} predicted exactly by the lagged variables (no residual variance)"
        bad.append((int(rows[i]), why))
    if dropped.any():
        keep = np.flatnonzero(~dropped)
        bt, e, inv_c, mean, nf = bt[keep], e[keep], inv_c[keep], mean[keep], nf[keep]
        rows, ss, rss = rows[keep], ss[keep], rss[keep]
    _phases.lap("residual covariances", clock)
    if len(rows) == 0:
        return bad
    _inference(panel, rows, bt=bt, e=e, inv_c=inv_c, mean=mean, nf=nf, ss=ss, out=out)
    return bad


def _inference(
    panel: Panel, rows: NDArray[np.int64], *, bt: FloatArray, e: FloatArray, inv_c: FloatArray, mean: FloatArray,
    nf: NDArray[np.int64], ss: FloatArray, out: dict[str, Any],
) -> None:  # fmt: skip
    """Standard errors, tests, intervals, standardized effects, residual correlations, cycle gain."""
    clock = _phases.start()
    k, p = bt.shape[1], bt.shape[2]
    at = slice(int(rows[0]), int(rows[-1]) + 1) if rows[-1] - rows[0] == len(rows) - 1 else rows
    df = (nf - p - 1).astype(np.float64)
    rss = np.diagonal(e, axis1=1, axis2=2)
    se = np.sqrt((rss / df[:, None])[:, :, None] * np.diagonal(inv_c, axis1=1, axis2=2)[:, None, :])  # [to, from]
    values, index = np.unique(df, return_inverse=True)
    tq = special.stdtrit(values, 0.975)[index]
    lag_b, lag_se = bt[:, :, :k], se[:, :, :k]
    tval = lag_b / lag_se
    pval = _t_pvalue(tval, df)
    half = tq[:, None, None] * lag_se
    out["df"][at] = df
    out["coef"][at], out["se"][at], out["t"][at], out["p"][at] = lag_b, lag_se, tval, pval
    clock = _phases.lap("SE, t, p", clock)
    out["q"][at] = bh_qvalues(pval.reshape(len(rows), k * k)).reshape(-1, k, k)
    clock = _phases.lap("BH q-values", clock)
    out["ci_low"][at], out["ci_high"][at] = lag_b - half, lag_b + half
    clock = _phases.lap("CI", clock)
    out["std_coef"][at] = lag_b * np.sqrt(ss[:, None, :k] / ss[:, p:, None])
    clock = _phases.lap("standardised coefficients", clock)
    out["intercept"][at] = mean[:, p:] - (bt @ mean[:, :p, None])[:, :, 0]
    if p > k:
        out["trend"][at] = bt[:, :, k]
    rss_sd = np.sqrt(rss)
    out["resid_corr"][at] = e / (rss_sd[:, :, None] * rss_sd[:, None, :])
    clock = _phases.lap("intercepts, residual correlations", clock)
    gain = np.full((4, len(rows)), np.nan)
    if "pain" in panel.variables and "mood" in panel.variables:
        ip, im = panel.variables.index("pain"), panel.variables.index("mood")
        a, c = bt[:, im, ip], bt[:, ip, im]  # pain -> mood, mood -> pain
        cov = e[:, im, ip] / df * inv_c[:, ip, im]  # Cov(a, c): the two equations share their regressors
        gse = np.sqrt(np.maximum(c * c * se[:, im, ip] ** 2 + a * a * se[:, ip, im] ** 2 + 2 * a * c * cov, 0.0))
        gain[:] = a * c, gse, a * c - tq * gse, a * c + tq * gse
    out["gain"][at], out["gain_se"][at], out["gain_ci_low"][at], out["gain_ci_high"][at] = gain
    _phases.lap("cycle gain", clock)


def _more(n: int, multi: bool) -> str:
    return f"{n} more {'paired prompt' if multi else 'day'}{'s' if n != 1 else ''} needed"


def fit_patients(
    panel: Panel,
    *,
    trend: bool = False,
    min_pairs: int = 20,
    pairs_per_regressor: int = 5,
    chunk_size: int = 8192,
    n_threads: int | None = None,
) -> PatientFits:
    """Fit every patient's lag-1 VAR at once.

    Parameters
    ----------
    panel : Panel
        From :func:`build_pairs` or :func:`pairs_from_dense`.
    trend : bool
        Add a linear time trend (``panel.time``, per day) to every equation.
    min_pairs, pairs_per_regressor : int
        A patient needs ``max(min_pairs, pairs_per_regressor * r, r + 1)`` valid pairs, r = k + 1
        (+ 1 with trend) regressors counting the intercept; with fewer, status
        ``insufficient_data``, ``n_more`` and "N more days needed" ("N more paired prompts needed"
        for several prompts a day).
    chunk_size : int
        Most patients per task (the chunks are equal, as many as a multiple of the threads); working
        memory is about ``chunk_size * (2k + 1)^2 * 8 * 6`` bytes per thread besides the result.
    n_threads : int, optional
        Threads for the chunks (numpy releases the GIL); default: the CPUs this process may use.

    Returns
    -------
    PatientFits
        ``not_estimable``, with a message naming the variables, for a variable constant in the
        patient's pairs (SD <= 1e-8 * max(1, |mean|) on the lagged or the current side), collinear
        predictors (1 - R^2 <= 1e-10) or an outcome predicted exactly.  No NaN in the inputs.

    Examples
    --------
    >>> from painmind.core.cycle import pairs_from_dense
    >>> rng = np.random.default_rng(0)
    >>> panel = pairs_from_dense(rng.normal(size=(3, 40, 2)), patient_ids=["a", "b", "c"], variables=["pain", "mood"])
    >>> fits = fit_patients(panel)
    >>> fits.coef.shape, fits.status.tolist()
    ((3, 2, 2), ['ok', 'ok', 'ok'])
    >>> fit_patients(panel, min_pairs=50).message[0]
    '11 more days needed'
    """
    for arg, value in (("min_pairs", min_pairs), ("pairs_per_regressor", pairs_per_regressor),
                       ("chunk_size", chunk_size), ("n_threads", 1 if n_threads is None else n_threads)):  # fmt: skip
        if not isinstance(value, int | np.integer) or isinstance(value, bool) or value < 1:
            raise CycleInputError(f"{arg} must be a positive integer, got {value!r}")
    clock = _phases.start()
    k, n = len(panel.variables), len(panel.patient_ids)
    n_reg = k + 1 + int(trend)
    required = max(min_pairs, pairs_per_regressor * n_reg, n_reg + 1)
    counts = panel._pair_counts()
    shapes = {"df": (n,), "intercept": (n, k), "resid_corr": (n, k, k), "trend": (n, k) if trend else None}
    shapes |= dict.fromkeys(("coef", "se", "t", "p", "q", "ci_low", "ci_high", "std_coef"), (n, k, k))
    shapes |= dict.fromkeys(("gain", "gain_se", "gain_ci_low", "gain_ci_high"), (n,))
    out: dict[str, Any] = {name: None if shape is None else np.empty(shape) for name, shape in shapes.items()}
    clock = _phases.lap("allocation", clock)
    threads = max(1, min(-(-n // chunk_size), n_threads or len(os.sched_getaffinity(0))))
    size = -(-n // (-(-n // (chunk_size * threads)) * threads))  # equal chunks, a multiple of the threads
    bounds = [(c, min(c + size, n)) for c in range(0, n, size)]
    opts: dict[str, Any] = {"counts": counts, "trend": trend, "required": required, "out": out}
    if threads > 1:
        with ThreadPoolExecutor(threads) as pool:
            parts = list(pool.map(lambda b: _chunk(panel, b, **opts), bounds))
    else:
        parts = [_chunk(panel, b, **opts) for b in bounds]
    clock = _phases.start()
    status = np.full(n, "ok", dtype="<U17")
    message = [""] * n
    n_more = np.maximum(required - counts, 0)
    short = np.flatnonzero(n_more)
    status[short] = "insufficient_data"
    words = {int(v): _more(int(v), panel.multi_prompt) for v in np.unique(n_more[short])}
    for i, v in zip(short.tolist(), n_more[short].tolist(), strict=True):
        message[i] = words[v]
    for i, why in (item for part in parts for item in part):
        status[i], message[i] = "not_estimable", why
    not_ok = np.flatnonzero(status != "ok")
    for arr in out.values():
        if arr is not None:
            arr[not_ok] = np.nan
    for arr in (*out.values(), status, counts, n_more):
        if arr is not None:
            arr.flags.writeable = False
    fits = PatientFits(
        patient_ids=panel.patient_ids, variables=panel.variables, status=status, message=tuple(message),
        n_obs=panel.n_obs, n_pairs=counts, n_more=n_more, **out,
    )  # fmt: skip
    _phases.lap("statuses, result assembly", clock)
    return fits
