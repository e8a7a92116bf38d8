"""The batched near-constant count (one sort, one candidate per series) against a per-series count."""

from __future__ import annotations

import numpy as np
import pytest

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
