"""Arrow <-> NumPy through the buffers (result.arrow): the same values as pyarrow's own conversions."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from painmind.core.cycle.result.arrow import floats, from_numpy, numpy_of, strings


def test_numbers_nulls_booleans_and_strings_keep_their_values():
    values = np.array([1.5, np.nan, -2.0, np.inf])
    assert from_numpy(values, valid=np.isfinite(values)).to_pylist() == [1.5, None, -2.0, None]
    assert from_numpy(np.array([3, 4], dtype=np.int64)).to_pylist() == [3, 4]
    assert from_numpy(np.array([True, False, True])).to_pylist() == [True, False, True]
    assert strings(["p1", "é", ""]).to_pylist() == ["p1", "é", ""]


def test_slices_chunks_and_nulls_are_read_at_their_offsets():
    sliced = pa.chunked_array([pa.array([1.0, None, 3.0]), pa.array([4.0])]).slice(1)
    assert np.array_equal(floats(sliced), [np.nan, 3.0, 4.0], equal_nan=True)
    assert np.isnan(floats(pa.array([None, None], pa.float64()))).all()
    assert numpy_of(pa.array([5, 6, 7], pa.int64()).slice(1), np.int64).tolist() == [6, 7]
