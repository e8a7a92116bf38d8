"""Cohort estimates on the full pipeline: simulated diaries -> fit_patients -> bias correction -> pooling.

Truth comes from the simulation (each patient's A_i drawn around a known mean), and the small-sample
bias formula is checked against OLS by numpy's lstsq on seeded series, never against the code under
test.  Larger runs (T = 40, whole-number 0-10 answers, more cohorts): benchmarks/cohort_coverage.py.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from painmind.core.cycle import analyze, build_pairs, fit_patients
from painmind.core.cycle.cohort import CohortFit, corrected_var, pool_fits, pope_bias
from painmind.core.cycle.cohort.simulate import MEAN_A, VARIABLES, coverage, simulate_cohorts


def test_full_pipeline_intervals_cover_every_edge_at_200_patients_90_days():
    # Issue 11's "done when": >= 93 % for every edge at N = 200, T = 90, on the full pipeline.
    # 1,000 cohorts of 200 patients x 90 days, all in one fit_patients call and one grouped pooling
    # (pool_fits_by_group, tested equal to pool_fits cohort by cohort below).  Monte Carlo SE of one
    # edge's coverage: sqrt(.95 * .05 / 1000) = 0.69 points.  Measured (seed 2026): 93.9-95.9 % per
    # edge (mood -> mood 93.9, stress -> mood 94.0); benchmarks/cohort_coverage.py with 2,000 cohorts
    # per setting gives the per-edge values in docs/benchmarks.md.  Pooled error -0.0011 to 0.0004;
    # tau 0.94-1.00 of the truth.  Without the correction the AR edges cover 38-49 % (next test).
    res = coverage(1000, 200, 90, rng=2026)
    assert res.covered.min() >= 0.93, np.round(100 * res.covered, 1)
    assert np.abs(res.mean_error).max() < 0.003
    # tau: within 10 % of the truth on every edge at T = 90.
    np.testing.assert_allclose(res.tau_ratio, 1.0, atol=0.1)


def test_without_the_correction_autoregressive_intervals_miss():
    res = coverage(100, 200, 90, bias_correction=False, rng=7)
    ar = np.diag(res.covered)
    assert ar.max() < 0.7, ar  # the failure the correction fixes (issue 11: 28-34 %)
    assert np.all(np.diag(res.mean_error) < -0.015)


@pytest.mark.parametrize("trend", [False, True])
def test_bias_formula_matches_simulated_ols_bias(trend):
    # 3-variable VAR(1), correlated innovations, T = 60 pairs; OLS with intercept (and trend) by lstsq.
    rng = np.random.default_rng(31 + trend)
    a = np.array([[0.5, 0.1, 0.0], [-0.15, 0.3, 0.1], [0.05, 0.1, 0.2]])
    chol = np.array([[1.0, 0.0, 0.0], [-0.4, 1.0, 0.0], [0.3, 0.2, 1.0]])
    reps, t = 12_000, 60
    y = np.zeros((reps, 3))
    series = np.empty((reps, t + 1, 3))
    for day in range(-60, t + 1):
        y = y @ a.T + rng.standard_normal((reps, 3)) @ chol.T
        if day >= 0:
            series[:, day] = y
    x = series[:, :-1]
    cols = [np.ones((reps, t, 1)), x] + ([np.arange(t, dtype=float)[None, :, None].repeat(reps, 0)] if trend else [])
    z = np.concatenate(cols, axis=2)
    coef = np.linalg.solve(np.swapaxes(z, 1, 2) @ z, np.swapaxes(z, 1, 2) @ series[:, 1:])[:, 1:4]
    simulated = np.swapaxes(coef, 1, 2).mean(0) - a
    mc_se = np.swapaxes(coef, 1, 2).std(0) / np.sqrt(reps)
    formula = pope_bias(a[None], (chol @ chol.T)[None], np.array([float(t)]), trend=trend)[0]
    assert np.abs(np.diag(simulated)).min() > 0.02  # a bias worth correcting
    assert np.all(np.abs(formula - simulated) < 4 * mc_se + 0.004), (formula - simulated) / mc_se


def test_univariate_bias_is_kendalls():
    phi, t = np.array([[[0.5]]]), np.array([50.0])
    assert pope_bias(phi, np.ones((1, 1, 1)), t)[0, 0, 0] == pytest.approx(-(1 + 3 * 0.5) / 50)
    assert pope_bias(phi, np.ones((1, 1, 1)), t, trend=True)[0, 0, 0] == pytest.approx(-(2 + 4 * 0.5) / 50)


def test_non_stationary_estimates_are_left_uncorrected_and_corrections_keep_stationarity():
    coef = np.array([[[1.02]], [[0.97]], [[0.3]]])
    se = np.full_like(coef, 0.05)
    corr = np.ones_like(coef)
    n = np.array([30.0, 30.0, 30.0])
    fixed, _ = corrected_var(coef, se, corr, n_pairs=n, df=n - 2, ok=np.ones(3, dtype=bool), trend=False)
    assert fixed[0, 0, 0] == 1.02  # exploding: no correction (Kilian 1998)
    assert 0.97 < fixed[1, 0, 0] < 1.0  # the correction is shrunk to stay stationary
    assert fixed[2, 0, 0] == pytest.approx(0.3 + (1 + 3 * fixed[2, 0, 0]) / 30, abs=1e-3)  # fixed point
    assert np.isnan(pope_bias(coef[:1], corr[:1], n[:1])).all()


def test_analyze_pools_corrected_estimates_and_exports_shrunk_ones():
    sim = simulate_cohorts(1, 60, 60, rng=3)
    n, days, k = sim.values.shape
    frame = pd.DataFrame(sim.values.reshape(n * days, k), columns=VARIABLES)
    frame["id"] = np.repeat([f"p{i:03d}" for i in range(n)], days)
    frame["date"] = np.tile(pd.date_range("2026-01-01", periods=days).date, n)
    result = analyze(frame, id_col="id", time_col="date", variables=VARIABLES)
    fits = fit_patients(build_pairs(frame, id_col="id", time_col="date", variables=VARIABLES))
    expected = pool_fits(fits)
    cohort = result.cohort
    assert isinstance(cohort, CohortFit)
    assert cohort.bias_corrected
    assert "Nicholls-Pope" in cohort.method
    np.testing.assert_allclose(cohort.estimate, expected.estimate, rtol=1e-12)
    # The correction raises the pooled AR estimates above the OLS ones by about (1 + 3 phi) / T.
    ols = pool_fits(fits, bias_correction=False)
    assert np.all(np.diag(cohort.estimate - ols.estimate) > 0.01)
    assert np.isfinite(cohort.shrunk).all()
    assert np.isfinite(cohort.shrunk_se).all()
    # Shrunk SDs are below the per-patient sampling SDs and above the pure tau-share part.
    assert np.all(cohort.shrunk_se > 0)
    doc = result.to_json()
    edge = doc["patients"][0]["edges"][0]  # type: ignore[index]
    assert edge["shrunk"] == pytest.approx(cohort.shrunk[0, 0, 0])
    assert edge["shrunk_se"] > 0
    assert doc["cohort"]["bias_corrected"] is True  # type: ignore[index]
    assert MEAN_A.shape == (k, k)


@pytest.mark.parametrize("bias_correction", [True, False])
def test_pooling_by_group_equals_pool_fits_cohort_by_cohort(bias_correction):
    from dataclasses import fields, replace

    from painmind.core.cycle import pairs_from_dense
    from painmind.core.cycle.cohort import pool_fits_by_group

    sim = simulate_cohorts(4, 30, 40, missing_day_rate=0.1, rng=11)
    ids = [f"p{i:03d}" for i in range(len(sim.values))]
    fits = fit_patients(pairs_from_dense(sim.values, patient_ids=ids, variables=VARIABLES))
    groups = np.repeat([2, 0, 3, 1], 30)
    groups[[5, 40, 77]] = 0  # unequal groups, not contiguous
    status = fits.status.copy()
    status[[3, 50]] = "insufficient_data"  # left out of their cohort
    fits = replace(fits, status=status)
    got = pool_fits_by_group(fits, groups, bias_correction=bias_correction)
    arrays = [f.name for f in fields(fits) if isinstance(getattr(fits, f.name), np.ndarray)]
    for g in range(4):
        rows = np.flatnonzero(groups == g)
        one = replace(fits, patient_ids=tuple(fits.patient_ids[i] for i in rows),
                      message=tuple(fits.message[i] for i in rows),
                      **{name: getattr(fits, name)[rows] for name in arrays})  # fmt: skip
        want = pool_fits(one, bias_correction=bias_correction)
        for key in ("estimate", "se", "p", "ci_low", "ci_high", "tau2"):
            np.testing.assert_allclose(got[key][g], getattr(want, key), rtol=1e-10, atol=1e-14)
        np.testing.assert_array_equal(got["n"][g], want.n)
