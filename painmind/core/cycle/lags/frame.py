"""`build_pairs`: the lag pairs of a long data frame (day keys, prompt numbers, time zones)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from painmind.core.cycle.lags import DEFAULT_VARIABLES
from painmind.core.cycle.lags.drops import no_pairs
from painmind.core.cycle.lags.timing import check_same_day, shift_frame_rows
from painmind.core.cycle.result import CycleInputError, Panel
from painmind.core.cycle.result.panel import PROMPT_SLOTS, Pairs, check_names, frozen

__all__ = ["DEFAULT_VARIABLES", "build_pairs"]

_DAY_US = 86_400_000_000


def _make_panel(
    *, ids: tuple[str, ...], names: tuple[str, ...], rows: NDArray[np.float64], cur: NDArray[np.int64],
    cur_time: NDArray[np.float64], cur_patient: NDArray[np.int64], n_obs: NDArray[np.int64],
    n_naive: int, n_same_day: int, multi: bool, recorded: NDArray[np.bool_], cur_slot: NDArray[np.int64] | None = None,
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
        no_pairs(n_naive, night, skipped, len(bad))
    return Panel(
        patient_ids=ids, variables=names, n_obs=frozen(n_obs), n_naive_pairs=n_naive,
        dropped={"night_or_gap": night, "skipped_prompt": skipped, "missing_value": len(bad)}, multi_prompt=multi,
        _recorded=frozen(recorded),
        _pairs=Pairs(
            frozen(rows[good]), frozen(rows[good - 1]), frozen(cur_time[ok]), frozen(cur_patient[ok]),
            None if cur_slot is None else frozen(cur_slot[ok]),
        ),
        _held=Pairs(
            rows[bad], rows[bad - 1], cur_time[~ok], cur_patient[~ok], None if cur_slot is None else cur_slot[~ok]
        ),
    )  # fmt: skip


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


def _repeats(codes: NDArray[np.int64], day: NDArray[np.int64]) -> bool:
    """Whether a patient has two rows on one day."""
    order = np.lexsort((day, codes))
    c, d = codes[order], day[order]
    return bool(((c[1:] == c[:-1]) & (d[1:] == d[:-1])).any())


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
    same_day: Sequence[str] = (),
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
    same_day : sequence of str
        Variables whose value on a day describes the night before it (sleep: ``core.checkin.
        LAST_NIGHT``).  Daily diaries only: the value of day t is filed under day t-1
        (:mod:`.timing`), so as a predictor it pairs with the outcome of day t, the same day.

    Returns
    -------
    Panel

    Raises
    ------
    CycleInputError
        A missing column, a non-numeric value, a missing id/day/time, two rows on one patient-day
        without prompt numbers, a repeated prompt, `same_day` with several prompts a day, no rows,
        or no valid pair at all.

    Examples
    --------
    >>> df = pd.DataFrame({"id": ["a"] * 4, "on": ["2026-01-01", "2026-01-02", "2026-01-04", "2026-01-05"],
    ...                    "pain": [3.0, 4.0, 5.0, 6.0]})
    >>> p = build_pairs(df, id_col="id", variables=["pain"], time_col="on")
    >>> p.x[:, 0].tolist(), p.y[:, 0].tolist(), p.dropped["night_or_gap"]
    ([3.0, 5.0], [4.0, 6.0], 1)
    """
    names = check_names(variables, "variables")
    shifted = check_same_day(same_day, names)
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
    has = ~np.isnan(values)
    recorded = np.stack([np.bincount(codes[has[:, j]], minlength=len(ids)) > 0 for j in range(len(names))], axis=1)
    if shifted:
        if beep is not None or _repeats(codes[obs], day[obs]):
            raise CycleInputError(
                "same_day needs a daily diary (one row per person and day); with several prompts a day a "
                "variable that is constant within each day is day-level and pairs with its own day's prompts"
            )
        codes, day, values = shift_frame_rows(codes[obs].astype(np.int64), day[obs], values[obs], shifted)
        clock = None
        obs = ~np.isnan(values).all(axis=1)
    within = beep if beep is not None else clock
    keep = np.flatnonzero(obs)
    keys = (day[keep],) if within is None else (within[keep], day[keep])
    order = keep[np.lexsort((*keys, codes[keep]))]
    pat, day, rows = codes[order].astype(np.int64), day[order], values[order]
    same_pat = pat[1:] == pat[:-1]
    one_day = same_pat & (day[1:] == day[:-1])
    origin = np.maximum.accumulate(np.where(np.r_[True, ~same_pat], np.arange(len(pat)), 0))
    row_time = (day - day[origin]).astype(np.float64)

    def on(i: int) -> str:
        when = f"day {day[i]}" if numbered else (dt.date(1970, 1, 1) + dt.timedelta(days=int(day[i]))).isoformat()
        return f"patient {ids[pat[i]]!r} has two rows on {when}"

    if within is not None and (beep is not None or one_day.any()):
        within = within[order]
        if (same_slot := one_day & (within[1:] == within[:-1])).any():
            raise CycleInputError(f"{on(int(np.argmax(same_slot)))} with the same {beep_col or time_col!r}")
        multi, n_same_day = True, int(one_day.sum())
        if beep is not None:
            adjacent = one_day & (within[1:] - within[:-1] == 1)
            row_time += (within - within[origin]) / float(beep.max() - beep.min() + 1)
            prompt = within - beep.min()
        else:
            adjacent = one_day  # without beep numbers a skipped prompt cannot be seen
            row_time = (within - within[origin]) / _DAY_US
            starts = np.flatnonzero(np.r_[True, ~one_day])  # the first row of each patient-day
            prompt = np.arange(len(pat)) - np.repeat(starts, np.diff(np.r_[starts, len(pat)]))
        slot = (day - day[origin]) * PROMPT_SLOTS + prompt
    else:
        if one_day.any():
            raise CycleInputError(
                f"{on(int(np.argmax(one_day)))} in {day_col or time_col!r}; for several prompts a day "
                "pass day_col and beep_col (--day-col/--beep-col)"
            )
        multi, adjacent = False, same_pat & (day[1:] - day[:-1] == 1)
        n_same_day = int(adjacent.sum())
    cur = np.flatnonzero(adjacent) + 1
    return _make_panel(
        ids=ids, names=names, rows=rows, cur=cur, cur_time=row_time[cur], cur_patient=pat[cur], n_obs=n_obs,
        n_naive=int(same_pat.sum()), n_same_day=n_same_day, multi=multi, recorded=recorded,
        cur_slot=None if not multi else slot[cur].astype(np.int64),
    )  # fmt: skip
