"""Tidy tables of a `CycleResult`: one row per person × equation × predictor, and one per person.

Built column by column from the result's arrays (no per-person dicts), as Arrow tables that the
CLI writes as Parquet or CSV, or streams as JSON.  The columns are read generically from the
result objects by shape, so a field added to `PatientFits` (a per-person diagnostic, a
per-equation test) or a per-person array of the cohort result (``shrunk``) becomes a column
without changes here:

- shape (n, k, k), indexed ``[person, to, from]``: an edge column of the long table;
- shape (n, k): a per-equation column of the long table (repeated over the predictors);
- shape (n,): a per-person column of the summary table; those not in `SUMMARY_ONLY` (status,
  n_pairs, diagnostics) are repeated in the long table too.

Non-finite numbers are nulls, never NaN or inf.  Text columns (status, reason, message) and the
id / equation / predictor columns are dictionary-encoded.  Arrays are made from NumPy through the
buffers (`result.arrow`), without pandas and without copying the numbers.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields, is_dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from painmind.core.cycle.result.analysis import CycleResult
from painmind.core.cycle.result.arrow import from_numpy, numpy_of, strings

__all__ = ["SUMMARY_ONLY", "cohort_table", "long_batches", "long_table", "summary_table", "tidy_tables"]

# Per-person fields that stay in the summary table (the long table repeats the others).
SUMMARY_ONLY = frozenset({"message", "n_obs", "n_more", "df", "gain", "gain_se", "gain_ci_low", "gain_ci_high"})
_SKIP = frozenset({"patient_ids", "variables"})


def _arrays(result: CycleResult) -> Iterator[tuple[str, Any]]:
    """(name, value) of every per-person field: the fits' and the cohort's (prefixed on a clash)."""
    fits = result.fits
    for f in fields(fits):
        if f.name not in _SKIP and getattr(fits, f.name) is not None:
            yield f.name, getattr(fits, f.name)
    n = len(fits.patient_ids)
    cohort = result.cohort
    if cohort is not None and is_dataclass(cohort):
        taken = {f.name for f in fields(fits)}
        for f in fields(cohort):
            value = getattr(cohort, f.name)
            if isinstance(value, np.ndarray) and value.ndim >= 1 and value.shape[0] == n and n:
                yield (f"cohort_{f.name}" if f.name in taken else f.name), value


def _column(values: Any, repeat: int = 1) -> pa.Array:
    """`values` (1-D) as Arrow, each repeated `repeat` times: non-finite numbers null, text dictionary-encoded."""
    if isinstance(values, tuple | list) or np.asarray(values).dtype.kind in "US":
        text = values if isinstance(values, tuple | list) else np.asarray(values).tolist()
        if all(isinstance(v, str) for v in text):
            coded = pc.dictionary_encode(strings(text))  # hashed by Arrow: no sort of the strings
            if repeat == 1:
                return coded
            codes = numpy_of(coded.indices, np.int32)
            return pa.DictionaryArray.from_arrays(from_numpy(np.repeat(codes, repeat)), coded.dictionary)
    a = np.asarray(values)
    if a.dtype.kind == "O":  # not made by the engine today: pyarrow's conversion (None -> null)
        return pa.array(np.repeat(a, repeat)).dictionary_encode()
    if repeat > 1:
        a = np.repeat(a, repeat)
    if a.dtype.kind == "f":
        return from_numpy(a, valid=np.isfinite(a))
    return from_numpy(a)


def _split(result: CycleResult) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    n, k = len(result.fits.patient_ids), len(result.variables)
    edge, equation, person = {}, {}, {}
    for name, value in _arrays(result):
        shape = (len(value),) if isinstance(value, tuple | list) else np.shape(value)  # a tuple of texts: (n,)
        if shape == (n, k, k):
            edge[name] = value
        elif shape == (n, k):
            equation[name] = value
        elif shape == (n,):
            person[name] = value
    return edge, equation, person


def _ids(result: CycleResult) -> pa.Array:
    return strings(result.fits.patient_ids)


def long_table(result: CycleResult) -> pa.Table:
    """One row per person × equation (``equation``: the outcome at t) × predictor (at t-1).

    Rows run over people (in ``fits.patient_ids`` order), then equations, then predictors (both in
    ``variables`` order); every person has k*k rows, with null estimates unless ``status`` is ok.
    """
    return next(long_batches(result, max(len(result.fits.patient_ids), 1)))


def long_batches(result: CycleResult, people: int = 8_192) -> Iterator[pa.Table]:
    """`long_table(result)` in parts of `people` people each (the same schema; ids as a dictionary of
    the part's people), so a writer can write one part while the next is built."""
    n, k = len(result.fits.patient_ids), len(result.variables)
    edge, equation, person = _split(result)
    names = strings(result.variables)
    ids = _ids(result)
    for lo in range(0, max(n, 1), people):
        hi = min(lo + people, n)
        m = hi - lo
        columns: dict[str, pa.Array] = {
            "id": pa.DictionaryArray.from_arrays(
                from_numpy(np.repeat(np.arange(m, dtype=np.int32), k * k)), ids.slice(lo, m)
            ),
            "equation": pa.DictionaryArray.from_arrays(
                from_numpy(np.tile(np.repeat(np.arange(k, dtype=np.int32), k), m)), names
            ),
            "predictor": pa.DictionaryArray.from_arrays(
                from_numpy(np.tile(np.arange(k, dtype=np.int32), m * k)), names
            ),
        }
        for name, value in edge.items():
            columns[name] = _column(np.asarray(value)[lo:hi].reshape(-1))
        for name, value in equation.items():
            columns[name] = _column(np.repeat(np.asarray(value)[lo:hi], k, axis=1).reshape(-1))
        for name, value in person.items():
            if name not in SUMMARY_ONLY:
                columns[name] = _column(value[lo:hi], repeat=k * k)
        yield pa.table(columns)


def summary_table(result: CycleResult) -> pa.Table:
    """One row per person: id, status, message, n_obs, n_pairs, n_more, df, the cycle gain, diagnostics."""
    _, _, person = _split(result)
    return pa.table({"id": _ids(result), **{name: _column(value) for name, value in person.items()}})


def tidy_tables(result: CycleResult) -> tuple[pa.Table, pa.Table]:
    """``(long_table(result), summary_table(result))``."""
    return long_table(result), summary_table(result)


def cohort_table(result: CycleResult) -> pa.Table | None:
    """One row per cohort edge (equation × predictor) with every (k, k) array of the cohort result."""
    cohort, k = result.cohort, len(result.variables)
    if cohort is None or not is_dataclass(cohort):
        return None
    names = strings(result.variables)
    columns: dict[str, pa.Array] = {
        "equation": pa.DictionaryArray.from_arrays(from_numpy(np.repeat(np.arange(k, dtype=np.int32), k)), names),
        "predictor": pa.DictionaryArray.from_arrays(from_numpy(np.tile(np.arange(k, dtype=np.int32), k)), names),
    }
    for f in fields(cohort):
        value = getattr(cohort, f.name)
        if isinstance(value, np.ndarray) and value.shape == (k, k):
            columns[f.name] = _column(value.reshape(-1))
    return pa.table(columns)
