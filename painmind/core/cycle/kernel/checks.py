"""Run the diagnostics of `diagnostics` on fitted patients, in blocks, from the grid or the pairs."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from painmind.core.cycle import _phases
from painmind.core.cycle.kernel.cross import BLOCK_BYTES
from painmind.core.cycle.kernel.diagnostics import ljung_box, ljung_box_q, near_constant_words, spectral_radius, spread
from painmind.core.cycle.result import Panel
from painmind.core.cycle.result.panel import PROMPT_SLOTS

__all__ = ["DIAG_FIELDS", "Lagged", "diagnose", "lagged_sums"]

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
Partners = list[list[tuple[int, BoolArray | None]]] | None
# Per-patient diagnostics in PatientFits: (n,) or (n, k); NaN where not computed.
DIAG_FIELDS = {"spectral_radius": 1, "lb_q": 2, "lb_p": 2, "n_distinct": 2, "top_share": 2}


def _from_grid(panel: Panel, rows: NDArray[np.int64]) -> tuple[FloatArray, BoolArray]:
    """The current side y (c, W, k) of grid patients `rows` and their valid pairs ok (c, W)."""
    g = panel._grid
    assert g is not None
    at = slice(int(rows[0]), int(rows[-1]) + 1) if rows[-1] - rows[0] == len(rows) - 1 else rows
    return g.values[at][:, 1:], g.valid[at]


class Lagged(NamedTuple):
    """A grid chunk's cross-products (:func:`..cross.block_grid`), patient i of the chunk at index i."""

    raw: FloatArray  # (m + 1, m, c): shifted sums of products and sums, patients last
    lagged: FloatArray  # (RESID_LAGS, c, m + 1, m + 1): lagged products, patients first
    shift: FloatArray  # (m, c)


def lagged_sums(
    panel: Panel, rows: NDArray[np.int64], cross: Lagged, *, nf: NDArray[np.int64], trend: bool, out: dict[str, Any]
) -> tuple[FloatArray, FloatArray, list[tuple[FloatArray, FloatArray]]]:
    """Ljung-Box sums of the fitted grid patients `rows` of a chunk (`cross`) from cross-products.

    Patient i's residual of equation j at pair t is ``w_j' z_t``, z_t = [x, (time,) y, 1] shifted and
    zero where the pair is not valid, w_j = [-B_j, (-trend_j,) unit j, -c_j] with c_j the intercept
    in the shifted units; so S_h = sum_t e_t e_(t-h) = w_j' M_h w_j with M_h = sum_t z_t z_(t-h)' and
    n_h = M_h[1, 1] (the valid (t, t - h)).  Returns n (c,), S_0 (c, k) and [(S_h, n_h)] per lag;
    meaningless for a patient whose fit failed (its coefficients are not set).
    """
    k = len(panel.variables)
    p = k + int(trend)
    m = p + k
    c = len(rows)
    at = slice(int(rows[0]), int(rows[-1]) + 1) if rows[-1] - rows[0] == c - 1 else rows
    coef = out["coef"][at]  # (c, k, k): [to, from]
    w = np.zeros((c, k, m + 1))
    w[:, :, :k] = -coef
    sh = cross.shift
    icpt = np.matmul(coef, sh[:k].T[:, :, None])[:, :, 0]
    icpt += out["intercept"][at]
    icpt -= sh[p:].T
    if trend:
        slope = out["trend"][at]
        w[:, :, k] = -slope
        icpt += slope * sh[k][:, None]
    w[:, np.arange(k), p + np.arange(k)] = 1.0
    w[:, :, m] = -icpt
    m0 = np.empty((c, m + 1, m + 1))
    m0[:, :, :m] = cross.raw.transpose(2, 0, 1)
    m0[:, :m, m] = cross.raw[m].T
    m0[:, m, m] = nf

    def quad(a: FloatArray) -> FloatArray:
        s: FloatArray = np.einsum("cja,cja->cj", np.matmul(w, a), w)
        return s

    return nf.astype(np.float64), quad(m0), [(quad(lag), lag[:, m, m].copy()) for lag in cross.lagged]


def _from_pairs(panel: Panel, rows: NDArray[np.int64], starts: NDArray[np.int64], nf: NDArray[np.int64]) -> tuple[
    FloatArray, FloatArray, FloatArray, BoolArray, Partners
]:  # fmt: skip
    """x, y (c, W, k), time (c, W), ok (c, W) and the residual partners of patients `rows` from the
    pair arrays, padded to the longest patient.

    Residual partners: in a daily diary from ``time``, whole days (lag h = h days back, at most h
    pairs back); with several prompts a day from ``slot`` (lag h = h prompts back on the same day).
    Without slots (pairs made elsewhere) no Ljung-Box (NaN).
    """
    c, width, k = len(rows), int(nf.max()), len(panel.variables)
    owner = np.repeat(np.arange(c), nf)
    pos = np.arange(len(owner)) - np.repeat(np.cumsum(nf) - nf, nf)
    src = pos + np.repeat(starts, nf)
    x, y = np.full((c, width, k), np.nan), np.full((c, width, k), np.nan)
    time = np.full((c, width), np.nan)
    x[owner, pos], y[owner, pos], time[owner, pos] = panel.x[src], panel.y[src], panel.time[src]
    ok = np.arange(width)[None, :] < nf[:, None]
    partners: Partners = None
    slot = panel._arrays().slot
    if not panel.multi_prompt:
        with np.errstate(invalid="ignore"):
            partners = [[(o, time[:, o:] - time[:, :-o] == h) for o in range(1, h + 1) if o < width] for h in (1, 2)]
    elif slot is not None:
        at = np.full((c, width), -4 * PROMPT_SLOTS, dtype=np.int64)  # padding: never h slots from a real one
        at[owner, pos] = slot[src]
        partners = [[(o, at[:, o:] - at[:, :-o] == h) for o in range(1, h + 1) if o < width] for h in (1, 2)]
    return x, y, time, ok, partners


def diagnose(
    panel: Panel, rows: NDArray[np.int64], *, nf: NDArray[np.int64], starts: NDArray[np.int64] | None, trend: bool,
    out: dict[str, Any], bad: set[int], cross: Lagged | None = None,
) -> list[tuple[int, str, str]]:  # fmt: skip
    """Diagnostics of fitted patients `rows` (nf pairs each; `starts` into the pair arrays unless on a
    grid, where `cross` holds the chunk's cross-products, patient rows[i] at index i) into ``out``;
    returns (patient, "near_constant", words) for near-constant variables.  Spectral radius and
    Ljung-Box only for patients estimable so far (not in `bad`)."""
    clock = _phases.start()
    k = len(panel.variables)
    n_slots = panel._grid.values.shape[1] if panel._grid is not None else int(nf.max()) + 1
    step = max(1, BLOCK_BYTES // (n_slots * k * 8 * 4))
    unit = "prompts" if panel.multi_prompt else "days"
    found: list[tuple[int, str, str]] = []
    stable: list[NDArray[np.int64]] = []  # index into rows of the patients whose radius is wanted
    for a in range(0, len(rows), step):
        r, m = rows[a : a + step], nf[a : a + step]
        if starts is None:
            y, ok = _from_grid(panel, r)
        else:
            x, y, time, ok, partners = _from_pairs(panel, r, starts[a : a + step], m)
        series = np.empty((len(r), k, y.shape[1]))  # each series in a row, NaN where there is none
        np.copyto(series, y.transpose(0, 2, 1))
        np.copyto(series, np.nan, where=~ok[:, None, :])
        distinct, share = spread(series, m)
        out["n_distinct"][r], out["top_share"][r] = distinct, share
        near = near_constant_words(panel.variables, distinct, share, m, unit)
        found += [(int(r[i]), "near_constant", words) for i, words in near]
        skip = bad | {int(r[i]) for i, _ in near}
        good = np.array([i for i, row in enumerate(r.tolist()) if row not in skip], dtype=np.int64)
        if len(good) == 0:
            continue
        stable.append(a + good)
        if starts is None or partners is None:
            continue
        g = r[good]
        if len(good) < len(r):
            x, y, time, ok = x[good], y[good], time[good], ok[good]
            partners = [[(o, None if mask is None else mask[good]) for o, mask in lag] for lag in partners]
        e = y - out["intercept"][g][:, None, :]  # in place from here (the old order: identical values)
        e -= np.matmul(x, out["coef"][g].transpose(0, 2, 1))
        if trend:
            e -= out["trend"][g][:, None, :] * time[:, :, None]
        np.copyto(e, 0.0, where=~ok[:, :, None])  # NaN (a missing value) where a pair is not valid
        out["lb_q"][g], out["lb_p"][g] = ljung_box(e, ok, partners)
    if stable:
        at = np.concatenate(stable)
        g = rows[at]
        if cross is not None:  # every fitted patient of the chunk at once (cheap), then those wanted
            n, s0, sums = lagged_sums(panel, rows, cross, nf=nf, trend=trend, out=out)
            sums = [(sh[at], nh[at]) for sh, nh in sums]
            out["lb_q"][g], out["lb_p"][g] = ljung_box_q(n[at], s0[at], sums)
        out["spectral_radius"][g] = spectral_radius(out["coef"][g])  # one batched eigenvalue call
    _phases.lap("diagnostics", clock)
    return found
