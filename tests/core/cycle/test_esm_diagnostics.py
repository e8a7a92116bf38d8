"""Ljung-Box and reason codes on several-prompts-a-day data read from a long frame (ESM)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from painmind.core.cycle import build_pairs, fit_patients


def esm(n, days, beeps, seed, *, skip=0.1, b=((0.3, 0.1), (0.0, 0.2)), lag2=0.0):
    """n people x days x beeps prompts: a VAR(1) within each day, restarted every morning; optionally
    a lag-2 term (a pattern the lag-1 model leaves in its residuals); `skip` of prompts missed."""
    rng = np.random.default_rng(seed)
    b = np.asarray(b)
    v = np.zeros((n, days, beeps, 2))
    for d in range(days):
        v[:, d, 0] = rng.normal(size=(n, 2)) * 1.2
        for t in range(1, beeps):
            v[:, d, t] = v[:, d, t - 1] @ b.T + rng.normal(size=(n, 2))
            if t >= 2:
                v[:, d, t] += lag2 * v[:, d, t - 2]
    who, on, at = np.meshgrid(np.arange(n), np.arange(days), np.arange(beeps), indexing="ij")
    keep = rng.random(who.shape) >= skip
    return pd.DataFrame({"id": [f"p{k:04d}" for k in who[keep]], "day": on[keep], "beep": at[keep] + 1,
                         "pain": v[..., 0][keep], "mood": v[..., 1][keep]})  # fmt: skip


def loop_q(day, prompt, resid, lags=2):
    """Q by the documented rule as loops: residuals of pairs ending h prompts apart on the same day."""
    at = {(d, p): e for d, p, e in zip(day, prompt, resid, strict=True)}
    n, s0, q = len(resid), float(np.sum(np.square(resid))), 0.0
    for h in range(1, lags + 1):
        prods = [at[d, p] * at[d, p - h] for d, p in zip(day, prompt, strict=True) if (d, p - h) in at]
        if prods:
            q += (n + 2) * n / len(prods) * (sum(prods) / s0) ** 2
    return q


@pytest.mark.parametrize("clock", ["beep", "timestamp"])
def test_ljung_box_pairs_residuals_h_prompts_apart_on_the_same_day(clock):
    frame = esm(1, 30, 6, seed=1, skip=0.15)
    if clock == "beep":
        panel = build_pairs(frame, id_col="id", variables=["pain", "mood"], day_col="day", beep_col="beep")
    else:  # no prompt numbers: consecutive rows of a day (a skipped prompt cannot be seen)
        frame["at"] = (
            pd.Timestamp("2026-03-01 08:00")
            + pd.to_timedelta(frame["day"], "D")
            + pd.to_timedelta(2 * frame["beep"], "h")
        )
        frame["beep"] = frame.groupby("day").cumcount() + 1  # what the rows show: their rank in the day
        panel = build_pairs(frame, id_col="id", variables=["pain", "mood"], time_col="at")
    fits = fit_patients(panel)
    assert fits.status.tolist() == ["ok"]
    # Each pair ends at the later of two consecutive prompts: its day and prompt from the frame.
    day, prompt = frame["day"].to_numpy(), frame["beep"].to_numpy()
    step = (day[1:] == day[:-1]) & (prompt[1:] - prompt[:-1] == 1)
    assert step.sum() == len(panel.y)
    design = sm.add_constant(panel.x)
    for j in range(2):
        resid = sm.OLS(panel.y[:, j], design).fit().resid
        want = loop_q(day[1:][step], prompt[1:][step], resid)
        assert fits.lb_q[0, j] == pytest.approx(want, rel=1e-9)
    assert np.isfinite(fits.lb_p).all()


def test_ljung_box_flag_rate_under_the_null_and_its_power_on_esm_data():
    # Null: the lag-1 model is right, residuals are white noise.  The flag (some equation's
    # p < 0.05 / 2) is nominally 4.9 %; the test is conservative with a lagged outcome (the same
    # happens on daily diaries: 1.2-1.3 % there with the same number of pairs).
    rates = []
    for seed in range(2):
        fits = fit_patients(
            build_pairs(esm(600, 14, 8, seed), id_col="id", variables=["pain", "mood"], day_col="day", beep_col="beep")
        )
        assert fits.ok.all()
        rates.append(fits.residual_autocorrelation.mean())
        assert 0.002 <= np.mean(fits.lb_p < 0.05) <= 0.06  # per equation, nominal 5 %
    assert 0.003 <= np.mean(rates) <= 0.05
    # A lag-2 pattern inside the day is found in most people.
    fits = fit_patients(
        build_pairs(esm(300, 14, 8, 9, lag2=0.45), id_col="id", variables=["pain", "mood"], day_col="day",
                    beep_col="beep")
    )  # fmt: skip
    assert fits.residual_autocorrelation.mean() > 0.6
