"""From centred cross-products to estimates, patients last: checks, Cholesky solve, inference."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from painmind.core.cycle import _phases
from painmind.core.cycle.result import Panel
from painmind.core.cycle.stats import COLLINEAR_TOLERANCE, bh_families, spd_solve, t_crit, t_pvalue

__all__ = ["CONSTANT_REL_SD", "PERFECT_FIT", "solve"]

FloatArray = NDArray[np.float64]
# Constant within a patient: SD (ddof=1) over the pairs <= this * max(1, |mean|), on the lagged or
# the current side -- relative for large values, absolute (1e-8) around zero.
CONSTANT_REL_SD = 1e-8
# Predicted exactly: residual sum of squares <= this * total sum of squares of the outcome.
PERFECT_FIT = 1e-14


def _diag(a: FloatArray) -> FloatArray:
    """The diagonal (p, w) of a (p, p, w) stack, as a (writeable) view."""
    return np.lib.stride_tricks.as_strided(
        a, shape=(a.shape[0], a.shape[2]), strides=(a.strides[0] + a.strides[1], a.strides[2])
    )


def solve(
    panel: Panel, rows: NDArray[np.int64], *, cs: FloatArray, mean: FloatArray, nf: NDArray[np.int64], trend: bool,
    out: dict[str, Any],
) -> list[tuple[int, str, str]]:  # fmt: skip
    """Fit patients `rows` from their centred cross-products `cs` (m, m, w) of [x, (time,) y] and
    means (m, w), patients last: every step is element-wise over long rows of patients.

    Returns (patient, reason code, words) for those not estimable: ``constant``, ``collinear``,
    ``exact_fit``."""
    clock = _phases.start()
    k = len(panel.variables)
    p = k + int(trend)
    names = [f"{v}(t-1)" for v in panel.variables] + ["trend"] * trend
    ss = _diag(cs)  # centred sums of squares: x (and trend), then y
    flat = np.sqrt(ss / (nf - 1)) <= CONSTANT_REL_SD * np.maximum(1.0, np.abs(mean))
    const = flat[:k] | flat[p:]
    bad: list[tuple[int, str, str]] = []
    for i in np.flatnonzero(const.any(axis=0)):
        which = [v for v, c in zip(panel.variables, const[:, i], strict=True) if c]
        words = f"{', '.join(which)} {'is' if len(which) == 1 else 'are'} constant in the lag pairs"
        bad.append((int(rows[i]), "constant", words))
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
    solved = spd_solve(r, c, cs[p:, p:], pair)
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
            why, code = f"collinear predictors: {', '.join(which)} (X'X is singular or ill-conditioned)", "collinear"
        else:
            which = [v for v, x in zip(panel.variables, exact[:, i], strict=True) if x]
            why = f"{', '.join(which)} predicted exactly by the lagged variables (no residual variance)"
            code = "exact_fit"
        bad.append((int(rows[i]), code, why))
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
    tq = t_crit(df)
    tval = lag_b / lag_se
    pval = t_pvalue(tval, df)
    out["df"][at] = df
    for name, value in (("coef", lag_b), ("se", lag_se), ("t", tval), ("p", pval)):
        _put(out[name], at, value)
    clock = _phases.lap("SE, t, p", clock)
    _put(out["q"], at, bh_families(pval))
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
