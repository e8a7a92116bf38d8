"""`pairs_from_dense`: the lag pairs of a regular grid, the fast path for simulations and benchmarks."""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from numpy.typing import NDArray

from painmind.core.cycle import _phases
from painmind.core.cycle.lags.drops import no_pairs
from painmind.core.cycle.lags.timing import check_same_day, shift_grid
from painmind.core.cycle.result import CycleInputError, Panel
from painmind.core.cycle.result.panel import Grid, check_names, frozen

__all__ = ["pairs_from_dense"]


def pairs_from_dense(
    values: NDArray[np.float64], *, patient_ids: Sequence[str], variables: Sequence[str], steps_per_day: int = 1,
    same_day: Sequence[str] = (),
) -> Panel:  # fmt: skip
    """Lag pairs from a regular grid: the fast path for simulations and benchmarks.

    Parameters
    ----------
    values : ndarray, shape (n, T, k)
        Patient x consecutive slot x variable.  NaN is a missing value; a slot with every variable
        NaN is no observation.  Slots are days, or ``steps_per_day`` prompts of whole days.
    patient_ids : sequence of str, length n
        Kept in the given order.
    variables : sequence of str, length k
    steps_per_day : int
        Must divide T.  Slot j pairs with slot j-1 unless j starts a day.
    same_day : sequence of str
        Variables whose value in slot j describes the night before day j (daily grids only): moved
        to slot j-1 as :func:`build_pairs` does (:mod:`.timing`); the panel then holds a copy.

    Returns
    -------
    Panel
        Equal to :func:`build_pairs` on the observed slots as a long frame with day and beep columns.
        It holds a read-only view of `values` (no copy when that is C-contiguous float64) and
        masks, not pair arrays: do not change `values` while the panel is in use.

    Examples
    --------
    >>> v = np.array([[[1.0], [2.0], [np.nan], [4.0]]])  # one patient, 4 days, one variable
    >>> p = pairs_from_dense(v, patient_ids=["a"], variables=["pain"])
    >>> p.x[:, 0], p.y[:, 0], p.dropped["night_or_gap"]
    (array([1.]), array([2.]), 1)
    """
    names, ids = check_names(variables, "variables"), _ids(patient_ids)
    shifted = check_same_day(same_day, names)
    v = np.ascontiguousarray(values, dtype=np.float64).view()
    if v.ndim != 3 or v.shape[0] != len(ids) or v.shape[2] != len(names):
        raise CycleInputError(f"values must have shape (n_patients={len(ids)}, T, k={len(names)}), got {v.shape}")
    spd = steps_per_day
    if not isinstance(spd, int) or isinstance(spd, bool) or spd < 1 or v.shape[1] % spd:
        raise CycleInputError(f"steps_per_day must be a positive integer dividing T={v.shape[1]}, got {spd!r}")
    if shifted:
        if spd > 1:
            raise CycleInputError("same_day needs a daily grid (steps_per_day=1)")
        v = shift_grid(v, shifted)
    v.flags.writeable = False
    n, n_slots, k = v.shape
    obs, complete = np.empty((n, n_slots), dtype=bool), np.empty((n, n_slots), dtype=bool)
    cand, valid = np.empty((n, n_slots - 1), dtype=bool), np.empty((n, n_slots - 1), dtype=bool)
    n_obs, first, n_pairs = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    step = max(1, (1 << 22) // (n_slots * k * 8))  # patients per block: few numpy calls, in cache
    blocks = range(0, n, step)
    threads = min(len(blocks), len(os.sched_getaffinity(0)), 8)
    scan = functools.partial(
        _scan_slots,
        v,
        step=step,
        spd=spd,
        obs=obs,
        complete=complete,
        cand=cand,
        valid=valid,
        n_obs=n_obs,
        first=first,
        n_pairs=n_pairs,
    )
    if threads > 1 and n * n_slots * k >= 1 << 20:
        with ThreadPoolExecutor(threads) as pool:
            parts = list(pool.map(lambda t: [scan(a) for a in blocks[t::threads]], range(threads)))
        counts = np.array([c for part in parts for c in part], dtype=np.int64)
    else:
        counts = np.array([scan(a) for a in blocks], dtype=np.int64)
    counts = counts.reshape(-1, 3).sum(axis=0)
    if counts[0]:
        raise CycleInputError("values contain inf; use NaN for a missing value")
    n_naive, n_cand = int(np.maximum(n_obs - 1, 0).sum()), int(counts[1])
    n_same_day = int(np.maximum(obs.reshape(n, -1, spd).sum(axis=2) - 1, 0).sum()) if spd > 1 else n_cand
    night, skipped, missing = n_naive - n_same_day, n_same_day - n_cand, n_cand - int(counts[2])
    if missing == n_cand:
        no_pairs(n_naive, night, skipped, missing)
    return Panel(
        patient_ids=ids, variables=names, n_obs=frozen(n_obs), n_naive_pairs=n_naive,
        dropped={"night_or_gap": night, "skipped_prompt": skipped, "missing_value": missing}, multi_prompt=spd > 1,
        _grid=Grid(v, frozen(cand), frozen(valid), frozen(first), spd, frozen(n_pairs)),
    )  # fmt: skip


def _ids(patient_ids: Sequence[str]) -> tuple[str, ...]:
    """As ``check_names(patient_ids, "patient_ids")``, quicker for many plain strings."""
    ids = tuple(patient_ids) if isinstance(patient_ids, Sequence) and not isinstance(patient_ids, str) else ()
    if ids and set(map(type, ids)) == {str} and len(set(ids)) == len(ids):
        return ids
    return check_names(patient_ids, "patient_ids")


def _scan_slots(
    v: NDArray[np.float64], a: int, *, step: int, spd: int, obs: NDArray[np.bool_], complete: NDArray[np.bool_],
    cand: NDArray[np.bool_], valid: NDArray[np.bool_], n_obs: NDArray[np.int64], first: NDArray[np.int64],
    n_pairs: NDArray[np.int64],
) -> tuple[int, int, int]:  # fmt: skip
    """Slots and pairs of patients a..a+step-1 into the arrays; returns (any inf, candidates, valid).

    A slot is observed with any value, complete with every value; a candidate pair joins two
    observed slots of a day (every slot is a row: an empty slot between two breaks the pair), a
    valid one two complete slots.
    """
    clock = _phases.start()
    block = v[a : a + step]
    k = block.shape[2]
    fin = np.isfinite(block)
    width = next(w for w in (8, 4, 2, 1) if k % w == 0)  # k flags as k / width wide words: AND / OR them
    words = fin.view(f"<u{width}")
    every, some = words[..., 0].copy(), words[..., 0].copy()
    for j in range(1, k // width):
        every &= words[..., j]
        some |= words[..., j]
    done = complete[a : a + step]
    np.equal(every, int.from_bytes(b"\x01" * width, "little"), out=done)
    seen = obs[a : a + step]
    np.not_equal(some, 0, out=seen)  # a finite value (a slot with inf is refused below anyway)
    inf = False
    if not done.all():
        odd = np.take(block.reshape(-1, k), np.flatnonzero(~done), axis=0)
        inf = bool(np.isinf(odd).any())
    pair, ok = cand[a : a + step], valid[a : a + step]
    np.logical_and(seen[:, 1:], seen[:, :-1], out=pair)
    if spd > 1:
        pair[:, spd - 1 :: spd] = False  # the first prompt of a day never pairs with the night before
    np.logical_and(pair, done[:, 1:], out=ok)
    ok &= done[:, :-1]
    np.sum(seen, axis=1, out=n_obs[a : a + step])
    np.argmax(seen, axis=1, out=first[a : a + step])
    np.sum(ok, axis=1, out=n_pairs[a : a + step])
    _phases.lap("grid scan (pairs_from_dense)", clock)
    return int(inf), int(np.count_nonzero(pair)), int(n_pairs[a : a + step].sum())
