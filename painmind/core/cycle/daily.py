"""`daily_grid`: a daily diary in an Arrow table as a (people × days × variables) grid, quickly.

The research CLI reads Parquet into Arrow; turning 9 million rows into a pandas frame, sorting
string ids and building lag pairs row by row (`build_pairs`) took ten times the kernel.  For the
common case, a plain daily diary (a date column, at most one row per person and day), the
grid that `pairs_from_dense` reads gives the same pairs: slot j of a person is their first day
+ j, so day d pairs with day d + 1 only, and an empty slot breaks a pair (docs/cycle.md, "Lag
pairs").  Anything else (timestamps with a time of day, several rows on a day, text in a value
column, a missing id or date, inf, a very sparse calendar) returns None, and the caller uses
`build_pairs`, which handles it or names the problem.  Arrow becomes NumPy through the buffers
(`result.arrow`): pyarrow's own conversions import pandas.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from painmind.core.cycle.result.arrow import floats, numpy_of

__all__ = ["DailyGrid", "daily_grid"]

_DAY_US = 86_400_000_000
# A grid larger than this many slots per observed row is mostly empty: build_pairs is cheaper.
MAX_FILL = 4
_BLOCK = 65_536  # rows stacked at a time by _fill (k * 0.5 MB)
_THREADED_FROM = 1 << 20  # grid values from which _fill runs on two threads


class DailyGrid(NamedTuple):
    """Sorted ids (as `build_pairs` sorts them: as strings) and their (n, T, k) grid, NaN = missing."""

    patient_ids: tuple[str, ...]
    values: NDArray[np.float64]


def _ids(col: pa.ChunkedArray) -> tuple[NDArray[np.int64], tuple[str, ...]] | None:
    """Per-row index into the ids sorted as strings, or None when the column is not plain ids.

    The rows are dictionary-encoded as they are (integers or text); only the distinct ids are
    turned into strings and sorted (str(7) == "7": the same as build_pairs' astype(str)).
    """
    value_type = col.type.value_type if pa.types.is_dictionary(col.type) else col.type
    if not (pa.types.is_integer(value_type) or pa.types.is_string(value_type) or pa.types.is_large_string(value_type)):
        return None
    if col.null_count:
        return None
    if pa.types.is_dictionary(col.type):  # read as one from Parquet: its dictionary may repeat or miss values
        encoded = col.unify_dictionaries().combine_chunks()
        used = np.bincount(numpy_of(pc.cast(encoded.indices, pa.int64()), np.int64), minlength=len(encoded.dictionary))
        if not used.all() or pc.count_distinct(encoded.dictionary).as_py() != len(encoded.dictionary):
            encoded = pc.dictionary_encode(col.cast(value_type)).combine_chunks()
    else:
        encoded = pc.dictionary_encode(col).combine_chunks()
    names = pc.cast(encoded.dictionary, pa.string())
    order = numpy_of(pc.array_sort_indices(names), np.uint64).astype(np.int64)  # UTF-8 byte order = str order
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    codes = rank[numpy_of(pc.cast(encoded.indices, pa.int64()), np.int64)]
    listed = names.to_pylist()
    return codes, tuple(listed[i] for i in order)


def _days(col: pa.ChunkedArray) -> NDArray[np.int64] | None:
    """Whole days since 1970 of a date or midnight-timestamp column; None for anything else."""
    if col.null_count:
        return None
    if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
        try:  # "2026-01-05" only; anything else (times, other formats) is build_pairs' to read
            col = pc.cast(col, pa.date32())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            return None
    if pa.types.is_date32(col.type):
        return numpy_of(col, np.int32).astype(np.int64)
    if pa.types.is_timestamp(col.type) and col.type.tz is None:
        micros = numpy_of(pc.cast(col, pa.timestamp("us")), np.int64).astype(np.int64, copy=False)
        days, rest = np.divmod(micros, _DAY_US)
        if np.any(rest):  # a time of day: timestamps, whose days start at day_boundary
            return None
        return days
    return None


def _columns(table: pa.Table, variables: Sequence[str]) -> list[NDArray[np.float64]] | None:
    cols = []
    for name in variables:
        col = table.column(name)
        if not (pa.types.is_integer(col.type) or pa.types.is_floating(col.type) or pa.types.is_null(col.type)):
            return None
        values = floats(pc.cast(col, pa.float64()))  # null -> NaN
        if np.isinf(values).any():
            return None  # build_pairs names the column
        cols.append(values)
    return cols


def daily_grid(table: pa.Table, *, id_col: str, time_col: str, variables: Sequence[str]) -> DailyGrid | None:
    """The grid of a daily diary in `table`, or None when `build_pairs` must handle it.

    Equal to what `build_pairs(..., time_col=time_col)` pairs: people sorted by id as strings
    (without rows left out), their observed days (a row with any value) placed from their first
    one, and rows with no value at all ignored (tested against `build_pairs`).
    """
    if table.num_rows == 0 or any(c not in table.column_names for c in (id_col, time_col, *variables)):
        return None
    ids = _ids(table.column(id_col))
    day = _days(table.column(time_col))
    cols = _columns(table, variables)
    if ids is None or day is None or cols is None:
        return None
    codes, names = ids
    n, k = len(names), len(cols)
    empty = np.isnan(cols[0])
    for values in cols[1:]:
        empty &= np.isnan(values)
    seen = None if not empty.any() else ~empty  # a row with no value is no observation
    codes_seen, day_seen = (codes, day) if seen is None else (codes[seen], day[seen])
    runs = _runs(codes_seen, day_seen, n)
    if runs is None:
        first, last = _first_last(codes_seen, day_seen, n)
    else:
        first, last = runs
    span = np.where(last >= first, last - first + 1, 1)
    width = int(span.max()) if n else 1
    if n * width > MAX_FILL * len(day_seen) + 1_000:
        return None
    cell = codes_seen * width + (day_seen - first[codes_seen])
    if runs is None and len(cell) and np.bincount(cell, minlength=n * width).max() > 1:
        return None  # two rows on one day: build_pairs says where (or reads them as prompts)
    return DailyGrid(names, _fill(n * width, cell, cols, seen).reshape(n, width, k))


def _runs(
    codes: NDArray[np.int64], day: NDArray[np.int64], n: int
) -> tuple[NDArray[np.int64], NDArray[np.int64]] | None:
    """(first, last) day per person when each person's rows are together with their days rising
    (strictly: one row a day), as a diary file usually is; None otherwise."""
    if len(codes) == 0:
        return None
    start = np.flatnonzero(codes[1:] != codes[:-1]) + 1
    if len(start) + 1 != n:
        return None  # a person in several runs (or rows left out)
    rising = day[1:] > day[:-1]
    rising[start - 1] = True  # a new person may start on any day
    if not rising.all():
        return None
    start = np.concatenate([[0], start])
    end = np.append(start[1:], len(codes)) - 1
    first = np.empty(n, dtype=np.int64)
    last = np.empty(n, dtype=np.int64)
    first[codes[start]] = day[start]
    last[codes[start]] = day[end]
    return first, last


def _first_last(
    codes: NDArray[np.int64], day: NDArray[np.int64], n: int
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """(first, last) day per person, rows in any order (a person with no rows: first > last)."""
    first = np.full(n, np.iinfo(np.int64).max)
    last = np.full(n, np.iinfo(np.int64).min)
    np.minimum.at(first, codes, day)
    np.maximum.at(last, codes, day)
    return first, last


def _fill(
    slots: int, cell: NDArray[np.int64], cols: list[NDArray[np.float64]], seen: NDArray[np.bool_] | None
) -> NDArray[np.float64]:
    """The (slots, k) grid: row `cell[i]` holds observation i's values, the other rows NaN.

    Written row block by row block (a few MB of values stacked at a time, then one scatter of
    whole rows) instead of k strided scatters of one column each; NaN goes only where no row
    lands (np.empty, not np.full: the 400 MB grid of 100k people is touched once, not twice).
    Two halves (the NaN of one half of the slots, the rows of one half of the observations) on
    two threads: they write disjoint rows, and numpy's indexed copies release the GIL.
    """
    k = len(cols)
    grid = np.empty((slots, k))
    hole = np.ones(slots, dtype=bool)
    hole[cell] = False
    rows = np.flatnonzero(seen) if seen is not None else None

    def half(part: int) -> None:
        a, b = slots * part // 2, slots * (part + 1) // 2
        view = grid[a:b]
        view[hole[a:b]] = np.nan
        first, end = len(cell) * part // 2, len(cell) * (part + 1) // 2
        for lo in range(first, end, _BLOCK):
            hi = min(lo + _BLOCK, end)
            take = slice(lo, hi) if rows is None else rows[lo:hi]
            grid[cell[lo:hi]] = np.stack([values[take] for values in cols], axis=1)

    if slots * k < _THREADED_FROM:
        half(0)
        half(1)
    else:
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(half, (0, 1)))
    return grid
