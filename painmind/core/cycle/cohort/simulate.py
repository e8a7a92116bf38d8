"""Cohorts of diaries from a known multilevel VAR(1), for the full-pipeline coverage checks.

Each patient's lag matrix is ``A_i = A + tau * Z_i`` (Z uniform with mean 0 and SD 1, per edge:
symmetric and bounded, so the cohort mean the pooling estimates is exactly ``A`` and no patient
comes near non-stationarity, which normal draws do among 100,000 patients).  Innovations are
correlated like pain, mood and stress (pain with low mood and with stress), with per-patient
scales; each series starts from its stationary distribution (a
burn-in of 100 days).  With ``integer=True`` the days are answers on a 0-10 scale: the latent
series (around a personal level of 3-7, SD about 1.6) rounded and clipped, so the truth is that
of the latent process and the answers add rounding and floor/ceiling error.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

__all__ = ["MEAN_A", "TAU", "VARIABLES", "Coverage", "SimulatedCohorts", "coverage", "simulate_cohorts"]

FloatArray = NDArray[np.float64]
VARIABLES = ("pain", "mood", "stress")
# [to, from].  Autoregressive 0.25-0.4 and cross-lags within +-0.1 (analytics-reference §2.3).
MEAN_A = np.array([[0.40, -0.10, 0.08], [-0.08, 0.30, -0.10], [0.05, -0.05, 0.25]])
TAU = np.array([[0.10, 0.05, 0.05], [0.05, 0.10, 0.05], [0.05, 0.05, 0.10]])
_CORR = np.array([[1.0, -0.3, 0.3], [-0.3, 1.0, -0.4], [0.3, -0.4, 1.0]])
_BURN_IN = 100


class SimulatedCohorts(NamedTuple):
    values: FloatArray  # (cohorts * patients, days, 3), patients of one cohort contiguous
    coef: FloatArray  # (cohorts * patients, 3, 3): each patient's true A_i
    n_cohorts: int
    n_patients: int


def simulate_cohorts(
    n_cohorts: int, n_patients: int, n_days: int, *, integer: bool = False, missing_day_rate: float = 0.0,
    rng: np.random.Generator | int | None = None,
) -> SimulatedCohorts:  # fmt: skip
    """Simulate `n_cohorts` cohorts of `n_patients` daily diaries of `n_days` days each.

    Missing days (``missing_day_rate``) are whole days set to NaN, so they break lag pairs.

    >>> sim = simulate_cohorts(2, 3, 10, rng=0)
    >>> sim.values.shape, sim.coef.shape
    ((6, 10, 3), (6, 3, 3))
    """
    gen = np.random.default_rng(rng)
    n, k = n_cohorts * n_patients, len(VARIABLES)
    coef = MEAN_A + TAU * gen.uniform(-np.sqrt(3.0), np.sqrt(3.0), (n, k, k))
    radius = np.abs(np.linalg.eigvals(coef)).max(1)
    if radius.max() >= 0.95:  # never (AR <= 0.4 + 1.8 SD): a guard on the design
        raise AssertionError(f"a simulated patient is close to non-stationary (spectral radius {radius.max():.3f})")
    scale = gen.uniform(0.6, 1.4, (n, k))
    chol = np.linalg.cholesky(_CORR)
    # Variable-major (k, n) rows and k^2 vector products: no 2-D matrix product (it wakes BLAS
    # threads, which spin on a loaded machine) and no einsum (slower than these few products).
    coef_t, scale_t = np.ascontiguousarray(coef.transpose(1, 2, 0)), np.ascontiguousarray(scale.T)
    y = np.zeros((k, n))
    out = np.empty((n_days, k, n))
    for day in range(-_BURN_IN, n_days):
        z = gen.standard_normal((n, k)).T
        new = np.empty((k, n))
        for i in range(k):
            shock = chol[i, 0] * z[0]
            for j in range(1, i + 1):
                shock += chol[i, j] * z[j]
            row = coef_t[i, 0] * y[0]
            for j in range(1, k):
                row += coef_t[i, j] * y[j]
            new[i] = row + shock * scale_t[i]
        y = new
        if day >= 0:
            out[day] = y
    out = np.ascontiguousarray(out.transpose(2, 0, 1))
    if integer:
        sd = out.std((1, 2), keepdims=True)  # one scale per patient: a per-variable one would change the cross-lags
        level = gen.uniform(3.0, 7.0, (n, 1, k))
        out = np.clip(np.round(level + 1.6 * out / sd), 0.0, 10.0)
    else:
        out += gen.normal(0.0, 2.0, (n, 1, k))  # personal means
    if missing_day_rate > 0.0:
        out[gen.random((n, n_days)) < missing_day_rate] = np.nan
    return SimulatedCohorts(out, coef, n_cohorts, n_patients)


class Coverage(NamedTuple):
    covered: FloatArray  # (k, k): share of cohorts whose interval holds the true mean
    mean_error: FloatArray  # (k, k): mean over cohorts of pooled estimate - truth
    tau_ratio: FloatArray  # (k, k): mean over cohorts of estimated tau / true tau
    n_cohorts: int


def coverage(
    n_cohorts: int, n_patients: int, n_days: int, *, integer: bool = False, missing_day_rate: float = 0.0,
    bias_correction: bool = True, rng: np.random.Generator | int | None = None,
) -> Coverage:  # fmt: skip
    """The whole pipeline on simulated cohorts: diaries -> `fit_patients` -> `pool_fits`, per cohort.

    All cohorts' patients go through one `fit_patients` call and one `pool_fits_by_group` (the same
    numbers as `pool_fits` cohort by cohort).
    """
    from painmind.core.cycle.cohort.pooling import pool_fits_by_group
    from painmind.core.cycle.kernel import fit_patients
    from painmind.core.cycle.lags import pairs_from_dense

    sim = simulate_cohorts(n_cohorts, n_patients, n_days, integer=integer, missing_day_rate=missing_day_rate, rng=rng)
    ids = [f"p{i:07d}" for i in range(len(sim.values))]
    fits = fit_patients(pairs_from_dense(sim.values, patient_ids=ids, variables=VARIABLES))
    res = pool_fits_by_group(fits, np.repeat(np.arange(n_cohorts), n_patients), bias_correction=bias_correction)
    covered = (res["ci_low"] <= MEAN_A) & (res["ci_high"] >= MEAN_A)
    return Coverage(
        covered.mean(0), (res["estimate"] - MEAN_A).mean(0), (np.sqrt(res["tau2"]) / TAU).mean(0), n_cohorts
    )
