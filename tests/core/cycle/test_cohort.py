"""Random-effects pooling: independent oracles, worked examples, coverage, ground truth, edges.

Oracles: statsmodels ``combine_effects`` (DerSimonian-Laird, HKSJ), the restricted likelihood
written with dense matrices and maximised by scipy (statsmodels 0.15 has no REML in
``combine_effects``: its ``method_re`` is only "iterated"/"pm" = Paule-Mandel or "chi2"/"dl"),
statsmodels WLS for the mean and both SEs at a given tau2, metafor's published BCG results,
and hand-worked examples.
"""

from __future__ import annotations

import json
import math
from fractions import Fraction

import numpy as np
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize, stats
from statsmodels.stats.meta_analysis import combine_effects

from painmind.core.cycle import build_pairs, fit_patients
from painmind.core.cycle.cohort import pool_cohort, pool_random_effects, shrink
from painmind.core.synth import generate_cohort

T975_2 = stats.t.isf(0.025, 2)


def _draw(n: int, tau: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    v = 0.01 * rng.uniform(1.0, 3.0, n)
    return 0.2 + tau * rng.standard_normal(n) + np.sqrt(v) * rng.standard_normal(n), v


# --- statsmodels / likelihood oracles -------------------------------------------------------


@pytest.mark.parametrize(("n", "seed"), [(3, 1), (7, 2), (25, 3), (120, 4)])
def test_dl_and_hksj_match_statsmodels(n, seed):
    y, v = _draw(n, 0.4, seed)
    sm_res = combine_effects(y, v, method_re="dl")
    assert sm_res.tau2 > 0  # statsmodels does not truncate tau2 at 0, so compare where it is positive
    wald = pool_random_effects(y, v, method="dl", hartung_knapp=False)
    hk = pool_random_effects(y, v, method="dl")
    for res in (wald, hk):
        assert res.tau2 == pytest.approx(sm_res.tau2, rel=1e-8, abs=1e-12)
        assert res.estimate == pytest.approx(sm_res.mean_effect_re, rel=1e-8, abs=1e-12)
    assert wald.se == pytest.approx(sm_res.sd_eff_w_re, rel=1e-8)
    assert hk.se == pytest.approx(sm_res.sd_eff_w_re_hksj, rel=1e-8)
    np.testing.assert_allclose([wald.ci_low, wald.ci_high], sm_res.conf_int(use_t=False)[1], rtol=1e-8)
    np.testing.assert_allclose([hk.ci_low, hk.ci_high], sm_res.conf_int(use_t=True)[3], rtol=1e-8)
    assert (hk.df, wald.df) == (n - 1, math.inf)
    assert hk.p == pytest.approx(2 * stats.t.sf(abs(hk.estimate / hk.se), n - 1), rel=1e-8)


@pytest.mark.parametrize("method", ["dl", "reml"])
def test_homogeneous_data_reduce_to_fixed_effect(method):
    y, v = _draw(12, 0.0, 11)
    sm_res = combine_effects(y, v, method_re="dl")
    assert sm_res.q < 11  # Q below its df: DL truncates tau2 to 0; REML's score at 0 is negative too
    wald = pool_random_effects(y, v, method=method, hartung_knapp=False)
    hk = pool_random_effects(y, v, method=method)
    assert wald.tau2 == hk.tau2 == 0.0
    assert wald.estimate == pytest.approx(sm_res.mean_effect_fe, rel=1e-10)
    assert wald.se == pytest.approx(sm_res.sd_eff_w_fe, rel=1e-10)
    assert hk.se == pytest.approx(math.sqrt(sm_res.var_hksj_fe), rel=1e-10)
    np.testing.assert_allclose([hk.ci_low, hk.ci_high], sm_res.conf_int(use_t=True)[2], rtol=1e-10)


def _restricted_loglik(tau2: float, y: np.ndarray, v: np.ndarray) -> float:
    # Textbook (Harville 1977) form with dense matrices, deliberately unlike the module's sums.
    x = np.ones((len(y), 1))
    vinv = np.linalg.inv(np.diag(v + tau2))
    xvx = x.T @ vinv @ x
    r = y - x @ np.linalg.solve(xvx, x.T @ vinv @ y)
    return float(-0.5 * (np.linalg.slogdet(np.diag(v + tau2))[1] + np.linalg.slogdet(xvx)[1] + r @ vinv @ r))


def _restricted_score(tau2: float, y: np.ndarray, v: np.ndarray) -> float:
    x = np.ones((len(y), 1))
    vinv = np.linalg.inv(np.diag(v + tau2))
    proj = vinv - vinv @ x @ np.linalg.inv(x.T @ vinv @ x) @ x.T @ vinv
    return float(0.5 * (y @ proj @ proj @ y - np.trace(proj)))


@pytest.mark.parametrize(("n", "tau", "seed"), [(4, 0.3, 5), (10, 0.1, 6), (40, 0.2, 7), (9, 0.0, 8)])
def test_reml_maximises_restricted_likelihood(n, tau, seed):
    y, v = _draw(n, tau, seed)
    hk = pool_random_effects(y, v)
    wald = pool_random_effects(y, v, hartung_knapp=False)
    if _restricted_score(0.0, y, v) <= 0:
        expected = 0.0  # likelihood falls from the boundary: the constrained maximum is tau2 = 0
    else:
        expected = optimize.brentq(_restricted_score, 0.0, 10.0, args=(y, v), xtol=1e-15)
    assert hk.tau2 == pytest.approx(expected, rel=1e-8, abs=1e-12)
    best = optimize.minimize_scalar(lambda t: -_restricted_loglik(t, y, v), bounds=(0, 10), method="bounded",
                                    options={"xatol": 1e-10})  # fmt: skip
    assert _restricted_loglik(hk.tau2, y, v) >= -best.fun - 1e-12
    assert hk.tau2 == pytest.approx(best.x, rel=1e-4, abs=1e-8)
    # WLS with weights 1 / (v + tau2): fixed scale 1 is the Wald SE, estimated scale is HKSJ.
    wls = sm.WLS(y, np.ones((n, 1)), weights=1.0 / (v + hk.tau2))
    fixed, free = wls.fit(cov_type="fixed scale"), wls.fit()
    assert hk.estimate == pytest.approx(fixed.params[0], rel=1e-8, abs=1e-12)
    assert wald.se == pytest.approx(fixed.bse[0], rel=1e-8)
    assert hk.se == pytest.approx(free.bse[0], rel=1e-8)
    np.testing.assert_allclose([hk.ci_low, hk.ci_high], free.conf_int(0.05)[0], rtol=1e-8)
    assert hk.p == pytest.approx(free.pvalues[0], rel=1e-8)


def test_reml_finds_the_global_maximum_of_a_bimodal_likelihood():
    # Sampling variances spanning 5 decades give a restricted likelihood with local maxima near
    # tau2 = 0.62 and 398 (the higher one); Newton from the DL value (10.4) alone stops at 0.62.
    y = np.array([11.3, 87.5, -293.3, 67.4, 6.4, -3.4, 326.5, 13.2])
    v = np.array([1.0, 36562.0, 336310.0, 273.0, 118.0, 4439.0, 103990.0, 2.0])
    res = pool_random_effects(y, v)
    grid = np.geomspace(1e-3, 1e7, 2001)
    best = max(_restricted_loglik(t, y, v) for t in grid)
    assert _restricted_loglik(res.tau2, y, v) >= best - 1e-12
    assert 300 < res.tau2 < 500
    assert abs(_restricted_score(res.tau2, y, v)) < 1e-8


# BCG vaccine trials (metafor's dat.bcg, Colditz et al. 1994): tpos, tneg, cpos, cneg.
BCG = np.array([
    [4, 119, 11, 128], [6, 300, 29, 274], [3, 228, 11, 209], [62, 13536, 248, 12619], [33, 5036, 47, 5761],
    [180, 1361, 372, 1079], [8, 2537, 10, 619], [505, 87886, 499, 87892], [29, 7470, 45, 7232],
    [17, 1699, 65, 1600], [186, 50448, 141, 27197], [5, 2493, 3, 2338], [27, 16886, 29, 17825],
], dtype=float)  # fmt: skip


def test_bcg_matches_metafor_published_results():
    tpos, tneg, cpos, cneg = BCG.T
    y = np.log(tpos / (tpos + tneg)) - np.log(cpos / (cpos + cneg))
    v = 1 / tpos - 1 / (tpos + tneg) + 1 / cpos - 1 / (cpos + cneg)
    # Viechtbauer (2010) J Stat Softw 36(3): REML log RR -0.7145 (SE 0.1798, CI -1.0669 to -0.3622),
    # tau2 0.3132; with test="knha" SE 0.1808, CI -1.1084 to -0.3206, p 0.0019; DL tau2 0.3088.
    wald = pool_random_effects(y, v, hartung_knapp=False)
    hk = pool_random_effects(y, v)
    got = [wald.estimate, wald.se, wald.ci_low, wald.ci_high, wald.tau2, hk.se, hk.ci_low, hk.ci_high, hk.p]
    np.testing.assert_allclose(got, [-0.7145, 0.1798, -1.0669, -0.3622, 0.3132, 0.1808, -1.1084, -0.3206, 0.0019],
                               atol=6e-5)  # fmt: skip
    assert pool_random_effects(y, v, method="dl").tau2 == pytest.approx(0.3088, abs=6e-5)


# --- hand-worked examples --------------------------------------------------------------------


@pytest.mark.parametrize("method", ["dl", "reml"])
def test_hand_example_equal_variances(method):
    # b = 0, 2, 4; s2 = 1 each.  Mean 2, sum of squares 8.
    # DL: w = 1, Q = 8, c = 3 - 3/3 = 2, tau2 = (8 - 2) / 2 = 3.  REML with equal s2 has the
    # closed form SS / (n - 1) - s2 = 4 - 1 = 3.  w* = 1/4, sum 3/4: Wald SE = sqrt(4/3).
    # HK: q = (1/4 * 8) / 2 = 1, so SE_HK = sqrt(4/3) too; CI 2 -/+ t(0.975, 2) sqrt(4/3).
    res = pool_random_effects([0.0, 2.0, 4.0], [1.0, 1.0, 1.0], method=method)
    assert (res.estimate, res.tau2, res.tau, res.se) == pytest.approx((2.0, 3.0, math.sqrt(3), math.sqrt(4 / 3)))
    assert (res.ci_low, res.ci_high) == pytest.approx((2 - T975_2 * math.sqrt(4 / 3), 2 + T975_2 * math.sqrt(4 / 3)))
    assert (res.n, res.df) == (3, 2.0)
    # EB: 2 + 3 / (3 + 1) (b - 2)
    np.testing.assert_allclose(shrink([0.0, 2.0, 4.0], [1.0, 1.0, 1.0], res), [0.5, 2.0, 3.5])


def test_hand_example_dl_unequal_variances():
    # b = 0, 4, 1, 3; s2 = 1, 1, 1/2, 1/2.  FE weights 1, 1, 2, 2 (sum 6), mu_FE = 12/6 = 2.
    # Q = 4 + 4 + 2 + 2 = 12, df 3, sum w^2 = 10, c = 6 - 10/6 = 13/3, tau2 = 9 / (13/3) = 27/13.
    # w* = 1/(1 + 27/13) = 13/40 (x2) and 1/(1/2 + 27/13) = 26/67 (x2); both pairs average 2, so
    # mu = 2; sum w* = 13/20 + 52/67 = 1911/1340.  q = (13/40 * 8 + 26/67 * 2) / 3 = 377/335.
    tau2 = Fraction(9) / (Fraction(6) - Fraction(10, 6))
    assert tau2 == Fraction(27, 13)
    sum_w = 2 / (1 + tau2) + 2 / (Fraction(1, 2) + tau2)
    q = (8 / (1 + tau2) + 2 / (Fraction(1, 2) + tau2)) / 3
    assert (sum_w, q) == (Fraction(1911, 1340), Fraction(377, 335))
    b, v = [0.0, 4.0, 1.0, 3.0], [1.0, 1.0, 0.5, 0.5]
    wald = pool_random_effects(b, v, method="dl", hartung_knapp=False)
    hk = pool_random_effects(b, v, method="dl")
    assert (wald.tau2, wald.estimate, wald.se) == pytest.approx((27 / 13, 2.0, math.sqrt(1340 / 1911)), rel=1e-12)
    assert hk.se == pytest.approx(math.sqrt(1508 / 1911), rel=1e-12)  # q / sum w* = 377*4/1911
    assert wald.p == pytest.approx(2 * stats.norm.sf(2 / math.sqrt(1340 / 1911)), rel=1e-10)
    assert hk.p == pytest.approx(2 * stats.t.sf(2 / math.sqrt(1508 / 1911), 3), rel=1e-10)


@pytest.mark.parametrize("method", ["dl", "reml"])
def test_hand_example_tau2_zero(method):
    # b = 1.0, 1.1, 0.9; s2 = 0.04 each (w = 25, sum 75).  mu = 1, Q = 25 * 0.02 = 0.5 < df = 2, so
    # DL gives 0; REML closed form SS/(n-1) - s2 = 0.01 - 0.04 < 0 gives 0.  Wald SE = 1/sqrt(75);
    # HK q = 0.5 / 2 = 1/4, SE_HK = sqrt(1/300): narrower than Wald, as unmodified HKSJ allows.
    b, v = [1.0, 1.1, 0.9], [0.04, 0.04, 0.04]
    assert pool_random_effects(b, v, method=method).se == pytest.approx(math.sqrt(1 / 300))
    res = pool_random_effects(b, v, method=method, hartung_knapp=False)
    assert (res.tau2, res.estimate, res.se) == pytest.approx((0.0, 1.0, 1 / math.sqrt(75)))
    np.testing.assert_allclose(shrink(b, v, res), [1.0, 1.0, 1.0])  # tau2 = 0: everyone gets the mean
    np.testing.assert_array_equal(shrink([*b, 5.0], [*v, 0.0], res), [1.0, 1.0, 1.0, np.nan])  # s = 0: excluded


# --- coverage ----------------------------------------------------------------------------------

GRID = 64  # 64 x 64 = 4,096 simulated cohorts, each one "edge" of a single pool_cohort call
MU_TRUE = 0.15


@pytest.mark.parametrize("method", ["reml", "dl"])
@pytest.mark.parametrize("tau", [0.0, 0.08, 0.2])
@pytest.mark.parametrize("n", [10, 50, 200])
def test_hksj_interval_covers_true_mean(n, tau, method):
    # s_i^2 uniform on [0.01, 0.03] (3-fold; SE 0.10-0.17, like a lag coefficient from ~60-100
    # diary days); tau 0.08 is synth.py's default coef_sd.  Monte Carlo SE of a 95 % coverage over
    # 4,096 cohorts is sqrt(.95 * .05 / 4096) = 0.34 %, so 93.5-96.5 % is +-4.4 MC SE.
    # Measured (REML+HK; DL+HK within 0.1 %): n=10 95.0/94.8/95.0 %, n=50 95.4/95.3/94.7 %,
    # n=200 94.9/95.1/95.5 % for tau = 0/0.08/0.2.  Plain DL with a normal interval, same cohorts,
    # n=10: 96.3/94.0/92.0 % (under-covers as heterogeneity grows; IntHout 2014), n=50: 95.8/94.9/94.1 %,
    # n=200: 95.2/95.0/95.3 %.  Modified HK (max(1, q)): n=10 98.3/97.2/95.4 %, n=50 96.4/95.5/94.8 %.
    rng = np.random.default_rng(1000 * n + round(100 * tau))
    v = 0.01 * rng.uniform(1.0, 3.0, (n, GRID, GRID))
    b = MU_TRUE + tau * rng.standard_normal(v.shape) + np.sqrt(v) * rng.standard_normal(v.shape)
    fit = pool_cohort(b, np.sqrt(v), np.ones(n, dtype=bool), [f"c{i}" for i in range(GRID)], method=method)
    coverage = np.mean((fit.ci_low <= MU_TRUE) & (fit.ci_high >= MU_TRUE))
    assert 0.935 <= coverage <= 0.965
    assert np.all(fit.n == n)


# --- ground truth through a simulated diary cohort -----------------------------------------


def test_pooled_estimates_recover_synthetic_truth():
    # The real pipeline (build_pairs -> fit_patients -> pool_cohort) on 400 continuous synthetic
    # diaries of 150 days (~135 lag pairs each), weekday effect off so the VAR(1) is the true model.
    # Measured: cross-lag errors <= 0.0065 (|z| <= 1.3); autoregressive -0.008 to -0.022.
    names = ("pain", "mood", "stress")
    cohort = generate_cohort(400, 150, variables=names, weekday_amplitude=0.0, realistic=False, rng=7)
    fits = fit_patients(build_pairs(cohort.data, id_col="patient_id", variables=names, day_col="local_date"))
    assert fits.patient_ids == cohort.truth.patient_ids
    assert fits.ok.all()
    coef = fits.coef
    ok = fits.ok.copy()
    ok[:5] = False  # left out of pooling, and NaN in shrunk
    fit = pool_cohort(coef, fits.se, ok, fits.variables)
    truth = cohort.truth.coef_mean
    off = ~np.eye(3, dtype=bool)
    pm, mp = (1, 0), (0, 1)  # [to, from]: pain -> mood, mood -> pain
    for edge in (pm, mp):
        assert fit.ci_low[edge] <= truth[edge] <= fit.ci_high[edge]
    assert np.all((fit.ci_low <= truth) | ~off)
    assert np.all((truth <= fit.ci_high) | ~off)
    assert np.max(np.abs(fit.estimate - truth)[off]) < 0.015
    # Autoregressive OLS is biased down by about (1 + 3 rho) / T (Kendall 1954), ~0.015 at T ~ 135.
    assert np.all(np.diag(fit.estimate - truth) < 0)
    assert np.max(np.abs(np.diag(fit.estimate - truth))) < 0.035
    # tau recovers the between-patient SD of the true B_i (loosely: 400 patients).
    np.testing.assert_allclose(fit.tau, cohort.truth.coef[5:].std(0), rtol=0.25)
    assert fit.n_patients == 395
    assert np.all(fit.n == 395)
    assert np.isnan(fit.shrunk[:5]).all()
    assert np.isfinite(fit.shrunk[5:]).all()
    # Shrinkage pulls the noisy OLS estimates towards the truth on average.
    true_b = cohort.truth.coef[5:]
    assert np.mean((fit.shrunk[5:] - true_b) ** 2) < 0.8 * np.mean((coef[5:] - true_b) ** 2)


# --- consistency, properties, edge cases -------------------------------------------------------


def test_pool_cohort_matches_scalar_function_and_excludes_bad_entries():
    rng = np.random.default_rng(3)
    coef = rng.normal(0.1, 0.2, (30, 2, 2))
    se = rng.uniform(0.05, 0.2, (30, 2, 2))
    ok = rng.random(30) > 0.2
    se[0, 0, 1], se[1, 0, 1], se[2, 0, 1], se[3, 0, 1] = 0.0, -0.1, np.nan, np.inf
    coef[4, 1, 0] = np.nan
    fit = pool_cohort(coef, se, ok, ["pain", "mood"])
    for to in range(2):
        for frm in range(2):
            use = ok & np.isfinite(coef[:, to, frm]) & np.isfinite(se[:, to, frm]) & (se[:, to, frm] > 0)
            ref = pool_random_effects(coef[use, to, frm], se[use, to, frm] ** 2)
            assert fit.n[to, frm] == ref.n == use.sum()
            got = [fit.estimate[to, frm], fit.se[to, frm], fit.p[to, frm], fit.tau2[to, frm], fit.ci_low[to, frm]]
            np.testing.assert_allclose(got, [ref.estimate, ref.se, ref.p, ref.tau2, ref.ci_low], rtol=1e-12)
            eb = shrink(coef[use, to, frm], se[use, to, frm] ** 2, ref)
            np.testing.assert_allclose(fit.shrunk[use, to, frm], eb, rtol=1e-12)
            assert np.isnan(fit.shrunk[~use, to, frm]).all()
    assert not fit.estimate.flags.writeable
    assert not fit.shrunk.flags.writeable


@settings(max_examples=60, deadline=None)
@given(
    b=st.lists(st.integers(-40, 40), min_size=2, max_size=12),
    data=st.data(),
    a=st.integers(-12, 12).filter(bool),
    c=st.integers(-40, 40),
    method=st.sampled_from(["reml", "dl"]),
)
def test_affine_and_permutation_equivariance(b, data, a, c, method):
    # Dyadic values keep a*b + c and a^2 v exact, so ties stay ties.
    v = np.array(data.draw(st.lists(st.integers(1, 64), min_size=len(b), max_size=len(b)))) / 16
    y = np.array(b) / 8
    base = pool_random_effects(y, v, method=method)
    moved = pool_random_effects(a / 4 * y[::-1] + c / 8, (a / 4) ** 2 * v[::-1], method=method)
    scale = abs(a / 4)
    assert moved.estimate == pytest.approx(a / 4 * base.estimate + c / 8, rel=1e-7, abs=1e-9)
    assert moved.tau2 == pytest.approx(scale**2 * base.tau2, rel=1e-7, abs=1e-9 * scale**2)
    assert moved.se == pytest.approx(scale * base.se, rel=1e-7)
    ends = sorted([a / 4 * base.ci_low + c / 8, a / 4 * base.ci_high + c / 8])
    assert [moved.ci_low, moved.ci_high] == pytest.approx(ends, rel=1e-7, abs=1e-9)
    # The test of mu = 0 is invariant to rescaling only (a shift moves the null).
    assert pool_random_effects(a * y, a**2 * v, method=method).p == pytest.approx(base.p, rel=1e-6, abs=1e-12)
    eb = shrink(y, v, base)
    assert np.all((eb - base.estimate) * (y - eb) >= -1e-12)  # each lies between mu and its own b_i


@pytest.mark.parametrize("b", [[], [0.3], [0.3, np.nan], [0.3, 0.5]])
def test_fewer_than_two_usable_patients_give_nan(b):
    v = [0.01, 0.0][: len(b)]  # the second one, if any, is unusable
    res = pool_random_effects(b, v)
    assert res.n == min(len(b), 1)
    assert all(math.isnan(x) for x in (res.estimate, res.se, res.p, res.ci_low, res.tau2, res.tau, res.df))
    assert np.isnan(shrink(b, v, res)).all()


def test_identical_estimates_keep_a_positive_width_interval():
    v = np.array([0.01, 0.02, 0.03, 0.015])
    res = pool_random_effects([0.2] * 4, v)
    assert res.tau2 == 0.0
    assert res.estimate == pytest.approx(0.2)
    # q = 0 would collapse the HKSJ interval; the model-based SE is used instead.
    assert res.se == pytest.approx(1 / math.sqrt(np.sum(1 / v)))
    assert res.ci_low < 0.2 < res.ci_high
    assert 0 < res.p < 1


def test_cohort_with_unpoolable_edges_is_json_safe():
    coef = np.array([[[0.1, 0.3], [0.2, 0.4]], [[0.1, 0.5], [0.4, 0.2]], [[0.2, 0.1], [0.3, 0.3]]])
    se = np.full_like(coef, 0.1)
    se[1:, 0, 0] = np.nan  # pain(t-1) -> pain(t) keeps one patient only
    fit = pool_cohort(coef, se, np.array([True, True, True]), ("pain", "mood"))
    out = json.loads(json.dumps(fit.to_json(), allow_nan=False))
    assert out["n_patients"] == 3
    assert out["method"].startswith("REML")
    edges = {(e["from"], e["to"]): e for e in out["edges"]}
    assert set(edges) == {("pain", "pain"), ("pain", "mood"), ("mood", "pain"), ("mood", "mood")}
    assert edges["pain", "pain"]["n_patients"] == 1
    assert edges["pain", "pain"]["estimate"] is None
    assert edges["pain", "pain"]["tau"] is None
    assert edges["pain", "mood"]["estimate"] == pytest.approx(0.3)  # [to=mood, from=pain] = 0.2, 0.4, 0.3
    assert edges["pain", "mood"]["n_patients"] == 3
    assert set(edges["mood", "pain"]) == {"from", "to", "estimate", "se", "p", "ci_low", "ci_high", "tau",
                                          "n_patients"}  # fmt: skip


def test_no_ok_patients():
    coef = np.zeros((2, 1, 1))
    fit = pool_cohort(coef, coef + 0.1, np.array([False, False]), ["pain"])
    assert fit.n_patients == 0
    assert fit.n[0, 0] == 0
    assert np.isnan(fit.estimate).all()
    assert np.isnan(fit.shrunk).all()
    json.dumps(fit.to_json(), allow_nan=False)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"method": "pm"}, "method"),
        ({"level": 1.0}, "level"),
        ({"level": True}, "level"),
        ({"hartung_knapp": 1}, "hartung_knapp"),
    ],
)
def test_options_are_validated(kwargs, match):
    with pytest.raises(ValueError, match=match):
        pool_random_effects([0.1, 0.2], [0.01, 0.01], **kwargs)
    with pytest.raises(ValueError, match=match):
        pool_cohort(np.zeros((2, 1, 1)), np.ones((2, 1, 1)), np.ones(2, dtype=bool), ["pain"], **kwargs)


def test_shapes_are_validated():
    good = np.zeros((3, 2, 2))
    ok = np.ones(3, dtype=bool)
    with pytest.raises(ValueError, match="1-D"):
        pool_random_effects([[0.1, 0.2]], [[0.1, 0.2]])
    with pytest.raises(ValueError, match="1-D"):
        shrink([0.1, 0.2], [0.1], pool_random_effects([0.1, 0.2], [0.1, 0.1]))
    with pytest.raises(ValueError, match="shape"):
        pool_cohort(good, good[:, :1], ok, ["a", "b"])
    with pytest.raises(ValueError, match="ok"):
        pool_cohort(good, good, np.ones(3, dtype=int), ["a", "b"])
    with pytest.raises(ValueError, match="variables"):
        pool_cohort(good, good, ok, ["a", "a"])
    with pytest.raises(ValueError, match="variables"):
        pool_cohort(good, good, ok, "ab")
