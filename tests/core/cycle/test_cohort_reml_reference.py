"""The REML of many edges at once gives the tau**2 of the earlier one-edge-at-a-time search.

``_reference_tau2`` is the earlier implementation (every starting value of the grid evaluated
exactly, then damped Newton/Fisher steps), kept here as the oracle for the faster search, which
ranks the grid on binned data and evaluates the likelihood and the step in one pass.
"""

from __future__ import annotations

import numpy as np
import pytest

from painmind.core.cycle.cohort import pool_cohort

_GRID = 10.0 ** np.arange(-3.0, 7.0, 0.5)


def _loglik(y, v, valid, tau2):
    w = valid / (v + tau2)
    sw = w.sum(0)
    r = y - (w * y).sum(0) / sw
    return -0.5 * (np.log(np.where(valid, v + tau2, 1.0)).sum(0) + np.log(sw) + (w * r * r).sum(0))


def _step(y, v, valid, tau2):
    w = valid / (v + tau2)
    w2 = w * w
    sw, sw2, sw3 = w.sum(0), w2.sum(0), (w2 * w).sum(0)
    r = y - (w * y).sum(0) / sw
    wr2 = w * r * r
    score = 0.5 * ((w * wr2).sum(0) - sw + sw2 / sw)
    expected = 0.5 * (sw2 - 2.0 * sw3 / sw + (sw2 / sw) ** 2)
    observed = (w2 * wr2).sum(0) - (w2 * r).sum(0) ** 2 / sw - expected
    return score / np.where(observed > 0.0, observed, expected)


def _reference_tau2(b: np.ndarray, s: np.ndarray) -> np.ndarray:
    valid = np.isfinite(b) & np.isfinite(s) & (s > 0)
    v0 = s**2
    unit = np.where(valid, v0, np.inf).min(0)
    y, v = np.where(valid, b, 0.0) / np.sqrt(unit), np.where(valid, v0, 1.0) / unit
    n = valid.sum(0)
    w = valid / v
    mu = (w * y).sum(0) / w.sum(0)
    c = w.sum(0) - (w * w).sum(0) / w.sum(0)
    dl = np.maximum(0.0, ((w * (y - mu) ** 2).sum(0) - (n - 1.0)) / c)
    starts = np.vstack([np.zeros_like(dl), dl, np.broadcast_to(_GRID[:, None], (_GRID.size, dl.size))])
    lls = np.stack([_loglik(y, v, valid, start) for start in starts])
    best = lls.argmax(0)[None]
    tau2 = np.take_along_axis(starts, best, 0)[0]
    ll = np.take_along_axis(lls, best, 0)[0]
    active = np.ones(tau2.shape, dtype=bool)
    for _ in range(100):
        new = np.where(active, np.maximum(0.0, tau2 + _step(y, v, valid, tau2)), tau2)
        for _ in range(30):
            ll_new = _loglik(y, v, valid, new)
            worse = ll_new < ll - 1e-13 * np.abs(ll)
            if not worse.any():
                break
            new = np.where(worse, 0.5 * (tau2 + new), new)
        active &= np.abs(new - tau2) > 1e-10 * (1.0 + new)
        tau2, ll = new, ll_new
        if not active.any():
            break
    out: np.ndarray = tau2 * unit
    return out


@pytest.mark.parametrize(("n", "seed"), [(5, 1), (40, 2), (300, 3), (3000, 4)])
def test_reml_of_every_edge_matches_the_one_at_a_time_search(n: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    k = 6  # 36 edges: sampling SDs spread over 0 to 3 decades, true tau from 0 to 3 sampling SDs
    spread = np.repeat([0.0, 0.5, 1.0, 1.5, 2.0, 3.0], k)
    se = 0.1 * 10.0 ** (spread * rng.uniform(0.0, 1.0, (n, k * k)))
    tau = 0.1 * np.tile([0.0, 0.3, 1.0, 3.0, 0.05, 2.0], k)
    coef = 0.2 + tau * rng.standard_normal((n, k * k)) + se * rng.standard_normal((n, k * k))
    coef[rng.random(coef.shape) < 0.05] = np.nan  # entries left out of their edge
    se[rng.random(se.shape) < 0.02] = 0.0
    fit = pool_cohort(coef.reshape(n, k, k), se.reshape(n, k, k), np.ones(n, dtype=bool), [f"v{i}" for i in range(k)])
    want = _reference_tau2(coef, se).reshape(k, k)
    assert (want > 0).sum() > 10
    np.testing.assert_allclose(fit.tau2, want, rtol=1e-10, atol=1e-14 * np.nanmax(se) ** 2)
