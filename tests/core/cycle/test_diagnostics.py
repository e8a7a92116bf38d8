"""Diagnostics and statuses: spectral radius, Ljung-Box, near-constant variables, reason codes."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from statsmodels.stats.diagnostic import acorr_ljungbox

from painmind.core.cycle import build_pairs, fit_patients, pairs_from_dense
from painmind.core.cycle.kernel.diagnostics import spectral_radius


def simulate(b, days, seed, n=1):
    """A VAR(1) x_t = B x_{t-1} + e_t on a grid, (n, days, k)."""
    rng = np.random.default_rng(seed)
    b = np.asarray(b)
    x = np.zeros((n, days, len(b)))
    x[:, 0] = rng.normal(size=(n, len(b)))
    for t in range(1, days):
        x[:, t] = x[:, t - 1] @ b.T + rng.normal(size=(n, len(b)))
    return x


def test_spectral_radius_of_a_known_matrix():
    # trace 0.9, determinant 0.18: eigenvalues (0.9 +- 0.3) / 2 = 0.6 and 0.3, by hand.
    b = np.array([[[0.5, 0.2], [0.1, 0.4]], [[0.0, -1.2], [1.2, 0.0]]])  # the second: +-1.2i
    np.testing.assert_allclose(spectral_radius(b), [0.6, 1.2], rtol=1e-12)


def test_fitted_spectral_radius_is_numpys_and_an_explosive_fit_is_flagged():
    stable = simulate([[0.4, 0.1], [0.2, 0.3]], 120, seed=1, n=3)
    explosive = simulate([[1.08, 0.0], [0.0, 0.2]], 120, seed=2)
    values = np.concatenate([stable, explosive])
    fits = fit_patients(pairs_from_dense(values, patient_ids=["a", "b", "c", "x"], variables=["pain", "mood"]))
    assert fits.status.tolist() == ["ok"] * 4
    for i in range(4):
        assert fits.spectral_radius[i] == pytest.approx(np.abs(np.linalg.eigvals(fits.coef[i])).max(), rel=1e-12)
    assert fits.non_stationary.tolist() == [False, False, False, True]
    assert fits.spectral_radius[3] > 1
    doc = fits.patient_json(3)
    assert doc["flags"] == ["non_stationary"]
    assert "not stable" in str(doc["message"])
    assert fits.patient_json(0)["flags"] == []
    assert fits.patient_json(0)["message"] == ""


def test_ljung_box_matches_statsmodels_on_a_contiguous_series():
    values = simulate([[0.3, 0.1, 0.0], [0.0, 0.2, 0.1], [0.1, 0.0, 0.4]], 80, seed=3, n=2)
    values[1, :, 0] += 3.0 * np.sin(np.arange(80) * 2 * np.pi / 3)  # a pattern the lag-1 model leaves behind
    panel = pairs_from_dense(values, patient_ids=["a", "b"], variables=["pain", "mood", "stress"])
    fits = fit_patients(panel)
    for i in range(2):
        rows = panel.patient == i
        design = sm.add_constant(panel.x[rows])
        for j in range(3):
            resid = sm.OLS(panel.y[rows, j], design).fit().resid
            lb = acorr_ljungbox(resid, lags=[2])
            assert fits.lb_q[i, j] == pytest.approx(float(lb["lb_stat"].iloc[0]), rel=1e-9)
            assert fits.lb_p[i, j] == pytest.approx(float(lb["lb_pvalue"].iloc[0]), rel=1e-9)
    assert fits.residual_autocorrelation.tolist() == [False, True]


def loop_ljung_box(days, resid, lags=2):
    """Q by the documented rule, written as loops: residuals exactly h days apart, n / n_h scaling."""
    at = dict(zip(days, resid, strict=True))
    n, s0, q = len(resid), float(np.sum(np.square(resid))), 0.0
    for h in range(1, lags + 1):
        prods = [at[d] * at[d - h] for d in days if d - h in at]
        if prods:
            q += (n + 2) * n / len(prods) * (sum(prods) / s0) ** 2
    return q


@pytest.mark.parametrize("path", ["grid", "long"])
def test_ljung_box_with_gaps_pairs_residuals_exactly_h_days_apart(path):
    values = simulate([[0.3, 0.1], [0.1, 0.3]], 90, seed=4)
    values[0, [10, 11, 30, 31, 32, 50, 70]] = np.nan  # missed days: gaps of 1 and more
    values[0, 60, 1] = np.nan  # one missing value
    if path == "grid":
        panel = pairs_from_dense(values, patient_ids=["a"], variables=["pain", "mood"])
    else:
        day = np.flatnonzero(~np.isnan(values[0]).all(axis=1))
        frame = pd.DataFrame({"id": "a", "day": pd.Timestamp("2026-01-01") + pd.to_timedelta(day, "D"),
                              "pain": values[0, day, 0], "mood": values[0, day, 1]})  # fmt: skip
        panel = build_pairs(frame, id_col="id", variables=["pain", "mood"], time_col="day")
    fits = fit_patients(panel)
    design = sm.add_constant(panel.x)
    for j in range(2):
        resid = sm.OLS(panel.y[:, j], design).fit().resid
        assert fits.lb_q[0, j] == pytest.approx(loop_ljung_box(panel.time.round().astype(int), resid), rel=1e-9)


def test_several_prompts_a_day_never_pair_residuals_across_a_night():
    values = simulate([[0.3, 0.0], [0.0, 0.3]], 120, seed=5)  # 30 days x 4 prompts
    fits = fit_patients(pairs_from_dense(values, patient_ids=["a"], variables=["pain", "mood"], steps_per_day=4))
    panel = pairs_from_dense(values, patient_ids=["a"], variables=["pain", "mood"], steps_per_day=4)
    resid = sm.OLS(panel.y[:, 0], sm.add_constant(panel.x)).fit().resid
    slot = np.round(panel.time * 4).astype(int)  # the prompt each pair ends at; day = slot // 4
    by_slot = dict(zip(slot, resid, strict=True))
    n, s0, q = len(resid), float(np.sum(resid**2)), 0.0
    for h in (1, 2):
        prods = [by_slot[s] * by_slot[s - h] for s in slot if s - h in by_slot and (s - h) // 4 == s // 4]
        q += (n + 2) * n / len(prods) * (sum(prods) / s0) ** 2
    assert fits.lb_q[0, 0] == pytest.approx(q, rel=1e-9)


# ------------------------------------------------------------------ near-constant variables
def with_mood(column, days=40):
    values = np.random.default_rng(6).normal(size=(2, days, 2))
    values[0, :, 1] = column
    return fit_patients(pairs_from_dense(values, patient_ids=["a", "b"], variables=["pain", "mood"]))


@pytest.mark.parametrize(
    ("column", "status", "words"),
    [
        (np.r_[[3.0, 4.0], np.full(38, 3.0)], "not_estimable", "(the rarer of its two values on 3 %"),
        # 39 current-side values (days 2..40): 36 of them 5.0 = 92 % >= 90 %
        (np.r_[[1.0, 2.0, 3.0], np.full(36, 5.0), [1.0]], "not_estimable", "the same value on 92 % of days"),
        # 35 of 39 = 89.7 %: below the rule
        (np.r_[[1.0, 2.0, 3.0, 1.0, 2.0], np.full(35, 5.0)], "ok", ""),
        (np.r_[np.arange(5.0), np.full(35, 5.0)], "ok", ""),  # 5 values, 35 / 39 current-side
    ],
)
def test_near_constant_variables_are_not_estimable(column, status, words):
    fits = with_mood(column)
    assert fits.status.tolist() == [status, "ok"]
    assert fits.reason[0] == ("near_constant" if status != "ok" else "ok")
    assert words in fits.message[0]
    doc = fits.patient_json(0)
    json.dumps(doc, allow_nan=False)
    if status != "ok":
        assert doc["edges"] == []
        assert doc["diagnostics"]["spectral_radius"] is None


def test_distinct_values_and_share_are_reported():
    fits = with_mood(np.random.default_rng(9).choice([3.0, 4.0], 40))
    assert fits.n_distinct[0].tolist() == [39.0, 2.0]
    assert np.isnan(fits.top_share[0]).all()  # no value on >= 90 % of days
    assert fits.status[0] == "ok"  # two values about half and half: a 0/1 habit enters the model


def habit(rarer, days=41):
    """A 0/1 column whose 40 current-side values (days 2..41) hold `rarer` ones, spread out."""
    col = np.zeros(days)
    col[1 + np.linspace(0, days - 2, rarer).round().astype(int)] = 1.0
    assert col[1:].sum() == rarer
    return col


@pytest.mark.parametrize(
    ("rarer", "status"),
    [(3, "not_estimable"), (4, "ok"), (5, "ok"), (36, "ok"), (37, "not_estimable"), (0, "not_estimable")],
)
def test_binary_variables_are_judged_by_the_share_of_the_rarer_value(rarer, status):
    """Project rule: exactly two values are near-constant when the rarer is on < 10 % of the days (4 of 40 is
    10 % exactly and passes; 3 of 40 is 7.5 %); either value may be the rarer; scales keep the 3-values rule."""
    fits = with_mood(habit(rarer), days=41)
    assert fits.status.tolist() == [status, "ok"]
    if rarer == 0:  # one value: the kernel's constant check comes first
        assert (fits.reason[0], fits.message[0]) == ("constant", "mood is constant in the lag pairs")
    elif status != "ok":
        share = f"{100 * min(rarer, 40 - rarer) / 40:.0f}"
        assert fits.message[0] == f"mood barely varies (the rarer of its two values on {share} % of days)"
        assert fits.reason[0] == "near_constant"
    else:
        assert fits.n_distinct[0, 1] == 2


# ------------------------------------------------------------------ reasons without a single pair
def reasons(values, **kw):
    fits = fit_patients(pairs_from_dense(values, patient_ids=[str(i) for i in range(len(values))],
                                         variables=["pain", "mood"], **kw))  # fmt: skip
    return fits


def test_each_reason_on_the_grid():
    rng = np.random.default_rng(7)
    v = rng.normal(size=(6, 40, 2))
    v[0] = np.nan  # no check-ins
    v[1, :, 1] = np.nan  # mood never recorded
    v[2, 1::2] = np.nan  # every other day
    v[3, 0::2, 1] = np.nan  # mood only on odd days, pain every day: no pair has mood on both sides
    v[4, 10:] = np.nan  # 10 days: 9 pairs, more days of the same pattern help
    v[5, 1:] = np.nan  # one check-in so far
    fits = reasons(v)
    assert fits.status.tolist() == ["insufficient_data"] * 6
    assert fits.reason.tolist() == ["no_check_ins", "variable_never_recorded", "no_consecutive_days",
                                    "missing_in_every_pair", "more_days_needed", "more_days_needed"]  # fmt: skip
    assert fits.message == ("no check-ins yet", "mood has never been recorded",
                            "check-ins are never on consecutive days, so no pair can be compared",
                            "mood is missing on every pair of consecutive days", "11 more days needed",
                            "20 more days needed")  # fmt: skip
    assert fits.n_more.tolist() == [20, 20, 20, 20, 11, 20]


def test_several_prompts_a_day_name_prompts_in_a_row():
    v = np.random.default_rng(8).normal(size=(2, 40, 2))
    v[0, 1::2] = np.nan  # the second patient answers every prompt
    fits = reasons(v, steps_per_day=4)
    assert fits.reason[0] == "no_consecutive_days"
    assert "prompts in a row on the same day" in fits.message[0]


def test_reasons_from_a_long_frame():
    day = pd.Timestamp("2026-01-01") + pd.to_timedelta(np.r_[0:30:2, 40:50, 0:30], "D")
    mood = np.r_[np.arange(15.0) % 5, [np.nan] * 10, np.arange(30.0) % 4]
    frame = pd.DataFrame({"id": np.r_[["alt"] * 15, ["nomood"] * 10, ["zfine"] * 30], "day": day,
                          "pain": np.arange(55.0) % 7, "mood": mood})  # fmt: skip
    fits = fit_patients(build_pairs(frame, id_col="id", variables=["pain", "mood"], time_col="day"))
    assert fits.reason.tolist() == ["no_consecutive_days", "variable_never_recorded", "ok"]
    assert fits.message[1] == "mood has never been recorded"


@pytest.mark.parametrize("steps", [1, 4])
def test_the_grid_and_a_long_frame_of_the_same_diaries_give_the_same_reasons(steps):
    rng = np.random.default_rng(7)
    v = rng.normal(size=(7, 40, 2))
    v[0] = np.nan  # no check-ins (its rows are in the frame, every value missing)
    v[1, :, 1] = np.nan  # mood never recorded
    v[2, 1::2] = np.nan  # every other day (prompt)
    v[3, 0::2, 1] = np.nan  # mood only on odd days (prompts): no pair has mood on both sides
    v[4, 10:] = np.nan  # 9 pairs: more days of the same pattern help
    v[5, 1:] = np.nan  # one check-in so far
    v[6, :, 0] = np.nan  # pain never recorded
    v[6, :5, 1] = np.nan
    ids = [f"p{i}" for i in range(len(v))]
    grid = fit_patients(pairs_from_dense(v, patient_ids=ids, variables=["pain", "mood"], steps_per_day=steps))
    who, slot = np.nonzero(~np.isnan(v).all(axis=2) | (np.arange(len(v)) == 0)[:, None])
    frame = pd.DataFrame({"id": np.array(ids)[who], "day": slot // steps, "beep": slot % steps + 1,
                          "pain": v[who, slot, 0], "mood": v[who, slot, 1]})  # fmt: skip
    if steps == 1:
        frame["day"] = pd.Timestamp("2026-01-01") + pd.to_timedelta(frame["day"], "D")
        panel = build_pairs(frame, id_col="id", variables=["pain", "mood"], time_col="day")
    else:
        panel = build_pairs(frame, id_col="id", variables=["pain", "mood"], day_col="day", beep_col="beep")
    long = fit_patients(panel)
    assert long.patient_ids == grid.patient_ids
    assert long.reason.tolist() == grid.reason.tolist()
    assert long.message == grid.message
    assert grid.reason.tolist() == ["no_check_ins", "variable_never_recorded", "no_consecutive_days",
                                    "missing_in_every_pair", "more_days_needed", "more_days_needed",
                                    "variable_never_recorded"]  # fmt: skip
    assert grid.message[6] == "pain has never been recorded"
