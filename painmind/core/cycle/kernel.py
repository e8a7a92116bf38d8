"""Per-patient lag-1 VAR by OLS for all patients at once (batched normal equations).

For patient i, every variable j at t is regressed on all k variables at t-1 plus an intercept
(and optionally a linear trend in ``Panel.time``).  The k equations share their regressors, so one
cross-product matrix per patient gives them all.  The pairs are centred per patient (means, then
deviations), which absorbs the intercept exactly (Frisch-Waugh) and keeps X'X well conditioned:
the results agree with an SVD-based OLS (statsmodels) to ~1e-12.  Z = [x, (time,) y] of a few
hundred patients at a time is laid out in a block small enough to stay in cache, and Z'Z is one
batched matmul; X'X, X'Y and Y'Y are its blocks.  On a grid (:func:`pairs_from_dense`) the block
is read straight from the grid, variable-major with the patients side by side, shifted by each
patient's first valid pair and centred after the matmul.  Everything after the cross-products
runs with the patients on the last axis: a 6 x 6 Cholesky, solve or p-value is a few dozen
element-wise steps over long rows of patients rather than many tiny matrix operations.  Chunks
of patients run on threads (numpy releases the GIL).  No Python loop runs over patients, except
to word the messages of the few that are not estimable.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
from numpy.typing import NDArray

from painmind.core.cycle import _phases
from painmind.core.cycle.lags import CycleInputError, Panel
from painmind.core.cycle.result import PatientFits, concat_fits
from painmind.core.cycle.stats import COLLINEAR_TOLERANCE, _bh_complete, _spd_solve, _t_crit, _t_pvalue, bh_qvalues

__all__ = ["PatientFits", "bh_qvalues", "concat_fits", "fit_patients"]

FloatArray = NDArray[np.float64]
# Constant within a patient: SD (ddof=1) over the pairs <= this * max(1, |mean|), on the lagged or
# the current side -- relative for large values, absolute (1e-8) around zero.
CONSTANT_REL_SD = 1e-8
# Predicted exactly: residual sum of squares <= this * total sum of squares of the outcome.
PERFECT_FIT = 1e-14
_BLOCK_BYTES = 1 << 21  # one work block: few numpy calls (the GIL) yet its arrays stay in L2
_SOLVE_PATIENTS = 8192


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
    panel: Panel, a: int, b: int, *, trend: bool, raw: FloatArray, shift: FloatArray, scratch: _Scratch
) -> None:
    """Shifted cross-products of patients a..b-1 of a grid panel, read straight from the grid.

    Each patient's values are shifted by those of its first valid pair (so a constant variable
    is exactly 0, and the shifted values are of the size of their spread) into ``shift`` (m, c).
    Z = [x, (time,) y, 1] over the valid pairs (the others zero) is laid out variable-major with
    the patients side by side, so that every element-wise step runs over one long row per
    variable; the y rows are the x rows read one slot later.  The first m columns of each
    patient's Z'Z go, patients last, into ``raw`` (m + 1, m, c): uncentred sums of products and
    the sums (last row); :func:`_centre` turns them into centred ones.
    """
    g = panel._grid
    assert g is not None
    slab, valid = g.values[a:b], g.valid[a:b]
    c, n_slots, k = slab.shape
    p = k + int(trend)
    m = p + k
    size = c * n_slots
    first = np.argmax(valid, axis=1)
    lead = slab[np.arange(c), first]  # (c, k): the first valid pair's lagged values
    np.copyto(shift[:k], lead.T)
    np.copyto(shift[p:], lead.T)
    st = scratch.st[: k * size].reshape(k, c, n_slots)
    np.copyto(st, slab.transpose(2, 0, 1))
    np.subtract(st, shift[:k, :, None], out=st)
    np.fmax(st, -np.finfo(np.float64).max, out=st)  # NaN (only where a pair is not valid) -> finite
    wt = scratch.weight[:c]
    np.copyto(wt[:, :-1], valid)  # the last column stays 0: the last slot starts no pair
    wf = wt.reshape(size)
    z = scratch.z[:, :size]  # row j: variable j of every patient, one slot per pair (the last unused)
    np.multiply(st.reshape(k, size), wf, out=z[:k])
    np.multiply(scratch.st[1 : k * size + 1].reshape(k, size), wf, out=z[p:m])  # y: the next slot
    if trend:
        slots = (np.arange(1, n_slots + 1) - g.first[a:b, None]) / g.steps
        shift[k] = slots[np.arange(c), first]
        slots -= shift[k][:, None]
        np.multiply(slots.reshape(size), wf, out=z[k])
    np.copyto(z[m], wf)
    zz = z.reshape(m + 1, c, n_slots).transpose(1, 0, 2)[:, :, :-1]  # (c, m + 1, T - 1): each patient's Z'
    s = scratch.s[:c]
    np.matmul(zz, zz[:, :m].transpose(0, 2, 1), out=s)  # not Z'Z (m + 1 square): this shape is faster
    np.copyto(raw, s.transpose(1, 2, 0))


class _Scratch:
    """Work arrays of :func:`_block_grid` for blocks of up to `step` patients of T slots."""

    def __init__(self, step: int, n_slots: int, k: int, m: int) -> None:
        self.st = np.zeros(k * step * n_slots + 1)  # shifted values, variable-major; one spare (finite) slot
        self.weight = np.zeros((step, n_slots))
        self.z = np.empty((m + 1, step * n_slots))
        self.s = np.empty((step, m + 1, m))


def _centre(raw: FloatArray, shift: FloatArray, n: NDArray[np.int64]) -> tuple[FloatArray, FloatArray]:
    """Centred Z'Z (m, m, w) and means (m, w) from the shifted sums of :func:`_block_grid`, patients
    last (the shift is near the mean, so the correction n (mean - shift)(mean - shift)' cancels no
    significant digits); n pairs per patient."""
    m = raw.shape[1]
    u = raw[m]
    mean = u / n
    mean += shift
    r = u / np.sqrt(n)
    out = np.multiply(r[:, None], r[None])
    np.subtract(raw[:m], out, out=out)
    diag = out.reshape(m * m, -1)[:: m + 1]
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
    bad: list[tuple[int, str]] = []
    # Set here, not by the caller: numpy's error state is per thread.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        if panel._grid is not None:  # whole slabs of the grid; patients with too few pairs are dropped after
            g, k = panel._grid, len(panel.variables)
            n_slots = g.values.shape[1]
            raw, shift = np.empty((m + 1, m, c1 - c0)), np.empty((m, c1 - c0))
            step = max(1, _BLOCK_BYTES // (n_slots * (m + 1) * 8))
            scratch = _Scratch(min(step, c1 - c0), n_slots, k, m)
            clock = _phases.start()
            for a in range(c0, c1, step):
                b = min(a + step, c1)
                blk = slice(a - c0, b - c0)
                _block_grid(panel, a, b, trend=trend, raw=raw[:, :, blk], shift=shift[:, blk], scratch=scratch)
            _phases.lap("cross-products", clock)
            if len(fit) < c1 - c0:
                raw, shift = raw[:, :, fit], shift[:, fit]
            for a in range(0, len(fit), _SOLVE_PATIENTS):  # small slices keep the element-wise work in cache
                part = slice(a, a + _SOLVE_PATIENTS)
                clock = _phases.start()
                cs, mean = _centre(raw[:, :, part], shift[:, part], nf[part])
                _phases.lap("centring", clock)
                bad += _solve(panel, c0 + fit[part], cs=cs, mean=mean, nf=nf[part], trend=trend, out=out)
        else:
            starts = np.concatenate([[0], np.cumsum(counts)])[c0 + fit]
            s, mean = np.empty((len(fit), m, m)), np.empty((len(fit), m))
            step = max(1, _BLOCK_BYTES // (int(nf.max()) * m * 8))
            for a in range(0, len(fit), step):
                part = slice(a, a + step)
                _block(panel, starts[part], nf[part], trend=trend, s=s[part], mean=mean[part])
            for a in range(0, len(fit), _SOLVE_PATIENTS):
                part = slice(a, a + _SOLVE_PATIENTS)
                cs = np.ascontiguousarray(s[part].transpose(1, 2, 0))
                bad += _solve(panel, c0 + fit[part], cs=cs, mean=mean[part].T, nf=nf[part], trend=trend, out=out)
        return bad


def _diag(a: FloatArray) -> FloatArray:
    """The diagonal (p, w) of a (p, p, w) stack, as a (writeable) view."""
    return np.lib.stride_tricks.as_strided(
        a, shape=(a.shape[0], a.shape[2]), strides=(a.strides[0] + a.strides[1], a.strides[2])
    )


def _solve(
    panel: Panel, rows: NDArray[np.int64], *, cs: FloatArray, mean: FloatArray, nf: NDArray[np.int64], trend: bool,
    out: dict[str, Any],
) -> list[tuple[int, str]]:  # fmt: skip
    """Fit patients `rows` from their centred cross-products `cs` (m, m, w) of [x, (time,) y] and
    means (m, w), patients last: every step is element-wise over long rows of patients."""
    clock = _phases.start()
    k = len(panel.variables)
    p = k + int(trend)
    names = [f"{v}(t-1)" for v in panel.variables] + ["trend"] * trend
    ss = _diag(cs)  # centred sums of squares: x (and trend), then y
    flat = np.sqrt(ss / (nf - 1)) <= CONSTANT_REL_SD * np.maximum(1.0, np.abs(mean))
    const = flat[:k] | flat[p:]
    bad: list[tuple[int, str]] = []
    for i in np.flatnonzero(const.any(axis=0)):
        which = [v for v, c in zip(panel.variables, const[:, i], strict=True) if c]
        bad.append((int(rows[i]), f"{', '.join(which)} {'is' if len(which) == 1 else 'are'} constant in the lag pairs"))
    if bad:
        keep = np.flatnonzero(~const.any(axis=0))
        cs, mean, nf, rows = cs[:, :, keep], mean[:, keep], nf[keep], rows[keep]
        ss = _diag(cs)
    clock = _phases.lap("constant check", clock)
    inv_d = 1.0 / np.sqrt(ss[:p])
    r = cs[:p, :p] * inv_d[:, None]
    r *= inv_d[None]  # correlations
    c = cs[:p, p:] * inv_d[:, None]
    pair = None
    if "pain" in panel.variables and "mood" in panel.variables:
        pair = (panel.variables.index("pain"), panel.variables.index("mood"))
    solved = _spd_solve(r, c, cs[p:, p:], pair)
    singular = solved.singular
    weak = ~(1.0 / solved.inv_diag > COLLINEAR_TOLERANCE) | singular
    bt = solved.coef.transpose(1, 0, 2)  # (k, p, w) = B' = Y'X inv(X'X): [to, from]
    bt *= inv_d[None]
    e = solved.resid  # residual cross-products Y'Y - B'X'Y
    inv_diag = solved.inv_diag * np.square(inv_d)  # diag(inv(X'X))
    inv_pair = None if pair is None or solved.inv_pair is None else solved.inv_pair * inv_d[pair[0]] * inv_d[pair[1]]
    clock = _phases.lap("SPD solve, coefficients, residual covariances", clock)
    rss = _diag(e)
    exact = ~(rss > PERFECT_FIT * ss[p:])
    dropped = weak.any(axis=0) | exact.any(axis=0)
    for i in np.flatnonzero(dropped):
        if weak[:, i].any():
            which = names if singular[i] else [n for n, w in zip(names, weak[:, i], strict=True) if w]
            why = f"collinear predictors: {', '.join(which)} (X'X is singular or ill-conditioned)"
        else:
            which = [v for v, x in zip(panel.variables, exact[:, i], strict=True) if x]
            why = f"{', '.join(which)} predicted exactly by the lagged variables (no residual variance)"
        bad.append((int(rows[i]), why))
    if dropped.any():
        keep = np.flatnonzero(~dropped)
        bt, e, inv_diag, mean, nf = bt[..., keep], e[..., keep], inv_diag[:, keep], mean[:, keep], nf[keep]
        rows, ss = rows[keep], ss[:, keep]
        inv_pair = None if inv_pair is None else inv_pair[keep]
    _phases.lap("checks", clock)
    if len(rows) == 0:
        return bad
    _inference(panel, rows, bt=bt, e=e, inv_diag=inv_diag, inv_pair=inv_pair, mean=mean, nf=nf, ss=ss, out=out)
    return bad


def _put(dest: FloatArray, at: slice | NDArray[np.int64], value: FloatArray) -> None:
    """Write `value` (..., w), patients last, into rows `at` of `dest` (n, ...)."""
    dest[at] = np.moveaxis(value, -1, 0)


def _inference(
    panel: Panel, rows: NDArray[np.int64], *, bt: FloatArray, e: FloatArray, inv_diag: FloatArray,
    inv_pair: FloatArray | None, mean: FloatArray, nf: NDArray[np.int64], ss: FloatArray, out: dict[str, Any],
) -> None:  # fmt: skip
    """Standard errors, tests, intervals, standardized effects, residual correlations, cycle gain."""
    clock = _phases.start()
    k, p, w = bt.shape
    at = slice(int(rows[0]), int(rows[-1]) + 1) if rows[-1] - rows[0] == len(rows) - 1 else rows
    df = (nf - p - 1).astype(np.float64)
    rss = _diag(e)
    s2 = rss / df
    lag_b = bt[:, :k]
    lag_se = np.multiply(s2[:, None], inv_diag[None, :k])  # [to, from]
    np.sqrt(lag_se, out=lag_se)
    tq = _t_crit(df)
    tval = lag_b / lag_se
    pval = _t_pvalue(tval, df)
    out["df"][at] = df
    for name, value in (("coef", lag_b), ("se", lag_se), ("t", tval), ("p", pval)):
        _put(out[name], at, value)
    clock = _phases.lap("SE, t, p", clock)
    _put(out["q"], at, _bh_complete(np.ascontiguousarray(pval).reshape(k * k, w)).reshape(k, k, w))
    clock = _phases.lap("BH q-values", clock)
    half = np.multiply(lag_se, tq, out=tval)
    _put(out["ci_low"], at, np.subtract(lag_b, half, out=pval))
    _put(out["ci_high"], at, np.add(lag_b, half, out=pval))
    clock = _phases.lap("CI", clock)
    sd = np.sqrt(ss)
    ratio = np.divide(sd[None, :k], sd[p:, None], out=tval)
    _put(out["std_coef"], at, np.multiply(lag_b, ratio, out=pval))
    clock = _phases.lap("standardised coefficients", clock)
    icpt = np.array(mean[p:])
    for j in range(p):
        icpt -= bt[:, j] * mean[j]
    _put(out["intercept"], at, icpt)
    if p > k:
        _put(out["trend"], at, bt[:, k])
    gain = np.full((4, w), np.nan)
    if inv_pair is not None:
        ip, im = panel.variables.index("pain"), panel.variables.index("mood")
        a, c = bt[im, ip], bt[ip, im]  # pain -> mood, mood -> pain
        cov = e[im, ip] / df * inv_pair  # Cov(a, c): the two equations share their regressors
        gse = np.sqrt(np.maximum(c * c * lag_se[im, ip] ** 2 + a * a * lag_se[ip, im] ** 2 + 2 * a * c * cov, 0.0))
        gain[:] = a * c, gse, a * c - tq * gse, a * c + tq * gse
    out["gain"][at], out["gain_se"][at], out["gain_ci_low"][at], out["gain_ci_high"][at] = gain
    clock = _phases.lap("cycle gain", clock)
    rss_sd = np.sqrt(rss)
    e /= rss_sd[:, None]
    e /= rss_sd[None]
    _put(out["resid_corr"], at, e)
    _phases.lap("intercepts, residual correlations", clock)


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
