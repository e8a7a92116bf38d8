"""Small-sample bias correction of per-patient VAR(1) estimates before they are pooled.

Per-patient OLS with an intercept biases the lag matrix by about ``-B / T`` (Kendall 1954; Nickell
1981; analytics-reference §1 item 3 and §3): for one variable ``-(1 + 3 phi) / T``.  Pooling 200
such estimates shrinks the interval around the biased mean, so it stops covering the truth.  We
remove the O(1/T) term with the closed form of Nicholls & Pope (1988) and Pope (1990) for a VAR(1)
with an estimated mean, as written by Engsted & Pedersen (2014, eq. 4)::

    B = Sigma [(I - A')^-1 + A'(I - A'^2)^-1 + sum_l lambda_l (I - lambda_l A')^-1] Gamma0^-1

``Sigma`` the innovation covariance, ``Gamma0`` the process covariance (``A Gamma0 A' + Sigma``),
``lambda_l`` the eigenvalues of ``A``; ``T`` is the patient's number of lag pairs.  The formula is
a matrix one: it corrects the cross-lags as well (their bias comes from regressors correlated
with the lagged outcome), not only the autoregressive terms.  With a linear trend in every
equation the mean term is doubled, ``2 (I - A')^-1``: for one variable that is the known
``-(2 + 4 phi) / T`` (and a seeded simulation in tests/core/cycle/test_cohort_coverage.py checks it for
three).  ``B`` is evaluated at the corrected estimate by fixed-point steps (``A_{m+1} = A_hat +
B(A_m) / T``), which removes most of the O(1/T^2) bias the plug-in value leaves; a patient whose
estimate is not stationary is left uncorrected, and a correction that would make it
non-stationary is shrunk by factors of 0.99 until it is not (Kilian 1998).

How it is computed (speed, not a different estimate: tests/core/cycle/test_cohort_bias_reference.py
checks it against the eigendecomposition to 1e-10).  No eigenvectors: every term of the bracket
is a rational function of ``A'``, the eigenvalue sum being ``-p(A')^-1 p'(A')`` with
``p(z) = det(I - z A)`` (coefficients from traces of powers of ``A``).  One run of Smith's doubling
(batched matrix products) gives ``Gamma0``, ``(I - A'^2)^-1`` (as ``prod (I + A^(2^i))``) and the
stationarity test (``||A^128||_F^(1/128)``, with eigenvalues only for the few patients that bound
cannot decide); as all functions of ``A`` commute, the rest is one batched solve with
``p(A) Gamma0``.  Patients go through in blocks of 1024, ordered by ``||A||_F`` so that a block's
patients need about as many doubling steps, all fixed-point steps of a block at once, the blocks on
a few threads (numpy's matrix products release the GIL).

What is *not* corrected: bias of O(1/T^2) and beyond, the extra bias of missing days (``T`` is the
number of valid pairs, not the span), measurement error (whole-number 0-10 answers), and
non-normal innovations (Pope 1990 shows the formula holds for those to O(1/T)).

Standard errors (the pooling weights).  A patient's OLS SE of an autoregressive term depends on
that patient's own estimate (for one variable ``sqrt((1 - phi_hat**2) / T)``): higher estimates get
smaller SEs, hence larger weights, and the weighted cohort mean is pulled up (measured: +0.006 to
+0.008 at N = 200, T = 90, about 0.6 of the pooled SE, with 88 % coverage; the unweighted mean of
the corrected estimates is within 0.002 of the truth).  So each patient's sampling variance is
taken from the asymptotic covariance ``Sigma_i (x) Gamma0^-1 / df_i`` with ``Gamma0`` that of the
*cohort-mean* lag matrix (the mean of the corrected estimates) and the patient's own innovation
covariance and degrees of freedom: precision still follows the patient's number of pairs and
scales, but not the noise in the patient's own estimate.  This is the remedy of Hunter & Schmidt
(2004) for correlations (the mean r in the variance of r).  The corrected autoregressive
estimate is about ``(A_hat + 1/T) / (1 - c/T)`` (c = 3, or 4 with a trend), so its variance is
multiplied by ``1 / (1 - c/T)**2``.

References: Kendall MG (1954) Biometrika 41:403-404.  Nickell S (1981) Econometrica 49:1417-1426.
Nicholls DF, Pope AL (1988) Aust J Stat 30A:296-309.  Pope AL (1990) J Time Ser Anal 11:249-258.
Kilian L (1998) Rev Econ Stat 80:218-230.  Engsted T, Pedersen TQ (2014) Econometrics 2:45-71.
Hunter JE, Schmidt FL (2004) Methods of meta-analysis, 2nd ed., Sage.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from painmind.core.cycle.cohort._parallel import parallel_map

__all__ = ["corrected_var", "pope_bias"]

FloatArray = NDArray[np.float64]
_FIXED_POINT_STEPS = 3  # measured: a 4th step moves the mean by < 1e-4 at T = 40
_STATIONARY = 1.0 - 1e-6  # largest accepted spectral radius
_KILIAN = 0.99 ** np.arange(1, 1001)  # shrink factors of a correction that would leave stationarity
_SQUARINGS = 7  # rho(A) <= ||A^128||_F^(1/128) decides all but ~2 in 100k synthetic patients
_BLOCK = 1024  # patients per batch: the temporaries stay in cache (100k at once ran 2.5x slower)
_DOUBLINGS = 64  # cap on Smith's doubling steps (A^(2^m) < 1e-9 needs ~25 at rho = 1 - 1e-6)


def _t(a: NDArray[Any]) -> NDArray[Any]:
    return np.swapaxes(a, -1, -2)


def _stationary(a: FloatArray) -> NDArray[np.bool_]:
    """``spectral radius < _STATIONARY`` for each matrix of ``a`` (shape (..., k, k), finite).

    ``rho(A)^m <= ||A^m||_F`` for any m, so a small norm of ``A^128`` (seven squarings, a few
    batched matrix products) proves stationarity; only the patients it cannot decide (radius
    near 1, or strongly non-normal) go to the eigensolver, which was most of the run time.
    """
    flat = a.reshape(-1, *a.shape[-2:])
    power = flat
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(_SQUARINGS):
            power = power @ power
        bound = np.sqrt((power**2).sum((1, 2)))
    out = bound < _STATIONARY ** (2**_SQUARINGS)
    unsure = np.flatnonzero(~out)
    if len(unsure):
        out[unsure] = np.abs(np.linalg.eigvals(flat[unsure])).max(-1) < _STATIONARY
    stationary: NDArray[np.bool_] = out.reshape(a.shape[:-2])
    return stationary


def _lyapunov(a: FloatArray, sigma: FloatArray) -> FloatArray:
    """Process covariance ``Gamma0 = sum_j A^j Sigma A'^j`` (``A Gamma0 A' + Sigma``) of stationary ``A``.

    ``a`` (n, k, k): Smith's doubling; after m steps ``G`` holds the first 2^m terms and
    ``P = A^(2^m)``; a patient stops once ``|P| < 1e-9`` entrywise, where the rest (``P Gamma0 P'``)
    is at most ``k^2 1e-18`` of the sum.  ``a`` (k, k) with ``sigma`` (n, k, k): every patient's at one
    (cohort-mean) ``A``, by the Kronecker form solved once.
    """
    gamma0 = np.array(sigma, dtype=np.float64)
    power = np.array(a, dtype=np.float64)
    if power.ndim == 2:  # one A: vec(Gamma0) = (I - A (x) A)^-1 vec(Sigma), one k^2 x k^2 solve for all
        k2 = power.size
        solved = np.linalg.solve(np.eye(k2) - np.kron(power, power), np.eye(k2))
        # (n, 1, k^2) @ (k^2, k^2), not a 2-D product: that one wakes BLAS threads, whose spinning
        # doubled the CPU time of the whole call for 1 ms saved.
        out: FloatArray = (gamma0.reshape(-1, 1, k2) @ solved.T).reshape(gamma0.shape)
        return out
    out, g, idx = gamma0, gamma0, np.arange(len(gamma0))  # one A per patient: Smith's doubling
    for _ in range(_DOUBLINGS):
        going = np.abs(power).max((1, 2)) >= 1e-9
        if not going.all():  # finished patients leave the batch, so the slowest one costs little
            out[idx[~going]] = g[~going]
            idx, g, power = idx[going], g[going], power[going]
            if len(idx) == 0:
                break
        g = g + power @ g @ np.ascontiguousarray(_t(power))
        power = power @ power
    else:
        out[idx] = g
    return out


def pope_bias(a: FloatArray, sigma: FloatArray, n_pairs: FloatArray, *, trend: bool = False) -> FloatArray:
    """``E(A_hat) - A`` to O(1/T) for OLS on a stationary VAR(1) with intercept (and trend).

    Parameters
    ----------
    a, sigma : ndarray, shape (n, k, k)
        Lag matrices ``[to, from]`` and innovation covariances (any common scale per patient).
    n_pairs : ndarray, shape (n,)
        Lag pairs per patient (``T``).

    Returns
    -------
    ndarray, shape (n, k, k)
        NaN where ``a`` is not stationary (spectral radius >= 1) or not finite.

    Examples
    --------
    >>> phi = np.array([[[0.3]]])
    >>> round(float(pope_bias(phi, np.ones((1, 1, 1)), np.array([90.0]))[0, 0, 0]), 6)  # -(1 + 3 phi) / T
    -0.021111
    """
    out = np.full(a.shape, np.nan)
    good = np.flatnonzero(np.isfinite(a).all((1, 2)) & np.isfinite(sigma).all((1, 2)) & (n_pairs > 0))
    blocks = _blocks(a[good], good)
    biases = parallel_map(lambda rows: _bias_block(a[rows], sigma[rows], n_pairs[rows], trend), blocks)
    for rows, bias in zip(blocks, biases, strict=True):
        out[rows] = bias
    return out


def _blocks(a: FloatArray, rows: NDArray[np.intp]) -> list[NDArray[np.intp]]:
    """``rows`` in blocks of ``_BLOCK``, ordered by ``||A^16||_F`` (about ``rho(A)^16``).

    A block's doubling runs until its slowest patient has converged, so patients that need about as
    many steps go together (measured on 100k synthetic patients: 6.8 steps per block on average, 9.0
    in the given order or by ``||A||_F``).
    """
    power = a
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(4):
            power = power @ power
        key = (power * power).sum((1, 2))
    order = rows[np.argsort(key, kind="stable")]
    return [order[start : start + _BLOCK] for start in range(0, len(order), _BLOCK)]


def _doubling(a: FloatArray, s: FloatArray) -> tuple[NDArray[np.bool_], FloatArray, FloatArray]:
    """Stationarity, ``Gamma0`` and ``(I - A^2)^-1`` of finite patients, from one run of Smith's doubling.

    After m steps ``P = A^(2^m)``, ``G`` holds the first 2^m terms of ``sum_j A^j Sigma A'^j`` and ``Q``
    the first 2^m of ``sum_j A^(2j) = prod_(i >= 1) (I + A^(2^i))``; a patient stops once
    ``|P| < 1e-9`` entrywise (the rest is at most ``k^2 1e-18`` of either sum).  At step 7 ``P = A^128``
    is the one of :func:`_stationary` (same products, same order), so the same patients are declared
    non-stationary: those leave the batch (their rows of ``Gamma0`` and ``Q`` are garbage).
    """
    n = len(a)
    gamma0, q = np.empty_like(a), np.empty_like(a)
    stationary = np.ones(n, dtype=bool)
    idx, power, g, qq = np.arange(n), a, s, np.broadcast_to(np.eye(a.shape[1]), a.shape)
    with np.errstate(over="ignore", invalid="ignore"):
        for m in range(_DOUBLINGS):
            if m == _SQUARINGS:  # P = A^128: the bound of _stationary, then eigenvalues for the unsure
                unsure = np.flatnonzero(~(np.sqrt((power**2).sum((1, 2))) < _STATIONARY ** (2**_SQUARINGS)))
                if len(unsure):
                    out = unsure[~(np.abs(np.linalg.eigvals(a[idx[unsure]])).max(-1) < _STATIONARY)]
                    stationary[idx[out]] = False
                    keep = np.ones(len(idx), dtype=bool)
                    keep[out] = False
                    idx, g, qq, power = idx[keep], g[keep], qq[keep], power[keep]
            # The whole block is tested first (a per-patient test costs more than a matrix product);
            # finished patients leave the batch only after step 7, when a slow one would hold up the rest.
            if len(idx) == 0 or np.abs(power).max() < 1e-9:
                break
            if m > _SQUARINGS:
                going = ~(np.abs(power).max((1, 2)) < 1e-9)
                if not going.all():
                    gamma0[idx[~going]], q[idx[~going]] = g[~going], qq[~going]
                    idx, g, qq, power = idx[going], g[going], qq[going], power[going]
            g = g + power @ g @ np.ascontiguousarray(_t(power))
            power = power @ power
            qq = qq + qq @ power
        gamma0[idx], q[idx] = g, qq
    return stationary, gamma0, q


def _bias_block(a: FloatArray, s: FloatArray, n_pairs: FloatArray, trend: bool) -> FloatArray:
    """:func:`pope_bias` of finite patients (NaN rows for the non-stationary)."""
    out = np.full(a.shape, np.nan)
    stationary, gamma0, q_mat = _doubling(a, s)
    if not stationary.all():
        a, s, n_pairs = a[stationary], s[stationary], n_pairs[stationary]
        gamma0, q_mat = gamma0[stationary], q_mat[stationary]
    n, k = len(a), a.shape[-1]
    if n == 0:
        return out
    # Every term of the bracket is a rational function of A', so no eigenvectors are needed:
    # m (I - A')^-1 + A' (I - A'^2)^-1 = (I - A'^2)^-1 (m (I + A') + A'), and with p(z) = det(I - z A)
    # = prod_l (1 - lambda_l z), sum_l lambda_l (I - lambda_l A')^-1 = -p(A')^-1 p'(A').  Each is the
    # transpose of the same function of A, so the work is done on A and transposed once at the end.
    eye = np.eye(k)
    powers = np.empty((n, k + 1, k, k))
    powers[:, 0], powers[:, 1] = eye, a
    for j in range(2, k + 1):
        np.matmul(powers[:, j - 1], a, out=powers[:, j])
    flat = powers.reshape(n, k + 1, k * k)
    # Coefficients of p from the traces of the powers (Newton's identities): j c_j = -sum_i s_i c_(j-i).
    traces = flat[:, :, :: k + 1].sum(2)
    c = np.ones((n, k + 1))
    for j in range(1, k + 1):
        c[:, j] = -(traces[:, 1 : j + 1] * c[:, j - 1 :: -1]).sum(1) / j
    # p(A) = sum_j c_j A^j and p'(A) = sum_j (j + 1) c_(j+1) A^j, as one batched product.
    weights = np.zeros((n, 2, k + 1))
    weights[:, 0] = c
    weights[:, 1, :k] = c[:, 1:] * np.arange(1, k + 1)
    p, dp = np.moveaxis((weights @ flat).reshape(n, 2, k, k), 1, 0)
    mean_term = (2.0 if trend else 1.0) * (eye + a) + a
    # bracket' = Q M - p^-1 p' with Q = (I - A^2)^-1 from the doubling; the bias is
    # -(Gamma0^-1 bracket' S)' / T (S, Gamma0 symmetric) = -((p Gamma0)^-1 (p Q M - p') S)' / T, as all
    # functions of A commute: one solve per patient (LAPACK's per-call cost is most of the time here).
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        rhs = (p @ (q_mat @ mean_term) - dp) @ s
        bias: FloatArray = -_t(np.linalg.solve(p @ gamma0, rhs)) / n_pairs[:, None, None]
    out[stationary] = bias
    return out


def _fixed_point(
    a_hat: FloatArray, sigma: FloatArray, t: FloatArray, trend: bool
) -> tuple[FloatArray, NDArray[np.bool_]]:  # fmt: skip
    """The bias at the fixed point (after ``_FIXED_POINT_STEPS`` steps, Kilian-shrunk) and ``fixable``."""
    step = _bias_block(a_hat, sigma, t, trend)
    fixable: NDArray[np.bool_] = np.asarray(np.isfinite(step).all((1, 2)))
    bias = np.where(fixable[:, None, None], step, 0.0)
    for _ in range(_FIXED_POINT_STEPS):
        step = _bias_block(a_hat - bias, sigma, t, trend)
        bias = np.where(np.isfinite(step), step, bias)
    bias = np.where(fixable[:, None, None], bias, 0.0)
    # Kilian (1998): a correction that makes the estimate non-stationary is shrunk until it is not.
    leaving = np.flatnonzero(~_stationary(a_hat - bias))
    if len(leaving):
        tries = a_hat[leaving, None] - _KILIAN[None, :, None, None] * bias[leaving, None]
        fine = _stationary(tries)
        first = np.where(fine.any(1), fine.argmax(1), -1)
        scale = np.where(first >= 0, _KILIAN[first], 0.0)
        bias[leaving] *= scale[:, None, None]
    return bias, fixable


def corrected_var(
    coef: FloatArray, se: FloatArray, resid_corr: FloatArray, *, n_pairs: FloatArray, df: FloatArray,
    ok: NDArray[np.bool_], trend: bool, groups: NDArray[np.intp] | None = None,
) -> tuple[FloatArray, FloatArray]:  # fmt: skip
    """Bias-corrected coefficients and their SEs, shape (n, k, k) each (see the module docstring).

    ``Sigma`` up to a common scale is rebuilt from the fit: ``se[i, to, from]`` is the residual SD
    of equation ``to`` times a factor that depends only on ``from``, so ``D R D`` with
    ``D = se[i, :, 0]`` and ``R = resid_corr[i]``.  Patients not ``ok``, or whose estimate is not
    stationary, keep their OLS values.  ``groups`` (one non-negative integer per patient) treats
    each group as its own cohort: the SEs are taken at that group's mean dynamics (default: one
    cohort).
    """
    coef_c, se_c = np.array(coef, dtype=np.float64), np.array(se, dtype=np.float64)
    rows = np.flatnonzero(ok & np.isfinite(coef).all((1, 2)) & np.isfinite(se).all((1, 2)))
    if len(rows) == 0:
        return coef_c, se_c
    d = se_c[:, :, 0]
    sigma = d[:, :, None] * resid_corr * d[:, None, :]
    t = np.asarray(n_pairs, dtype=np.float64)
    fixable = np.zeros(len(coef_c), dtype=bool)
    blocks = _blocks(coef_c[rows], rows)
    results = parallel_map(lambda b: _fixed_point(coef_c[b], sigma[b], t[b], trend), blocks)
    for block, (bias, fix) in zip(blocks, results, strict=True):
        coef_c[block] -= bias
        fixable[block] = fix
    group = np.zeros(len(coef_c), dtype=np.intp) if groups is None else np.asarray(groups, dtype=np.intp)
    k = coef_c.shape[1]
    inflate = 1.0 / np.maximum(1.0 - (4.0 if trend else 3.0) / t, 0.5) ** 2
    dof = np.asarray(df, dtype=np.float64)
    for g in np.unique(group[rows]):
        members = rows[group[rows] == g]
        mean_a = coef_c[members].mean(0)
        if not np.abs(np.linalg.eigvals(mean_a)).max() < _STATIONARY:  # exploding series: OLS SEs are kept
            continue
        gamma0 = _lyapunov(mean_a, sigma[members])
        var = np.diagonal(sigma[members], 0, 1, 2)[:, :, None] * np.diagonal(np.linalg.inv(gamma0), 0, 1, 2)[:, None, :]
        var[:, np.arange(k), np.arange(k)] *= np.where(fixable[members], inflate[members], 1.0)[:, None]
        se_c[members] = np.sqrt(var / dof[members, None, None])
    return coef_c, se_c
