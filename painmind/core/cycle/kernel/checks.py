"""Run the diagnostics of `diagnostics` on fitted patients, in blocks, from the grid or the pairs."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from painmind.core.cycle import _phases
from painmind.core.cycle.kernel.cross import BLOCK_BYTES
from painmind.core.cycle.kernel.diagnostics import ljung_box, near_constant_words, spectral_radius, spread
from painmind.core.cycle.result import Panel

__all__ = ["DIAG_FIELDS", "diagnose"]

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
Partners = list[list[tuple[int, BoolArray | None]]] | None
# Per-patient diagnostics in PatientFits: (n,) or (n, k); NaN where not computed.
DIAG_FIELDS = {"spectral_radius": 1, "lb_q": 2, "lb_p": 2, "n_distinct": 2, "top_share": 2}


def _from_grid(panel: Panel, rows: NDArray[np.int64]) -> tuple[FloatArray, FloatArray, FloatArray, BoolArray, Partners]:
    """x, y (c, W, k), time (c, W), ok (c, W) and the residual partners of grid patients `rows`."""
    g = panel._grid
    assert g is not None
    at = slice(int(rows[0]), int(rows[-1]) + 1) if rows[-1] - rows[0] == len(rows) - 1 else rows
    slab = g.values[at]
    n_slots = slab.shape[1]
    time = (np.arange(1, n_slots) - g.first[rows][:, None]) / g.steps
    day = None
    if g.steps > 1:  # pair j ends at slot j + 1; lag 2 must not reach across a night
        end = (np.arange(1, n_slots) // g.steps)[None, :]
        day = np.broadcast_to(end[:, 2:] == end[:, :-2], (len(rows), n_slots - 3))
    return slab[:, :-1], slab[:, 1:], time, g.valid[at], [[(1, None)], [(2, day)]]


def _from_pairs(panel: Panel, rows: NDArray[np.int64], starts: NDArray[np.int64], nf: NDArray[np.int64]) -> tuple[
    FloatArray, FloatArray, FloatArray, BoolArray, Partners
]:  # fmt: skip
    """As :func:`_from_grid` from the pair arrays, padded to the longest patient.

    Residual partners come from ``time``, whole days in a daily diary (lag h = h days back, at most
    h pairs back); with several prompts a day the pairs do not say which prompt of which day they
    end at, so no Ljung-Box (NaN).
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
    if not panel.multi_prompt:
        with np.errstate(invalid="ignore"):
            partners = [[(o, time[:, o:] - time[:, :-o] == h) for o in range(1, h + 1) if o < width] for h in (1, 2)]
    return x, y, time, ok, partners


def diagnose(
    panel: Panel, rows: NDArray[np.int64], *, nf: NDArray[np.int64], starts: NDArray[np.int64] | None, trend: bool,
    out: dict[str, Any], bad: set[int],
) -> list[tuple[int, str, str]]:  # fmt: skip
    """Diagnostics of fitted patients `rows` (nf pairs each; `starts` into the pair arrays unless on a
    grid) into ``out``; returns (patient, "near_constant", words) for near-constant variables.
    Spectral radius and Ljung-Box only for patients estimable so far (not in `bad`)."""
    clock = _phases.start()
    k = len(panel.variables)
    n_slots = panel._grid.values.shape[1] if panel._grid is not None else int(nf.max()) + 1
    step = max(1, BLOCK_BYTES // (n_slots * k * 8 * 4))
    unit = "prompts" if panel.multi_prompt else "days"
    found: list[tuple[int, str, str]] = []
    stable: list[NDArray[np.int64]] = []  # patients whose spectral radius is wanted, block by block
    for a in range(0, len(rows), step):
        r, m = rows[a : a + step], nf[a : a + step]
        if starts is None:
            x, y, time, ok, partners = _from_grid(panel, r)
        else:
            x, y, time, ok, partners = _from_pairs(panel, r, starts[a : a + step], m)
        distinct, share = spread(np.where(ok[:, None, :], y.transpose(0, 2, 1), np.nan), m)
        out["n_distinct"][r], out["top_share"][r] = distinct, share
        near = near_constant_words(panel.variables, distinct, share, unit)
        found += [(int(r[i]), "near_constant", words) for i, words in near]
        skip = bad | {int(r[i]) for i, _ in near}
        good = np.array([i for i, row in enumerate(r.tolist()) if row not in skip], dtype=np.int64)
        if len(good) == 0:
            continue
        g = r[good]
        stable.append(g)
        if partners is None:
            continue
        if len(good) < len(r):
            x, y, time, ok = x[good], y[good], time[good], ok[good]
            partners = [[(o, None if mask is None else mask[good]) for o, mask in lag] for lag in partners]
        e = y - out["intercept"][g][:, None, :]  # in place from here (the old order: identical values)
        e -= np.matmul(x, out["coef"][g].transpose(0, 2, 1))
        if trend:
            e -= out["trend"][g][:, None, :] * time[:, :, None]
        np.copyto(e, 0.0, where=~ok[:, :, None])  # NaN (a missing value) where a pair is not valid
        out["lb_q"][g], out["lb_p"][g] = ljung_box(e, ok, partners)
    if stable:  # one batched eigenvalue call for all blocks
        g = np.concatenate(stable)
        out["spectral_radius"][g] = spectral_radius(out["coef"][g])
    _phases.lap("diagnostics", clock)
    return found
