"""Arrow ↔ NumPy through the buffers, without pandas.

pyarrow imports pandas (about 1 s) the first time it converts between Arrow and NumPy or Python
(`pa.array`, `to_numpy`, `pa.scalar`: its pandas shim, and the C++ converter's static data).
The research CLI's Parquet → Parquet path needs neither, so its conversions go through the
buffers here: fixed-width values (ints, floats, dates, timestamps) without a copy where Arrow's
layout allows, validity bitmaps packed and unpacked with NumPy, strings from offsets and bytes.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

__all__ = ["floats", "from_numpy", "numpy_of", "strings"]


def _valid(a: pa.Array) -> NDArray[np.bool_] | None:
    """The validity of `a`'s values (None: no nulls)."""
    if a.null_count == 0:
        return None
    bitmap = a.buffers()[0]
    if bitmap is None:  # the null type: every value is null
        return np.zeros(len(a), dtype=bool)
    bits = np.unpackbits(np.frombuffer(bitmap, np.uint8), count=a.offset + len(a), bitorder="little")
    return bits[a.offset :].astype(bool)


def numpy_of(col: pa.Array | pa.ChunkedArray, dtype: type[np.generic] | np.dtype[np.generic]) -> NDArray[np.generic]:
    """The values of a fixed-width array (no nulls) as `dtype`, the physical type (date32: int32 days…)."""
    dt = np.dtype(dtype)
    if isinstance(col, pa.ChunkedArray):
        if col.num_chunks == 1:
            return numpy_of(col.chunk(0), dt)
        if col.num_chunks == 0:
            return np.empty(0, dt)
        return np.concatenate([numpy_of(c, dt) for c in col.chunks])
    if col.null_count:
        raise ValueError("numpy_of: the array has nulls")
    data = col.buffers()[1]
    if data is None or len(col) == 0:
        return np.empty(0, dt)
    return np.frombuffer(data, dt, count=col.offset + len(col))[col.offset :]


def floats(col: pa.Array | pa.ChunkedArray) -> NDArray[np.float64]:
    """A float64 array (nulls allowed) as NumPy, nulls as NaN (read-only when it shares Arrow's memory)."""
    chunks = col.chunks if isinstance(col, pa.ChunkedArray) else [col]
    parts = []
    for c in chunks:
        valid = _valid(c)
        if valid is not None and not valid.any():
            parts.append(np.full(len(c), np.nan))
            continue
        values = np.frombuffer(c.buffers()[1], np.float64, count=c.offset + len(c))[c.offset :]
        if valid is not None:
            values = np.where(valid, values, np.nan)
        parts.append(values)
    return np.concatenate(parts) if len(parts) != 1 else parts[0]


def from_numpy(values: NDArray[np.generic], valid: NDArray[np.bool_] | None = None) -> pa.Array:
    """A 1-D NumPy array of numbers or booleans as Arrow (`valid` False: null), sharing the memory."""
    a = np.ascontiguousarray(values)
    n = len(a)
    bitmap = None
    nulls = 0
    if valid is not None and not valid.all():
        bitmap = pa.py_buffer(np.packbits(valid, bitorder="little"))
        nulls = int(n - np.count_nonzero(valid))
    if a.dtype == np.bool_:
        return pa.Array.from_buffers(pa.bool_(), n, [bitmap, pa.py_buffer(np.packbits(a, bitorder="little"))], nulls)
    return pa.Array.from_buffers(pa.from_numpy_dtype(a.dtype), n, [bitmap, pa.py_buffer(a)], nulls)


def strings(values: Sequence[str]) -> pa.Array:
    """Python strings as an Arrow string array."""
    encoded = [v.encode("utf-8") for v in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    kind = pa.string() if offsets[-1] < 2**31 else pa.large_string()
    offsets = offsets.astype(np.int32) if kind == pa.string() else offsets
    return pa.Array.from_buffers(kind, len(encoded), [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))])
