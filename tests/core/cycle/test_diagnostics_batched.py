"""Batched diagnostics against straightforward ones: the near-constant count, Ljung-Box from cross-products."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from painmind.core.cycle import build_pairs, fit_patients, pairs_from_dense
from painmind.core.cycle.kernel.diagnostics import NEAR_CONSTANT_SHARE, spread


def per_series(values):
    """Different values and the commonest one's share (NaN below the 90 % rule), by np.unique."""
    _, counts = np.unique(values, return_counts=True)
    share = counts.max() / len(values)
    return len(counts), share if share >= NEAR_CONSTANT_SHARE else np.nan


@pytest.mark.parametrize("seed", range(3))
def test_spread_equals_a_per_series_count_with_padding(seed):
    rng = np.random.default_rng(seed)
    c, k, width = 300, 4, 40
    m = rng.integers(20, width + 1, size=c)
    y = np.full((c, k, width), np.nan)
    for i in range(c):
        y[i, 0, : m[i]] = rng.integers(0, 11, size=m[i])  # a 0-10 scale
        y[i, 1, : m[i]] = rng.normal(size=m[i])  # all different
        y[i, 2, : m[i]] = np.where(rng.random(m[i]) < rng.choice([0.8, 0.9, 0.97, 1.0]), 5.0, rng.integers(0, 3, m[i]))
        y[i, 3, : m[i]] = rng.integers(0, 2, size=m[i])  # two values
        y[i] = y[i][:, rng.permutation(width)] if i % 2 else y[i]  # NaN anywhere, not only at the end
    want = np.array([[per_series(y[i, j][~np.isnan(y[i, j])]) for j in range(k)] for i in range(c)])
    distinct, share = spread(y.copy(), m)
    np.testing.assert_array_equal(distinct, want[..., 0])
    np.testing.assert_array_equal(share, want[..., 1])
    assert np.isfinite(share[:, 2]).any()  # both sides of the rule are hit
    assert np.isnan(share[:, 2]).any()


def test_spread_exact_shares_at_the_boundary():
    # 10 values: 9 equal is 90 % (near-constant), 8 equal is not.
    y = np.array([[[1.0] * 9 + [2.0], [3.0] * 8 + [1.0, 2.0]]])
    distinct, share = spread(y, np.array([10]))
    np.testing.assert_array_equal(distinct, [[2.0, 3.0]])
    np.testing.assert_array_equal(share, [[0.9, np.nan]])


@pytest.mark.parametrize("trend", [False, True])
def test_ljung_box_from_lagged_cross_products_equals_the_residual_sums(trend):
    """The grid computes Ljung-Box from lagged cross-products (no residuals); a long frame of the
    same diaries from the residuals themselves: the two must agree on every patient."""
    rng = np.random.default_rng(11)
    n, days = 300, 70
    values = np.zeros((n, days, 3))
    for t in range(1, days):
        values[:, t] = values[:, t - 1] @ np.array([[0.4, 0.1, 0.0], [0.0, 0.3, 0.1], [0.1, 0.0, 0.2]]).T
        values[:, t] += rng.normal(size=(n, 3))
    values += 50.0 + np.linspace(0, 2, days)[None, :, None]  # far from 0, with a drift: the shift matters
    values[rng.random((n, days)) < 0.12] = np.nan  # missed days
    values[rng.random((n, days, 3)) < 0.02] = np.nan  # single missing values
    values[:5, :, 2] = np.round(values[:5, :, 2])
    ids = [f"p{i:03d}" for i in range(n)]
    grid = fit_patients(pairs_from_dense(values, patient_ids=ids, variables=["pain", "mood", "stress"]), trend=trend)
    who, day = np.nonzero(~np.isnan(values).all(axis=2))
    frame = pd.DataFrame({"id": np.array(ids)[who], "day": pd.Timestamp("2026-01-01") + pd.to_timedelta(day, "D")})
    for j, name in enumerate(["pain", "mood", "stress"]):
        frame[name] = values[who, day, j]
    panel = build_pairs(frame, id_col="id", variables=["pain", "mood", "stress"], time_col="day")
    long = fit_patients(panel, trend=trend)
    assert grid.status.tolist() == long.status.tolist()
    assert grid.ok.sum() > 250
    np.testing.assert_allclose(grid.lb_q, long.lb_q, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(grid.lb_p, long.lb_p, rtol=1e-9, atol=1e-12)
    np.testing.assert_array_equal(grid.residual_autocorrelation, long.residual_autocorrelation)
    np.testing.assert_allclose(grid.spectral_radius, long.spectral_radius, rtol=1e-12)
