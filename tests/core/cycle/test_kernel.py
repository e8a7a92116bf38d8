"""The batched kernel against statsmodels OLS per patient and equation, guards, concat, JSON."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import special
from statsmodels.stats.multitest import multipletests

from painmind.core.cycle import build_pairs, concat_fits, fit_patients, pairs_from_dense
from painmind.core.cycle.stats import P_SLICE, bh_complete, bh_families, bh_qvalues, t_pvalue
from painmind.core.synth import generate_cohort

VARS = ["pain", "mood", "anxiety", "stress", "sleep_quality", "activity_minutes"]


def close(actual: Any, desired: Any, err_msg: str = "") -> None:
    """The acceptance tolerance: relative 1e-8 plus absolute 1e-10."""
    np.testing.assert_allclose(actual, desired, rtol=1e-8, atol=1e-10, err_msg=err_msg)


def cohort_panel(prompts, n=24, days=30, seed=0):
    data = generate_cohort(n, days, prompts_per_day=prompts, missing_day_rate=0.1, missing_prompt_rate=0.1,
                           missing_value_rate=0.03, realistic=False, rng=seed).data  # fmt: skip
    kw: dict[str, Any] = {"day_col": "local_date", "beep_col": "beep"} if prompts > 1 else {"time_col": "local_date"}
    return data, build_pairs(data, id_col="patient_id", variables=VARS, **kw)


@pytest.fixture(
    scope="module", params=[{"prompts": 3, "days": 40}, {"prompts": 1, "days": 100}], ids=["3-prompts", "daily"]
)
def panel(request):
    return cohort_panel(**request.param)[1]


@pytest.mark.parametrize("trend", [False, True])
def test_matches_statsmodels_per_patient_and_equation(panel, trend):
    fits = fit_patients(panel, trend=trend)
    k = len(VARS)
    assert fits.ok.sum() >= 15  # most patients are estimable, a few are not
    for i in np.flatnonzero(fits.ok):
        rows = panel.patient == i
        x = np.column_stack([panel.x[rows], panel.time[rows]]) if trend else panel.x[rows]
        design = sm.add_constant(x, has_constant="add")
        res = [sm.OLS(panel.y[rows, j], design).fit() for j in range(k)]
        lag = slice(1, k + 1)
        for name, expect in [
            ("coef", [r.params[lag] for r in res]),
            ("se", [r.bse[lag] for r in res]),
            ("t", [r.tvalues[lag] for r in res]),
            ("p", [r.pvalues[lag] for r in res]),
            ("ci_low", [r.conf_int()[lag, 0] for r in res]),
            ("ci_high", [r.conf_int()[lag, 1] for r in res]),
        ]:
            close(getattr(fits, name)[i], np.array(expect), err_msg=name)
        close(fits.intercept[i], [r.params[0] for r in res])
        if trend:
            assert fits.trend is not None
            close(fits.trend[i], [r.params[-1] for r in res])
        assert fits.df[i] == res[0].df_resid
        resid = np.column_stack([r.resid for r in res])
        close(fits.resid_corr[i], np.corrcoef(resid, rowvar=False))
        cross = ~np.eye(k, dtype=bool)  # two BH families: the cross-lags, and the AR terms apart
        close(fits.q[i][cross], multipletests(fits.p[i][cross], method="fdr_bh")[1])
        close(np.diag(fits.q[i]), multipletests(np.diag(fits.p[i]), method="fdr_bh")[1])
        sd = panel.x[rows].std(axis=0, ddof=1)[None, :] / panel.y[rows].std(axis=0, ddof=1)[:, None]
        close(fits.std_coef[i], fits.coef[i] * sd)
        check_gain(fits, i, res, k)


def check_gain(fits, i, res, k):
    """Delta method from the two statsmodels equations, with sigma from their residuals."""
    pain, mood = VARS.index("pain"), VARS.index("mood")
    eq_pain, eq_mood = res[pain], res[mood]
    a, b = eq_mood.params[1 + pain], eq_pain.params[1 + mood]  # pain -> mood, mood -> pain
    sigma = eq_mood.resid @ eq_pain.resid / eq_mood.df_resid
    cov = sigma * eq_mood.normalized_cov_params[1 + pain, 1 + mood]
    var = b**2 * eq_mood.bse[1 + pain] ** 2 + a**2 * eq_pain.bse[1 + mood] ** 2 + 2 * a * b * cov
    half = special.stdtrit(eq_mood.df_resid, 0.975) * np.sqrt(var)
    close(fits.gain[i], a * b)
    close(fits.gain_se[i], np.sqrt(var))
    close([fits.gain_ci_low[i], fits.gain_ci_high[i]], [a * b - half, a * b + half])


def test_statuses_and_nan_policy(panel):
    fits = fit_patients(panel)
    assert set(fits.status) <= {"ok", "insufficient_data", "not_estimable"}
    assert np.isnan(fits.coef[~fits.ok]).all()
    assert not np.isnan(fits.coef[fits.ok]).any()
    assert np.isnan(fits.gain[~fits.ok]).all()
    assert not np.isnan(fits.gain[fits.ok]).any()
    np.testing.assert_array_equal(fits.n_pairs, np.bincount(panel.patient, minlength=len(panel.patient_ids)))
    for i in range(len(fits.patient_ids)):
        json.dumps(fits.patient_json(i), allow_nan=False)


# ------------------------------------------------------------------ guards
def grid(n_pairs_per_patient, k=2, seed=0, steps=1):
    rng = np.random.default_rng(seed)
    t = max(n_pairs_per_patient) + 1
    values = rng.normal(size=(len(n_pairs_per_patient), t, k))
    for i, n in enumerate(n_pairs_per_patient):
        values[i, n + 1 :] = np.nan
    names = VARS[:k]
    return pairs_from_dense(values, patient_ids=[f"p{n}" for n in n_pairs_per_patient], variables=names)


@pytest.mark.parametrize(
    ("k", "trend", "kw", "required"),
    [
        (2, False, {}, 20),
        (6, False, {}, 35),
        (6, True, {}, 40),
        (2, False, {"min_pairs": 10}, 15),
        (2, False, {"min_pairs": 10, "pairs_per_regressor": 2}, 10),
        (3, False, {"min_pairs": 1, "pairs_per_regressor": 1}, 5),
    ],
)
def test_minimum_pairs_edge(k, trend, kw, required):
    counts = [required - 2, required - 1, required, required + 1]
    fits = fit_patients(grid(counts, k=k), trend=trend, **kw)
    assert fits.status.tolist() == ["insufficient_data"] * 2 + ["ok"] * 2
    assert fits.n_more.tolist() == [2, 1, 0, 0]
    assert fits.message[:2] == ("2 more days needed", "1 more day needed")
    assert fits.n_pairs.tolist() == counts


def test_several_prompts_a_day_ask_for_paired_prompts():
    values = np.random.default_rng(0).normal(size=(1, 12, 2))
    fits = fit_patients(pairs_from_dense(values, patient_ids=["a"], variables=["pain", "mood"], steps_per_day=4))
    assert fits.message == ("11 more paired prompts needed",)
    assert fits.n_more.tolist() == [11]


def with_column(values, j, column):
    out = values.copy()
    out[0, :, j] = column
    return out


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda v: with_column(v, 1, 5.0), ["mood is constant"]),
        (lambda v: with_column(v, 1, 5.0 + 1e-10 * np.arange(v.shape[1])), ["mood is constant"]),
        (lambda v: with_column(v, 1, np.r_[np.full(v.shape[1] - 1, 5.0), 6.0]), ["mood is constant"]),  # lagged side
        (lambda v: with_column(with_column(v, 1, 0.0), 2, 0.0), ["mood, anxiety are constant"]),
        (lambda v: with_column(v, 2, 2 * v[0, :, 0] + 1), ["collinear", "pain(t-1)", "anxiety(t-1)"]),
        (lambda v: with_column(v, 2, v[0, :, 0] + 1e-7 * v[0, :, 1]), ["collinear", "pain(t-1)", "anxiety(t-1)"]),
        (lambda v: with_column(v, 2, np.arange(v.shape[1]) * 0.5), ["predicted exactly", "anxiety"]),
    ],
)
def test_not_estimable_names_the_variables(change, words):
    values = change(np.random.default_rng(1).normal(size=(2, 40, 3)))
    fits = fit_patients(pairs_from_dense(values, patient_ids=["bad", "good"], variables=["pain", "mood", "anxiety"]))
    assert fits.status.tolist() == ["not_estimable", "ok"]
    for word in words:
        assert word in fits.message[0]
    assert fits.n_more[0] == 0
    assert fits.n_pairs[0] == 39
    patient: dict[str, Any] = fits.patient_json(0)
    json.dumps(patient, allow_nan=False)
    assert patient["edges"] == []
    assert patient["cycle_gain"] is None
    assert np.isnan(fits.coef[0]).all()
    assert np.isfinite(fits.coef[1]).all()


def test_a_little_variation_is_enough():
    values = np.random.default_rng(2).normal(size=(1, 40, 2))
    values[0, :, 1] = 5.0 + 1e-6 * np.random.default_rng(3).normal(size=40)
    assert fit_patients(pairs_from_dense(values, patient_ids=["a"], variables=["pain", "mood"])).status[0] == "ok"


def test_no_gain_without_pain_and_mood():
    values = np.random.default_rng(4).normal(size=(2, 40, 2))
    fits = fit_patients(pairs_from_dense(values, patient_ids=["a", "b"], variables=["stress", "mood"]))
    assert fits.ok.all()
    assert np.isnan(fits.gain).all()
    patient: dict[str, Any] = fits.patient_json(0)
    assert patient["cycle_gain"] is None
    assert len(patient["edges"]) == 4
    json.dumps(patient, allow_nan=False)


# ------------------------------------------------------------------ batching
def test_concat_of_halves_equals_fitting_everyone():
    data, panel = cohort_panel(3, n=20, days=25, seed=7)
    ids = sorted(data["patient_id"].unique())
    kw: dict[str, Any] = {"id_col": "patient_id", "variables": VARS, "day_col": "local_date", "beep_col": "beep"}
    halves = [build_pairs(data[data["patient_id"].isin(part)], **kw) for part in (ids[:9], ids[9:])]
    whole, joined = fit_patients(panel, trend=True), concat_fits([fit_patients(h, trend=True) for h in halves])
    assert joined.patient_ids == whole.patient_ids
    assert joined.message == whole.message
    for name in ("status", "n_obs", "n_pairs", "n_more"):
        np.testing.assert_array_equal(getattr(joined, name), getattr(whole, name))
    for name in ("df", "coef", "se", "t", "p", "q", "ci_low", "ci_high", "std_coef", "intercept", "trend",
                 "resid_corr", "gain", "gain_se", "gain_ci_low", "gain_ci_high"):  # fmt: skip
        np.testing.assert_allclose(getattr(joined, name), getattr(whole, name), rtol=1e-12, atol=1e-14, err_msg=name)
    with pytest.raises(ValueError, match="more than one part"):
        concat_fits([joined, joined])


def test_chunks_and_threads_do_not_change_results(panel):
    a = fit_patients(panel)
    b = fit_patients(panel, chunk_size=5, n_threads=2)
    np.testing.assert_array_equal(a.status, b.status)
    np.testing.assert_allclose(a.coef, b.coef, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(a.p, b.p, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("kw", [{"min_pairs": 0}, {"chunk_size": 2.5}, {"pairs_per_regressor": True}])
def test_bad_options(kw):
    with pytest.raises(ValueError, match=next(iter(kw))):
        fit_patients(grid([30]), **kw)


def dense_and_long(steps, seed=0, n=12, days=40):
    """A grid with missed slots and missing values, and the same observations as a long frame."""
    rng = np.random.default_rng(seed)
    values = rng.normal(size=(n, days * steps, 3)) * [1.0, 2.0, 30.0] + [5.0, 5.0, 60.0]
    values[rng.random((n, days * steps)) < 0.15] = np.nan
    values[rng.random(values.shape) < 0.03] = np.nan
    values[:, 0, :] = values[:, -1, :] = 1.0  # first and last slots observed: the same B and origin
    values[3, :, 2] = 7.0  # a constant variable
    ids = [f"p{i:02d}" for i in range(n)]
    pid, slot = np.nonzero(~np.isnan(values).all(axis=2))
    long = pd.DataFrame(values[pid, slot], columns=VARS[:3])
    long.insert(0, "id", np.array(ids)[pid])
    long.insert(1, "day", slot // steps)
    long.insert(2, "beep", slot % steps + 1)
    kw: dict[str, Any] = {"day_col": "day", "beep_col": "beep"} if steps > 1 else {"day_col": "day"}
    dense = pairs_from_dense(values, patient_ids=ids, variables=VARS[:3], steps_per_day=steps)
    return dense, build_pairs(long, id_col="id", variables=VARS[:3], **kw)


@pytest.mark.parametrize("steps", [1, 3])
@pytest.mark.parametrize("trend", [False, True])
def test_the_grid_path_equals_the_pairs_path(steps, trend):
    dense, long = dense_and_long(steps)
    a, b = fit_patients(dense, trend=trend, min_pairs=10), fit_patients(long, trend=trend, min_pairs=10)
    assert a.message == b.message
    assert "not_estimable" in a.status.tolist()
    assert a.ok.sum() > 5
    for name in ("status", "n_obs", "n_pairs", "n_more"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    assert (a.trend is None) == (b.trend is None) == (not trend)
    for name in ("df", "coef", "se", "p", "q", "ci_low", "std_coef", "intercept", "resid_corr", "gain_se"):
        np.testing.assert_allclose(getattr(a, name), getattr(b, name), rtol=1e-10, atol=1e-12, err_msg=name)
    if a.trend is not None and b.trend is not None:
        np.testing.assert_allclose(a.trend, b.trend, rtol=1e-10, atol=1e-12)
    sub_a, sub_b = dense.select(["mood", "pain"]), long.select(["mood", "pain"])
    assert sub_a.dropped == sub_b.dropped
    np.testing.assert_array_equal(sub_a.x, sub_b.x)
    np.testing.assert_allclose(fit_patients(sub_a).coef, fit_patients(sub_b).coef, rtol=1e-10, atol=1e-12)


# ------------------------------------------------------------------ numerical pieces
@pytest.mark.parametrize("df", [1, 2, 3, 7, 20, 53, 82, 199, 201, 640, 1000, 5000, 40000])
def test_p_values_match_scipy_over_the_whole_range(df):
    t = np.r_[np.linspace(-60, 60, 24001), [0.0, 1e-9, 1e3, 1e6, 1e200, -1e300]]
    expect = 2 * special.stdtr(df, -np.abs(t))
    got = t_pvalue(t[None, :], np.array([float(df)]))[0]
    big = expect > 1e-290
    np.testing.assert_allclose(got[big], expect[big], rtol=1e-9)
    assert np.all(got[~big] < 1e-280)


def test_bh_qvalues_match_statsmodels_and_skip_nan():
    rng = np.random.default_rng(5)
    p = rng.uniform(size=(50, 9)) ** 3
    p[rng.random(p.shape) < 0.2] = np.nan
    q = bh_qvalues(p)
    for row_p, row_q in zip(p, q, strict=True):
        seen = ~np.isnan(row_p)
        assert np.isnan(row_q[~seen]).all()
        if seen.any():
            np.testing.assert_allclose(row_q[seen], multipletests(row_p[seen], method="fdr_bh")[1], rtol=1e-12)


def test_large_offsets_stay_accurate():
    # Centring within patient keeps an offset of 1e6 from costing digits.
    rng = np.random.default_rng(6)
    values = rng.normal(size=(1, 60, 2)) + np.array([1e6, -3e5])
    panel = pairs_from_dense(values, patient_ids=["a"], variables=["pain", "mood"])
    fits = fit_patients(panel)
    res = sm.OLS(panel.y[:, 0], sm.add_constant(panel.x)).fit()
    np.testing.assert_allclose(fits.coef[0, 0], res.params[1:], rtol=1e-7)
    np.testing.assert_allclose(fits.se[0, 0], res.bse[1:], rtol=1e-7)


def test_json_round_trip_has_no_nan():
    _, panel = cohort_panel(1, n=6, days=80, seed=3)
    fits = fit_patients(panel)
    text = json.dumps([fits.patient_json(i) for i in range(len(fits.patient_ids))], allow_nan=False)
    loaded = json.loads(text)
    assert [p["status"] for p in loaded] == fits.status.tolist()
    assert fits.ok.any()
    first_ok = loaded[int(np.argmax(fits.ok))]
    assert len(first_ok["edges"]) == 36
    assert set(first_ok["cycle_gain"]) == {"value", "ci_low", "ci_high"}
    edge = first_ok["edges"][1]  # to pain, from mood
    assert (edge["from"], edge["to"]) == ("mood", "pain")
    assert edge["coef"] == pytest.approx(fits.coef[int(np.argmax(fits.ok)), 0, 1])
    assert isinstance(pd.DataFrame(loaded), pd.DataFrame)


def test_bh_on_complete_sets_matches_statsmodels_with_ties():
    rng = np.random.default_rng(8)
    p = rng.uniform(size=(36, 300)) ** 4  # patients last: 300 sets of 36
    p[3] = p[7]  # ties within every set
    p[0, :5] = 1.0
    p[1, 5:10] = 1e-300
    q = bh_complete(p)
    for j in range(p.shape[1]):
        np.testing.assert_allclose(q[:, j], multipletests(p[:, j], method="fdr_bh")[1], rtol=1e-12, atol=0)


def test_bh_families_keep_the_ar_terms_out_of_the_cross_lag_family():
    # By hand: AR family {0.01, 0.5} -> q = 0.01 * 2 / 1, 0.5 * 2 / 2; cross family {0.04, 0.03}:
    # 0.03 * 2 / 1 = 0.06 and 0.04 * 2 / 2 = 0.04, step-up minimum -> both 0.04.  (One family of four
    # would give the cross-lags 0.0533.)
    p = np.array([[0.01, 0.04], [0.03, 0.5]])[:, :, None]
    np.testing.assert_allclose(bh_families(p)[:, :, 0], [[0.02, 0.04], [0.04, 0.5]], rtol=1e-12)
    one = np.array([[[0.2]]])  # one variable: only the AR family
    np.testing.assert_allclose(bh_families(one), one)


def test_p_values_in_slices_match_scipy_with_a_df_per_patient():
    rng = np.random.default_rng(9)
    w = 2 * P_SLICE + 37  # several slices and a ragged end
    t = rng.normal(size=(3, 3, w)) * 4
    t[0, 0, :3] = [0.0, 50.0, -1e4]
    df = rng.integers(21, 90, size=w).astype(np.float64)
    expect = 2 * special.stdtr(df, -np.abs(t))
    got = t_pvalue(t, df)
    big = expect > 1e-290
    np.testing.assert_allclose(got[big], expect[big], rtol=1e-9)
    assert np.all(got[~big] < 1e-280)


def test_nearly_collinear_predictors_take_the_lu_path_and_match_statsmodels():
    # Variance inflation ~1e8: above the Cholesky re-check (1e6), below the collinearity cut (1e10).
    rng = np.random.default_rng(10)
    values = rng.normal(size=(2, 80, 3))
    values[0, :, 2] = values[0, :, 0] + 1e-4 * rng.normal(size=80)
    panel = pairs_from_dense(values, patient_ids=["near", "fine"], variables=["pain", "mood", "anxiety"])
    fits = fit_patients(panel)
    assert fits.status.tolist() == ["ok", "ok"]
    for i in (0, 1):
        rows = panel.patient == i
        design = sm.add_constant(panel.x[rows])
        for j in range(3):
            res = sm.OLS(panel.y[rows, j], design).fit()
            np.testing.assert_allclose(fits.coef[i, j], res.params[1:], rtol=1e-6 if i == 0 else 1e-8, atol=1e-10)
            np.testing.assert_allclose(fits.se[i, j], res.bse[1:], rtol=1e-6 if i == 0 else 1e-8)
