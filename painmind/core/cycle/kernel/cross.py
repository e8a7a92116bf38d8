"""The centred cross-products of blocks of patients, from pair arrays or straight from the grid."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from painmind.core.cycle.result import Panel

__all__ = ["BLOCK_BYTES", "Scratch", "block", "block_grid", "centre"]

FloatArray = NDArray[np.float64]
BLOCK_BYTES = 1 << 21  # one work block: few numpy calls (the GIL) yet its arrays stay in L2


def _cross(z: FloatArray, valid: NDArray[np.bool_] | None, *, s: FloatArray, mean: FloatArray) -> None:
    """Centre z (c, width, m) per patient over its `valid` rows (None: all) in place; Z'Z into `s`."""
    ones = np.ones(z.shape[1])
    if valid is not None:
        z[~valid] = 0.0  # padding, pairs with a missing value or across a gap
    np.matmul(ones, z, out=mean)
    mean /= z.shape[1] if valid is None else valid.sum(axis=1)[:, None]
    z -= mean[:, None, :]
    if valid is not None:
        z[~valid] = 0.0
    np.matmul(z.transpose(0, 2, 1), z, out=s)


def block(
    panel: Panel, st: NDArray[np.int64], nf: NDArray[np.int64], *, trend: bool, s: FloatArray, mean: FloatArray
) -> None:
    """Centred Z'Z (into `s`) and means (into `mean`) of the patients whose pairs start at `st`."""
    c, width = len(st), int(nf.max())
    lo, hi = int(st[0]), int(st[-1] + nf[-1])
    parts = [panel.x, *([panel.time[:, None]] if trend else []), panel.y]
    if hi - lo == c * width and np.all(nf == width):  # equal back-to-back series
        _cross(np.concatenate([part[lo:hi] for part in parts], axis=1).reshape(c, width, -1), None, s=s, mean=mean)
        return
    owner = np.repeat(np.arange(c), nf)
    pos = np.arange(len(owner)) - np.repeat(np.cumsum(nf) - nf, nf)
    rows = slice(lo, hi) if hi - lo == len(owner) else pos + np.repeat(st, nf)
    z = np.zeros((c, width, mean.shape[1]))
    z.reshape(c * width, -1)[owner * width + pos] = np.concatenate([part[rows] for part in parts], axis=1)
    _cross(z, np.arange(width) < nf[:, None], s=s, mean=mean)


def block_grid(
    panel: Panel, a: int, b: int, *, trend: bool, raw: FloatArray, shift: FloatArray, scratch: Scratch,
    lagged: FloatArray | None = None,
) -> None:  # fmt: skip
    """Shifted cross-products of patients a..b-1 of a grid panel, read straight from the grid.

    Each patient's values are shifted by those of its first valid pair (so a constant variable
    is exactly 0, and the shifted values are of the size of their spread) into ``shift`` (m, c).
    Z = [x, (time,) y, 1] over the valid pairs (the others zero) is laid out variable-major with
    the patients side by side, so that every element-wise step runs over one long row per
    variable; the y rows are the x rows read one slot later.  The first m columns of each
    patient's Z'Z go, patients last, into ``raw`` (m + 1, m, c): uncentred sums of products and
    the sums (last row); :func:`centre` turns them into centred ones.

    ``lagged`` (RESID_LAGS, c, m + 1, m + 1), patients first: the lagged products
    sum_t z_t z_(t-h)' of the valid pairs t and t - h (h = 1, 2; with several prompts a day, lag 2
    only on the same day), from which the Ljung-Box sums of any residual w'z follow (``w' M_h w``,
    :func:`..checks.lagged_sums`) without computing the residuals.
    """
    g = panel._grid
    assert g is not None
    slab, valid = g.values[a:b], g.valid[a:b]
    c, n_slots, k = slab.shape
    p = k + int(trend)
    m = p + k
    size = c * n_slots
    first = np.argmax(valid, axis=1)
    lead = slab[np.arange(c), first]  # (c, k): the first valid pair's lagged values
    np.copyto(shift[:k], lead.T)
    np.copyto(shift[p:], lead.T)
    st = scratch.st[: k * size].reshape(k, c, n_slots)
    np.copyto(st, slab.transpose(2, 0, 1))
    np.subtract(st, shift[:k, :, None], out=st)
    np.fmax(st, -np.finfo(np.float64).max, out=st)  # NaN (only where a pair is not valid) -> finite
    wt = scratch.weight[:c]
    np.copyto(wt[:, :-1], valid)  # the last column stays 0: the last slot starts no pair
    wf = wt.reshape(size)
    z = scratch.z[:, :size]  # row j: variable j of every patient, one slot per pair (the last unused)
    np.multiply(st.reshape(k, size), wf, out=z[:k])
    np.multiply(scratch.st[1 : k * size + 1].reshape(k, size), wf, out=z[p:m])  # y: the next slot
    if trend:
        slots = (np.arange(1, n_slots + 1) - g.first[a:b, None]) / g.steps
        shift[k] = slots[np.arange(c), first]
        slots -= shift[k][:, None]
        np.multiply(slots.reshape(size), wf, out=z[k])
    np.copyto(z[m], wf)
    zz = z.reshape(m + 1, c, n_slots).transpose(1, 0, 2)[:, :, :-1]  # (c, m + 1, T - 1): each patient's Z'
    s = scratch.s[:c]
    np.matmul(zz, zz[:, :m].transpose(0, 2, 1), out=s)  # not Z'Z (m + 1 square): this shape is faster
    np.copyto(raw, s.transpose(1, 2, 0))
    if lagged is not None:
        for h in range(1, len(lagged) + 1):
            late = zz[:, :, h:]
            if h > 1 and g.steps > 1:  # pair j ends at slot j + 1; lag 2 must not reach across a night
                end = np.arange(1, n_slots) // g.steps
                late = late * (end[h:] == end[:-h])
            np.matmul(late, zz[:, :, :-h].transpose(0, 2, 1), out=lagged[h - 1])


class Scratch:
    """Work arrays of :func:`block_grid` for blocks of up to `step` patients of T slots."""

    def __init__(self, step: int, n_slots: int, k: int, m: int) -> None:
        self.st = np.zeros(k * step * n_slots + 1)  # shifted values, variable-major; one spare (finite) slot
        self.weight = np.zeros((step, n_slots))
        self.z = np.empty((m + 1, step * n_slots))
        self.s = np.empty((step, m + 1, m))


def centre(raw: FloatArray, shift: FloatArray, n: NDArray[np.int64]) -> tuple[FloatArray, FloatArray]:
    """Centred Z'Z (m, m, w) and means (m, w) from the shifted sums of :func:`block_grid`, patients
    last (the shift is near the mean, so the correction n (mean - shift)(mean - shift)' cancels no
    significant digits); n pairs per patient."""
    m = raw.shape[1]
    u = raw[m]
    mean = u / n
    mean += shift
    r = u / np.sqrt(n)
    out = np.multiply(r[:, None], r[None])
    np.subtract(raw[:m], out, out=out)
    diag = out.reshape(m * m, -1)[:: m + 1]
    np.maximum(diag, 0.0, out=diag)
    return out, mean
