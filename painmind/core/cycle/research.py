"""The research path: `analyze` on Arrow tables and Parquet files, with the daily-diary fast path.

- `analyze_table`: a table already in memory (the CLI's CSV or Parquet).  A plain daily diary
  goes straight to the kernel as a grid (`core.cycle.daily`); anything else, and any option the
  fast path does not know, goes through `analyze` on a pandas frame.  Both give the same numbers
  (tested).  pandas (1 s to import) is imported only by that general path.
- `analyze_parquet`: Parquet files (a file, a directory or a glob).  With ``engine="dask"`` each
  worker reads its own files and fits their people, so the driver never holds the data; every
  person must be in one file.  Results equal the local engine's (tested).
"""

from __future__ import annotations

import glob
from collections.abc import Sequence
from dataclasses import fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from painmind.core.checkin import LAST_NIGHT
from painmind.core.cycle.cohort import pool_fits
from painmind.core.cycle.daily import daily_grid
from painmind.core.cycle.kernel import PatientFits, concat_fits, fit_patients
from painmind.core.cycle.lags import DEFAULT_VARIABLES, CycleInputError, pairs_from_dense
from painmind.core.cycle.result import CycleResult

if TYPE_CHECKING:
    from painmind.core.cycle.engine import Progress

__all__ = ["analyze_parquet", "analyze_table", "check_ids", "parquet_files", "read_file"]

# Options of `analyze` that leave a daily diary's pairs as the grid makes them (at their defaults
# for the others: day_format only reads day_col, day_boundary only timestamps with a time of day).
_GRID_NEUTRAL = {"day_format", "day_boundary", "group_patients", "same_day"}


def check_ids(table: pa.Table, id_col: str) -> None:
    """CycleInputError naming the first row whose id is missing or blank."""
    if id_col not in table.column_names:
        return  # analyze names the missing column
    col = table.column(id_col)
    values = col.unify_dictionaries().combine_chunks().dictionary if pa.types.is_dictionary(col.type) else col
    text = pa.types.is_string(values.type) or pa.types.is_large_string(values.type)
    blank = text and len(values) > 0 and pc.min(pc.utf8_length(pc.utf8_trim_whitespace(values))).as_py() == 0
    if col.null_count == 0 and not blank:
        return  # checked without a Python value (pyarrow would import pandas to convert one)
    col = plain(col)
    bad = pc.is_null(col)
    if text:
        bad = pc.or_kleene(bad, pc.equal(pc.utf8_trim_whitespace(col), ""))
    row = int(np.flatnonzero(np.asarray(bad.to_numpy(zero_copy_only=False), dtype=bool))[0])
    raise CycleInputError(f"id column {id_col!r} has a missing or blank value (row {row})")


def plain(col: pa.ChunkedArray) -> pa.ChunkedArray:
    """A dictionary-encoded column (ids read from Parquet as one) as its values."""
    return col.cast(col.type.value_type) if pa.types.is_dictionary(col.type) else col


def _to_pandas(table: pa.Table) -> Any:
    """`table` as pandas for `analyze` (ids as plain values, not categories)."""
    return pa.table([plain(c) for c in table.columns], names=table.column_names).to_pandas()


def _fast_fits(
    table: pa.Table, *, id_col: str, variables: Sequence[str], time_col: str | None, trend: bool, min_pairs: int,
    options: dict[str, Any], n_threads: int | None = None,
) -> PatientFits | None:  # fmt: skip
    """The fits through the daily grid, or None when `analyze` must do it."""
    same_day = options.get("same_day")
    if same_day is None:  # analyze's default for a daily diary: the check-in's last-night fields
        same_day = [v for v in variables if v in LAST_NIGHT]
    if time_col is None or any(options.get(k) for k in options if k not in _GRID_NEUTRAL):
        return None  # several prompts a day, "what helps", or an option added later: the general path
    if isinstance(same_day, str) or any(v not in variables for v in same_day):
        return None  # analyze names the mistake
    grid = daily_grid(table, id_col=id_col, time_col=time_col, variables=variables)
    if grid is None:
        return None
    panel = pairs_from_dense(
        grid.values, patient_ids=grid.patient_ids, variables=tuple(variables), same_day=tuple(same_day)
    )
    return fit_patients(panel, trend=trend, min_pairs=min_pairs, n_threads=n_threads)


def analyze_table(
    table: pa.Table,
    *,
    id_col: str,
    variables: Sequence[str] = DEFAULT_VARIABLES,
    time_col: str | None = None,
    trend: bool = False,
    min_pairs: int = 20,
    cohort: bool = True,
    engine: Literal["local", "dask"] = "local",
    scheduler: str | None = None,
    progress: Progress | None = None,
    **options: Any,
) -> CycleResult:
    """`analyze` on an Arrow table; the same arguments, the same result."""
    check_ids(table, id_col)
    fits = None
    if engine == "local":
        fits = _fast_fits(
            table, id_col=id_col, variables=variables, time_col=time_col, trend=trend, min_pairs=min_pairs,
            options=options,
        )  # fmt: skip
    if fits is None:
        from painmind.core.cycle.engine import analyze

        return analyze(
            _to_pandas(table), id_col=id_col, variables=variables, time_col=time_col, trend=trend,
            min_pairs=min_pairs, cohort=cohort, engine=engine, scheduler=scheduler, progress=progress, **options,
        )  # fmt: skip
    if progress is not None:
        progress(len(fits.patient_ids), len(fits.patient_ids))
    return _result(fits, cohort)


def _result(fits: PatientFits, cohort: bool) -> CycleResult:
    if not fits.ok.any() and len(fits.patient_ids) and int(fits.n_pairs.sum()) == 0:
        raise CycleInputError("no valid lag pairs: check the time, day and prompt columns")
    pooled = pool_fits(fits) if cohort else None  # bias-corrected per person first (cohort/bias.py)
    return CycleResult(variables=fits.variables, fits=fits, cohort=pooled, helps=None)


def parquet_files(source: str | Path) -> list[str]:
    """The Parquet files of `source`: one file, a directory (searched recursively) or a glob."""
    text = str(source)
    path = Path(text)
    if path.is_dir():
        files = sorted(str(p) for p in path.rglob("*.parquet"))
    elif any(ch in text for ch in "*?["):
        files = sorted(glob.glob(text, recursive=True))
    elif path.is_file():
        files = [text]
    else:
        raise CycleInputError(f"no such file or directory: {text}")
    if not files:
        raise CycleInputError(f"no Parquet files in {text}")
    return files


def read_file(path: str, columns: Sequence[str], id_col: str | None = None) -> pa.Table:
    """`columns` of one Parquet file, a text `id_col` as a dictionary (as Parquet stores it: no
    million strings to decode and hash again).  `pq.ParquetFile`, not `pq.read_table`: that goes
    through pyarrow.dataset, whose import imports pandas (1 s)."""
    with pq.ParquetFile(path) as handle:
        schema = handle.schema_arrow
        text = id_col in schema.names and (
            pa.types.is_string(schema.field(id_col).type) or pa.types.is_large_string(schema.field(id_col).type)
        )
    with pq.ParquetFile(path, read_dictionary=[id_col] if text else None) as handle:
        return handle.read(columns=list(columns))


def read_columns(files: Sequence[str], wanted: Sequence[str]) -> list[str]:
    """The columns of `wanted` that the first file has (analyze names any that are missing)."""
    names = set(pq.read_schema(files[0]).names)
    return [c for c in dict.fromkeys(wanted) if c in names]


def _fit_file(path: str, columns: list[str], kwargs: dict[str, Any]) -> PatientFits:
    """One Dask task: read one file on the worker and fit its people (one thread: workers are the parallelism)."""
    try:
        table = read_file(path, columns, kwargs["id_col"])
        check_ids(table, kwargs["id_col"])
        core = {k: kwargs[k] for k in ("id_col", "variables", "time_col", "trend", "min_pairs")}
        options = {k: v for k, v in kwargs.items() if k not in core}
        fits = _fast_fits(table, **core, options=options, n_threads=1)
        if fits is None:
            from painmind.core.cycle.engine import analyze

            fits = analyze(_to_pandas(table), **kwargs, cohort=False, engine="local").fits
    except CycleInputError as exc:
        raise CycleInputError(f"{path}: {exc}") from None
    return fits


def analyze_parquet(
    source: str | Path,
    *,
    id_col: str,
    variables: Sequence[str] = DEFAULT_VARIABLES,
    time_col: str | None = None,
    trend: bool = False,
    min_pairs: int = 20,
    cohort: bool = True,
    engine: Literal["local", "dask"] = "local",
    scheduler: str | None = None,
    progress: Progress | None = None,
    **options: Any,
) -> CycleResult:
    """`analyze` on Parquet files; with ``engine="dask"`` the workers read them (one task per file).

    Every person must be in one file (CycleInputError otherwise); people come out sorted by id,
    as from the local engine.
    """
    files = parquet_files(source)
    wanted = [c for c in (id_col, time_col, options.get("day_col"), options.get("beep_col"), *variables) if c]
    columns = read_columns(files, wanted)
    kwargs = {"id_col": id_col, "variables": tuple(variables), "time_col": time_col, "trend": trend,
              "min_pairs": min_pairs, **options}  # fmt: skip
    if engine == "local":
        table = pa.concat_tables([read_file(f, columns, id_col) for f in files])
        return analyze_table(table, cohort=cohort, progress=progress, **kwargs)
    if engine != "dask":
        raise CycleInputError(f"engine must be 'local' or 'dask', not {engine!r}")
    parts = _run_files(files, columns, kwargs, scheduler=scheduler, progress=progress)
    try:
        fits = concat_fits(parts)
    except CycleInputError:
        raise CycleInputError("a person's rows are in more than one file: keep each person in one file") from None
    return _result(sort_fits(fits), cohort)


def sort_fits(fits: PatientFits) -> PatientFits:
    """`fits` with the people sorted by id (as the local engine orders them)."""
    order = np.argsort(np.array(fits.patient_ids, dtype=object), kind="stable")
    if np.array_equal(order, np.arange(len(order))):
        return fits
    changed: dict[str, Any] = {
        "patient_ids": tuple(fits.patient_ids[i] for i in order),
        "message": tuple(fits.message[i] for i in order),
    }
    for f in fields(PatientFits):
        value = getattr(fits, f.name)
        if f.name not in changed and isinstance(value, np.ndarray):
            changed[f.name] = value[order]
            changed[f.name].flags.writeable = False
    return replace(fits, **changed)


def _run_files(
    files: list[str], columns: list[str], kwargs: dict[str, Any], *, scheduler: str | None,
    progress: Progress | None,
) -> list[PatientFits]:  # fmt: skip
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
        )
    client = Client(cluster if cluster is not None else scheduler)
    try:
        futures = [client.submit(_fit_file, f, columns, kwargs, pure=False) for f in files]
        index = {f.key: i for i, f in enumerate(futures)}
        results: list[Any] = [None] * len(futures)
        for future in as_completed(futures):
            results[index[future.key]] = future.result()
        if progress is not None:  # the people per file are known only once read
            done = sum(len(r.patient_ids) for r in results)
            progress(done, done)
        return results
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
