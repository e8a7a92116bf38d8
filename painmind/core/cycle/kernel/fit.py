"""`fit_patients`: chunks of patients on threads, then the statuses and their messages."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
from numpy.typing import NDArray

from painmind.core.cycle import _phases
from painmind.core.cycle.kernel.checks import DIAG_FIELDS, Lagged, diagnose
from painmind.core.cycle.kernel.cross import BLOCK_BYTES, Scratch, block, block_grid, centre
from painmind.core.cycle.kernel.diagnostics import RESID_LAGS
from painmind.core.cycle.kernel.estimates import solve
from painmind.core.cycle.kernel.statuses import flags_of, more_words, short_reasons
from painmind.core.cycle.lags import CycleInputError, Panel
from painmind.core.cycle.result import PatientFits

__all__ = ["fit_patients"]

_SOLVE_PATIENTS = 8192


def _chunk(
    panel: Panel, bounds: tuple[int, int], *, counts: NDArray[np.int64], trend: bool, required: int,
    out: dict[str, Any],
) -> list[tuple[int, str, str]]:  # fmt: skip
    """Fit patients c0..c1-1 into `out`, with their diagnostics; returns (patient, reason, words) for
    those not estimable."""
    c0, c1 = bounds
    fit = np.flatnonzero(counts[c0:c1] >= required)
    if len(fit) == 0:
        return []
    m = 2 * len(panel.variables) + int(trend)
    nf = counts[c0 + fit]
    bad: list[tuple[int, str, str]] = []
    starts, cross = None, None
    # Set here, not by the caller: numpy's error state is per thread.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        if panel._grid is not None:  # whole slabs of the grid; patients with too few pairs are dropped after
            g, k = panel._grid, len(panel.variables)
            n_slots = g.values.shape[1]
            raw, shift = np.empty((m + 1, m, c1 - c0)), np.empty((m, c1 - c0))
            lagged = np.empty((RESID_LAGS, c1 - c0, m + 1, m + 1))  # for Ljung-Box, patients first
            step = max(1, BLOCK_BYTES // (n_slots * (m + 1) * 8))
            scratch = Scratch(min(step, c1 - c0), n_slots, k, m)
            clock = _phases.start()
            for a in range(c0, c1, step):
                b = min(a + step, c1)
                blk = slice(a - c0, b - c0)
                block_grid(
                    panel, a, b, trend=trend, raw=raw[:, :, blk], shift=shift[:, blk], scratch=scratch,
                    lagged=lagged[:, blk],
                )  # fmt: skip
            _phases.lap("cross-products", clock)
            if len(fit) < c1 - c0:
                raw, shift, lagged = raw[:, :, fit], shift[:, fit], lagged[:, fit]
            for a in range(0, len(fit), _SOLVE_PATIENTS):  # small slices keep the element-wise work in cache
                part = slice(a, a + _SOLVE_PATIENTS)
                clock = _phases.start()
                cs, mean = centre(raw[:, :, part], shift[:, part], nf[part])
                _phases.lap("centring", clock)
                bad += solve(panel, c0 + fit[part], cs=cs, mean=mean, nf=nf[part], trend=trend, out=out)
            cross = Lagged(raw, lagged, shift)
        else:
            starts = np.concatenate([[0], np.cumsum(counts)])[c0 + fit]
            s, mean = np.empty((len(fit), m, m)), np.empty((len(fit), m))
            step = max(1, BLOCK_BYTES // (int(nf.max()) * m * 8))
            for a in range(0, len(fit), step):
                part = slice(a, a + step)
                block(panel, starts[part], nf[part], trend=trend, s=s[part], mean=mean[part])
            for a in range(0, len(fit), _SOLVE_PATIENTS):
                part = slice(a, a + _SOLVE_PATIENTS)
                cs = np.ascontiguousarray(s[part].transpose(1, 2, 0))
                bad += solve(panel, c0 + fit[part], cs=cs, mean=mean[part].T, nf=nf[part], trend=trend, out=out)
        known = {row for row, _, _ in bad}
        bad += diagnose(panel, c0 + fit, nf=nf, starts=starts, trend=trend, out=out, bad=known, cross=cross)
        return bad


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
    shapes |= {name: (n,) if dims == 1 else (n, k) for name, dims in DIAG_FIELDS.items()}
    out: dict[str, Any] = {name: None if shape is None else np.empty(shape) for name, shape in shapes.items()}
    for name in DIAG_FIELDS:
        out[name].fill(np.nan)
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
    reason = np.full(n, "ok", dtype="<U24")
    message = [""] * n
    n_more = np.maximum(required - counts, 0)
    short = np.flatnonzero(n_more)
    status[short], reason[short] = "insufficient_data", "more_days_needed"
    words = {int(v): more_words(int(v), panel.multi_prompt) for v in np.unique(n_more[short])}
    for i, v in zip(short.tolist(), n_more[short].tolist(), strict=True):
        message[i] = words[v]
    none = np.flatnonzero(counts == 0)
    for i, (why, text) in zip(none.tolist(), short_reasons(panel, none), strict=True):
        if text:
            reason[i], message[i] = why, text
    for i, why, text in (item for part in parts for item in part):
        if status[i] == "ok":  # the first reason found (the kernel's checks before the diagnostics)
            status[i], reason[i], message[i] = "not_estimable", why, text
    not_ok = np.flatnonzero(status != "ok")
    for name, arr in out.items():
        if arr is not None and name not in ("n_distinct", "top_share"):
            arr[not_ok] = np.nan
    ok = status == "ok"
    unstable, autocorr, flag_words = flags_of(panel.variables, out["spectral_radius"], out["lb_p"], ok)
    for i, text in flag_words.items():
        message[i] = text
    for arr in (*out.values(), status, reason, counts, n_more, unstable, autocorr):
        if arr is not None:
            arr.flags.writeable = False
    fits = PatientFits(
        patient_ids=panel.patient_ids, variables=panel.variables, status=status, message=tuple(message),
        n_obs=panel.n_obs, n_pairs=counts, n_more=n_more, reason=reason, non_stationary=unstable,
        residual_autocorrelation=autocorr, **out,
    )  # fmt: skip
    _phases.lap("statuses, result assembly", clock)
    return fits
