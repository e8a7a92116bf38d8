"""Lag pairs with mlVAR semantics: never across a night, a gap, a skipped prompt or a patient.

Daily diary: a row pairs with the row of the previous calendar day.  Several prompts a day: a row
pairs with the previous prompt of the same day (beep b with beep b-1; without beep numbers, with
the previous row of that day).  A row with every variable missing is no observation; a pair with a
missing value on either side is dropped; nothing is interpolated.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from painmind.core.cycle import _phases
from painmind.core.cycle.result import CycleInputError, Panel, _frozen, _Grid, _names, _Pairs

__all__ = ["DEFAULT_VARIABLES", "CycleInputError", "Panel", "build_pairs", "pairs_from_dense"]

DEFAULT_VARIABLES: tuple[str, ...] = ("pain", "mood", "anxiety", "stress", "sleep_quality", "activity_minutes")
_DAY_US = 86_400_000_000


def _make_panel(
    *, ids: tuple[str, ...], names: tuple[str, ...], rows: NDArray[np.float64], cur: NDArray[np.int64],
    cur_time: NDArray[np.float64], cur_patient: NDArray[np.int64], n_obs: NDArray[np.int64],
    n_naive: int, n_same_day: int, multi: bool,
) -> Panel:  # fmt: skip
    """Panel from `rows` and the indices `cur` of rows whose previous row is a candidate pair.

    `cur_time`, `cur_patient` align with `cur`; `n_same_day` counts consecutive observations on
    one day (several prompts a day) or the candidates (daily diary).
    """
    complete = np.asarray(~np.isnan(rows).any(axis=1))
    ok = complete[cur] & complete[cur - 1]
    good, bad = cur[ok], cur[~ok]
    night, skipped = n_naive - n_same_day, n_same_day - len(cur)
    if len(good) == 0:
        _no_pairs(n_naive, night, skipped, len(bad))
    return Panel(
        patient_ids=ids, variables=names, n_obs=_frozen(n_obs), n_naive_pairs=n_naive,
        dropped={"night_or_gap": night, "skipped_prompt": skipped, "missing_value": len(bad)}, multi_prompt=multi,
        _pairs=_Pairs(_frozen(rows[good]), _frozen(rows[good - 1]), _frozen(cur_time[ok]), _frozen(cur_patient[ok])),
        _held=_Pairs(rows[bad], rows[bad - 1], cur_time[~ok], cur_patient[~ok]),
    )  # fmt: skip


def pairs_from_dense(
    values: NDArray[np.float64], *, patient_ids: Sequence[str], variables: Sequence[str], steps_per_day: int = 1
) -> Panel:
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
    names, ids = _names(variables, "variables"), _ids(patient_ids)
    v = np.ascontiguousarray(values, dtype=np.float64).view()
    v.flags.writeable = False
    if v.ndim != 3 or v.shape[0] != len(ids) or v.shape[2] != len(names):
        raise CycleInputError(f"values must have shape (n_patients={len(ids)}, T, k={len(names)}), got {v.shape}")
    spd = steps_per_day
    if not isinstance(spd, int) or isinstance(spd, bool) or spd < 1 or v.shape[1] % spd:
        raise CycleInputError(f"steps_per_day must be a positive integer dividing T={v.shape[1]}, got {spd!r}")
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
        _no_pairs(n_naive, night, skipped, missing)
    return Panel(
        patient_ids=ids, variables=names, n_obs=_frozen(n_obs), n_naive_pairs=n_naive,
        dropped={"night_or_gap": night, "skipped_prompt": skipped, "missing_value": missing}, multi_prompt=spd > 1,
        _grid=_Grid(v, _frozen(cand), _frozen(valid), _frozen(first), spd, _frozen(n_pairs)),
    )  # fmt: skip


def _ids(patient_ids: Sequence[str]) -> tuple[str, ...]:
    """As ``_names(patient_ids, "patient_ids")``, quicker for many plain strings."""
    ids = tuple(patient_ids) if isinstance(patient_ids, Sequence) and not isinstance(patient_ids, str) else ()
    if ids and set(map(type, ids)) == {str} and len(set(ids)) == len(ids):
        return ids
    return _names(patient_ids, "patient_ids")


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


def _no_pairs(n_naive: int, night: int, skipped: int, missing: int) -> None:
    raise CycleInputError(
        f"no valid lag pairs: {n_naive} consecutive observations, {night} across a night or gap, "
        f"{skipped} across a skipped prompt, {missing} with a missing value"
    )


def _numeric(data: pd.DataFrame, names: tuple[str, ...]) -> NDArray[np.float64]:
    out = np.empty((len(data), len(names)))
    for j, name in enumerate(names):
        col = data[name]
        num = col if pd.api.types.is_numeric_dtype(col.dtype) else pd.to_numeric(col, errors="coerce")
        out[:, j] = num.to_numpy(dtype=np.float64, na_value=np.nan)
        bad = np.isinf(out[:, j]) | (np.isnan(out[:, j]) & col.notna().to_numpy())
        if bad.any():
            raise CycleInputError(f"column {name!r} has a non-numeric value {col[bad].iloc[0]!r}")
    return out


def _datetimes(col: pd.Series, name: str, fmt: str | None, tz: str | None) -> pd.Series:
    """Naive local wall-clock datetimes (aware values in their own zone, or converted to `tz`)."""
    if pd.api.types.is_numeric_dtype(col.dtype):
        raise CycleInputError(f"column {name!r} must hold dates or timestamps, not numbers")
    if not pd.api.types.is_datetime64_any_dtype(col.dtype):
        try:
            parsed = pd.to_datetime(col, format=fmt or "ISO8601", errors="coerce")
        except ValueError:  # mixed UTC offsets: only a zone makes them one local clock
            if tz is None:
                raise CycleInputError(f"column {name!r} mixes UTC offsets: pass tz to read it in one zone") from None
            parsed = pd.to_datetime(col, format=fmt or "ISO8601", errors="coerce", utc=True)
        if (bad := (parsed.isna() & col.notna()).to_numpy()).any():
            raise CycleInputError(f"column {name!r} has a value that is not a date/time: {col[bad].iloc[0]!r}")
        col = parsed
    if isinstance(col.dtype, pd.DatetimeTZDtype):
        col = (col.dt.tz_convert(tz) if tz else col).dt.tz_localize(None)
    return col


def _micros(col: pd.Series) -> NDArray[np.int64]:
    return np.asarray(col.to_numpy().astype("datetime64[us]").astype(np.int64), dtype=np.int64)


def _whole(col: pd.Series, name: str, what: str) -> NDArray[np.int64]:
    vals = pd.to_numeric(col, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    if (bad := ~(np.isfinite(vals) & (vals == np.round(vals)))).any():
        raise CycleInputError(f"column {name!r} must hold whole {what}, got {col[bad].iloc[0]!r}")
    return vals.astype(np.int64)


def build_pairs(
    data: pd.DataFrame,
    *,
    id_col: str,
    variables: Sequence[str] = DEFAULT_VARIABLES,
    time_col: str | None = None,
    day_col: str | None = None,
    beep_col: str | None = None,
    day_boundary: dt.time = dt.time(4, 0),
    day_format: str | None = None,
    tz: str | None = None,
) -> Panel:
    """Lag pairs of a long data frame (one row per observation).

    Parameters
    ----------
    data : DataFrame
        Holds `id_col`, the time columns and every name in `variables` (numbers, NaN = missing).
    id_col : str
        Patient id, compared as a string; patients come out sorted by it.
    variables : sequence of str
        All must be columns: pass the subset you have.
    time_col : str, optional
        Dates (a daily diary: one row per patient and day) or timestamps: naive = local time, aware
        = their own zone (or `tz`).  Without `day_col`, a timestamp's day is the local date of
        ``timestamp - day_boundary``; if no patient has two rows on a day it is a daily diary, else
        consecutive rows of a day pair (without beep numbers a skipped prompt cannot be seen).
    day_col : str, optional
        The day: dates, date strings (ISO 8601 or `day_format`, e.g. ``"%d/%m/%y"``) or whole day
        numbers; it takes precedence over `time_col`.
    beep_col : str, optional
        Prompt number within the day: several prompts a day, beep b pairs only with beep b-1.
    day_boundary : datetime.time
        When a new day starts for timestamps: at 04:00 a 03:30 entry belongs to the day before.
    day_format, tz : str, optional
        strptime format of `day_col` strings; IANA zone in which to read aware timestamps.

    Returns
    -------
    Panel

    Raises
    ------
    CycleInputError
        A missing column, a non-numeric value, a missing id/day/time, two rows on one patient-day
        without prompt numbers, a repeated prompt, no rows, or no valid pair at all.

    Examples
    --------
    >>> df = pd.DataFrame({"id": ["a"] * 4, "on": ["2026-01-01", "2026-01-02", "2026-01-04", "2026-01-05"],
    ...                    "pain": [3.0, 4.0, 5.0, 6.0]})
    >>> p = build_pairs(df, id_col="id", variables=["pain"], time_col="on")
    >>> p.x[:, 0].tolist(), p.y[:, 0].tolist(), p.dropped["night_or_gap"]
    ([3.0, 5.0], [4.0, 6.0], 1)
    """
    names = _names(variables, "variables")
    if not isinstance(data, pd.DataFrame):
        raise CycleInputError(f"data must be a pandas DataFrame, got {type(data).__name__}")
    if not isinstance(day_boundary, dt.time) or day_boundary.tzinfo is not None:
        raise CycleInputError(f"day_boundary must be a naive datetime.time, got {day_boundary!r}")
    given = {"id_col": id_col, "time_col": time_col, "day_col": day_col, "beep_col": beep_col}
    if missing := [repr(c) for c in (*given.values(), *names) if c is not None and c not in data]:
        raise CycleInputError(f"column(s) not in the data: {', '.join(missing)}")
    if id_col in names:
        raise CycleInputError(f"id_col {id_col!r} is also one of the variables")
    if time_col is None and day_col is None:
        raise CycleInputError("pass time_col (dates or timestamps) or day_col (with beep_col for several prompts)")
    if len(data) == 0:
        raise CycleInputError("the data has no rows")
    for arg, col in given.items():
        if col is not None and (blank := data[col].isna().to_numpy()).any():
            raise CycleInputError(f"{arg} column {col!r} has a missing value (row {data.index[blank][0]!r})")

    values = _numeric(data, names)
    codes, uniques = pd.factorize(data[id_col].astype(str), sort=True)
    ids = tuple(str(u) for u in uniques)
    clock = None  # microseconds on a clock that orders the rows of a day
    if time_col is not None:
        local = _micros(_datetimes(data[time_col], time_col, None, tz))
        day = local // _DAY_US
        if day_col is not None or np.any(local % _DAY_US):  # timestamps, not dates
            b = day_boundary  # the wall-clock time at which a diary day starts
            offset = dt.timedelta(hours=b.hour, minutes=b.minute, seconds=b.second, microseconds=b.microsecond)
            day = (local - offset // dt.timedelta(microseconds=1)) // _DAY_US
            raw = data[time_col]
            # Elapsed time runs on the absolute clock when the zone is known (right across DST).
            aware = isinstance(raw.dtype, pd.DatetimeTZDtype)
            clock = _micros(raw.dt.tz_convert("UTC").dt.tz_localize(None)) if aware else local
    numbered = day_col is not None and pd.api.types.is_numeric_dtype(data[day_col].dtype)
    if day_col is not None:
        days = data[day_col]
        day = _whole(days, day_col, "day numbers") if numbered else _micros(_datetimes(days, day_col, day_format, None))
        day = day if numbered else day // _DAY_US
    beep = _whole(data[beep_col], beep_col, "prompt numbers") if beep_col is not None else None

    obs = ~np.isnan(values).all(axis=1)
    n_obs = np.bincount(codes[obs], minlength=len(ids)).astype(np.int64)
    within = beep if beep is not None else clock
    keep = np.flatnonzero(obs)
    keys = (day[keep],) if within is None else (within[keep], day[keep])
    order = keep[np.lexsort((*keys, codes[keep]))]
    pat, day, rows = codes[order].astype(np.int64), day[order], values[order]
    same_pat = pat[1:] == pat[:-1]
    same_day = same_pat & (day[1:] == day[:-1])
    origin = np.maximum.accumulate(np.where(np.r_[True, ~same_pat], np.arange(len(pat)), 0))
    row_time = (day - day[origin]).astype(np.float64)

    def on(i: int) -> str:
        when = f"day {day[i]}" if numbered else (dt.date(1970, 1, 1) + dt.timedelta(days=int(day[i]))).isoformat()
        return f"patient {ids[pat[i]]!r} has two rows on {when}"

    if within is not None and (beep is not None or same_day.any()):
        within = within[order]
        if (same_slot := same_day & (within[1:] == within[:-1])).any():
            raise CycleInputError(f"{on(int(np.argmax(same_slot)))} with the same {beep_col or time_col!r}")
        multi, n_same_day = True, int(same_day.sum())
        if beep is not None:
            adjacent = same_day & (within[1:] - within[:-1] == 1)
            row_time += (within - within[origin]) / float(beep.max() - beep.min() + 1)
        else:
            adjacent = same_day  # without beep numbers a skipped prompt cannot be seen
            row_time = (within - within[origin]) / _DAY_US
    else:
        if same_day.any():
            raise CycleInputError(
                f"{on(int(np.argmax(same_day)))} in {day_col or time_col!r}; for several prompts a day "
                "pass day_col and beep_col (--day-col/--beep-col)"
            )
        multi, adjacent = False, same_pat & (day[1:] - day[:-1] == 1)
        n_same_day = int(adjacent.sum())
    cur = np.flatnonzero(adjacent) + 1
    return _make_panel(
        ids=ids, names=names, rows=rows, cur=cur, cur_time=row_time[cur], cur_patient=pat[cur], n_obs=n_obs,
        n_naive=int(same_pat.sum()), n_same_day=n_same_day, multi=multi,
    )  # fmt: skip
