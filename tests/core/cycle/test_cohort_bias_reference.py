"""The eigenvector-free bias correction gives the same numbers as the eigendecomposition it replaced.

``_reference_*`` below is the earlier implementation (Engsted & Pedersen 2014, eq. 4 through
``A = V diag(lambda) V^-1``), kept here as the oracle; the process covariance is also checked
against scipy's discrete Lyapunov solver and the stationarity test against numpy's eigenvalues.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import linalg

from painmind.core.cycle.cohort import corrected_var, pope_bias
from painmind.core.cycle.cohort.bias import _lyapunov, _stationary

_STATIONARY = 1.0 - 1e-6
_KILIAN = 0.99 ** np.arange(1, 1001)


def _t(a: np.ndarray) -> np.ndarray:
    return np.swapaxes(a, -1, -2)


def _reference_gamma0(lam: np.ndarray, v: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    vi = np.linalg.inv(v)
    c = vi @ sigma @ np.conj(_t(vi))
    gamma0: np.ndarray = (v @ (c / (1.0 - lam[..., :, None] * np.conj(lam[..., None, :]))) @ np.conj(_t(v))).real
    return gamma0


def _reference_bias(a: np.ndarray, sigma: np.ndarray, t: np.ndarray, trend: bool) -> np.ndarray:
    out = np.full(a.shape, np.nan)
    good = np.isfinite(a).all((1, 2)) & np.isfinite(sigma).all((1, 2)) & (t > 0)
    if not good.any():
        return out
    lam, v = np.linalg.eig(a[good])
    stationary = np.abs(lam).max(1) < _STATIONARY
    rows = np.flatnonzero(good)[stationary]
    if len(rows) == 0:
        return out
    lam, v, s = lam[stationary], v[stationary], sigma[rows]
    gamma0 = _reference_gamma0(lam, v, s)
    d = (2.0 if trend else 1.0) / (1.0 - lam) + lam / (1.0 - lam**2)
    d = d + (lam[:, None, :] / (1.0 - lam[:, None, :] * lam[:, :, None])).sum(2)
    bracket = ((_t(np.linalg.inv(v)) * d[:, None, :]) @ _t(v)).real
    out[rows] = -(s @ bracket @ np.linalg.inv(gamma0)) / t[rows, None, None]
    return out


def _radius(a: np.ndarray) -> np.ndarray:
    radius: np.ndarray = np.abs(np.linalg.eigvals(a)).max(-1)
    return radius


def _reference_corrected(coef, se, corr, t, df, ok, trend):
    coef_c, se_c = coef.copy(), se.copy()
    rows = np.flatnonzero(ok & np.isfinite(coef).all((1, 2)) & np.isfinite(se).all((1, 2)))
    a_hat, d, t = coef_c[rows], se_c[rows, :, 0], t[rows]
    sigma = d[:, :, None] * corr[rows] * d[:, None, :]
    step = _reference_bias(a_hat, sigma, t, trend)
    fixable = np.isfinite(step).all((1, 2))
    bias = np.where(fixable[:, None, None], step, 0.0)
    for _ in range(3):
        step = _reference_bias(a_hat - bias, sigma, t, trend)
        bias = np.where(np.isfinite(step), step, bias)
    bias = np.where(fixable[:, None, None], bias, 0.0)
    leaving = np.flatnonzero(_radius(a_hat - bias) >= _STATIONARY)
    if len(leaving):
        fine = _radius(a_hat[leaving, None] - _KILIAN[None, :, None, None] * bias[leaving, None]) < _STATIONARY
        first = np.where(fine.any(1), fine.argmax(1), -1)
        bias[leaving] *= np.where(first >= 0, _KILIAN[first], 0.0)[:, None, None]
    coef_c[rows] = a_hat - bias
    mean_a = coef_c[rows].mean(0)
    lam, v = np.linalg.eig(mean_a)
    gamma0 = _reference_gamma0(lam, v, sigma)
    var = np.diagonal(sigma, 0, 1, 2)[:, :, None] * np.diagonal(np.linalg.inv(gamma0), 0, 1, 2)[:, None, :]
    k = coef.shape[1]
    inflate = 1.0 / np.maximum(1.0 - (4.0 if trend else 3.0) / t, 0.5) ** 2
    var[:, np.arange(k), np.arange(k)] *= np.where(fixable, inflate, 1.0)[:, None]
    se_c[rows] = np.sqrt(var / df[rows, None, None])
    return coef_c, se_c


def _fits(n: int, k: int, seed: int) -> tuple[np.ndarray, ...]:
    """Random per-patient VAR(1) fits: radii spread over (0, 1.05), complex pairs, a few awkward rows."""
    rng = np.random.default_rng(seed)
    coef = rng.normal(0.0, 0.25, (n, k, k))
    coef *= (rng.uniform(0.05, 1.05, n) / _radius(coef))[:, None, None]
    coef[:5] *= (_STATIONARY - 1e-4) / _radius(coef[:5])[:, None, None]  # just inside: Kilian shrinks these
    coef[5, 0, 0] = np.nan
    scale = rng.uniform(0.5, 2.0, (n, k))
    se = scale[:, :, None] * rng.uniform(0.05, 0.15, (n, 1, k))
    raw = rng.normal(size=(n, k, 2 * k))
    cov = raw @ _t(raw)
    sd = np.sqrt(np.diagonal(cov, 0, 1, 2))
    corr = cov / sd[:, :, None] / sd[:, None, :]
    t = rng.integers(20, 120, n).astype(np.float64)
    ok = rng.uniform(size=n) > 0.05
    return coef, se, corr, t, t - k - 1, ok


@pytest.mark.parametrize("trend", [False, True])
@pytest.mark.parametrize(("k", "seed"), [(1, 1), (2, 2), (3, 3), (6, 4)])
def test_corrected_var_matches_the_eigendecomposition(k: int, seed: int, trend: bool) -> None:
    coef, se, corr, t, df, ok = _fits(400, k, seed)
    want_coef, want_se = _reference_corrected(coef, se, corr, t, df, ok, trend)
    got_coef, got_se = corrected_var(coef, se, corr, n_pairs=t, df=df, ok=ok, trend=trend)
    assert (got_coef != coef).sum() > 0.5 * coef.size  # the correction did something
    np.testing.assert_allclose(got_coef, want_coef, rtol=0, atol=1e-10, equal_nan=True)
    np.testing.assert_allclose(got_se, want_se, rtol=1e-10, atol=0, equal_nan=True)


@pytest.mark.parametrize("trend", [False, True])
def test_pope_bias_matches_the_eigendecomposition(trend: bool) -> None:
    coef, se, corr, t, _, _ = _fits(300, 4, 5)
    sigma = se[:, :, :1] * corr * _t(se[:, :, :1])
    want = _reference_bias(coef, sigma, t, trend)
    assert np.isnan(want).all((1, 2)).sum() > 5  # the non-stationary and NaN rows are among them
    np.testing.assert_allclose(pope_bias(coef, sigma, t, trend=trend), want, rtol=1e-8, atol=1e-12, equal_nan=True)


def test_process_covariance_and_stationarity_match_scipy_and_numpy() -> None:
    coef, se, corr, *_ = _fits(200, 3, 6)
    keep = np.isfinite(coef).all((1, 2))
    coef, sigma = coef[keep], (se[:, :, :1] * corr * _t(se[:, :, :1]))[keep]
    np.testing.assert_array_equal(_stationary(coef), _radius(coef) < _STATIONARY)
    inside = _radius(coef) < 0.999
    want = np.array([linalg.solve_discrete_lyapunov(a, s) for a, s in zip(coef[inside], sigma[inside], strict=True)])
    np.testing.assert_allclose(_lyapunov(coef[inside], sigma[inside]), want, rtol=1e-9)
    mean_a = coef[inside].mean(0)
    want_mean = np.array([linalg.solve_discrete_lyapunov(mean_a, s) for s in sigma])
    np.testing.assert_allclose(_lyapunov(mean_a, sigma), want_mean, rtol=1e-10)
