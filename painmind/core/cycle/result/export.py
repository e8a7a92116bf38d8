"""Writing the tidy tables: Parquet, CSV, or JSON streamed with orjson (never one indented document).

Every writer writes to a temporary file beside the target and renames it at the end, so a failed
run leaves no partial file behind.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Literal

import orjson
import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from painmind.core.cycle.result.analysis import CycleResult, SupportsToJson
from painmind.core.cycle.result.errors import CycleInputError

__all__ = ["FORMATS", "format_of", "stream_json", "write_json", "write_parquet", "write_table"]

Format = Literal["parquet", "csv", "json"]
FORMATS: dict[str, Format] = {".parquet": "parquet", ".pq": "parquet", ".csv": "csv", ".json": "json"}
# People per JSON chunk: a few MB of text at a time.
JSON_CHUNK = 2_048


def format_of(path: Path, arg: str) -> Format:
    """The format that `path`'s suffix names; CycleInputError naming `arg` for any other suffix."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(FORMATS)
        raise CycleInputError(f"{arg}: unknown format {path.suffix or '(no suffix)'!r} of {path}: use one of {known}")
    return fmt


@contextmanager
def _atomic_path(path: Path) -> Iterator[str]:
    """A temporary file's name beside `path`, renamed to `path` when the block ends without error."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # as open() would make it, not mkstemp's 0600
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


@contextmanager
def _atomic(path: Path) -> Iterator[IO[bytes]]:
    with _atomic_path(path) as tmp, open(tmp, "wb") as handle:
        yield handle


def _dense(table: pa.Table) -> pa.Table:
    """Dictionary columns as plain strings (CSV and JSON have no dictionaries)."""
    cols = [c.cast(c.type.value_type) if pa.types.is_dictionary(c.type) else c for c in table.columns]
    return pa.table(cols, names=table.column_names)


def _parquet_options(schema: pa.Schema) -> dict[str, Any]:
    """Snappy, dictionaries only for the dictionary columns (ids, names, statuses), no statistics:
    the fastest writer at 100k people of those measured (docs/cycle.md, "Speed")."""
    dictionary = [f.name for f in schema if pa.types.is_dictionary(f.type)]
    return {"compression": "snappy", "use_dictionary": dictionary, "write_statistics": False}


def write_parquet(parts: Iterable[pa.Table], path: Path) -> None:
    """Tables of one schema as one Parquet file (a row group or more each), atomically; each part is
    written on a second thread while the caller's generator builds the next."""
    chunks = iter(parts)
    first = next(chunks)
    with (
        _atomic_path(path) as tmp,  # a file name: Arrow writes it natively, without the GIL
        pq.ParquetWriter(tmp, first.schema, **_parquet_options(first.schema)) as writer,
        ThreadPoolExecutor(1) as pool,
    ):
        pending = pool.submit(writer.write_table, first)
        for part in chunks:
            pending.result()
            pending = pool.submit(writer.write_table, part)
        pending.result()


def write_table(table: pa.Table, path: Path, fmt: Format) -> None:
    """`table` as Parquet (snappy; dictionaries for the id and name columns) or CSV, at `path`."""
    if fmt == "parquet":
        write_parquet([table], path)
        return
    with _atomic(path) as handle:
        if fmt == "csv":
            pcsv.write_csv(_dense(table), handle)
        else:
            for chunk in _records(table):
                handle.write(chunk)


def _records(table: pa.Table) -> Iterator[bytes]:
    """`table` as one JSON array of row objects, in chunks."""
    yield b"["
    dense = _dense(table)
    for start in range(0, max(table.num_rows, 1), 50_000):
        rows = dense.slice(start, 50_000).to_pylist()
        if rows:
            text = b",".join(orjson.dumps(row) for row in rows)
            yield (b"," if start else b"") + text
    yield b"]\n"


def stream_json(result: CycleResult, long: pa.Table, summary: pa.Table) -> Iterator[bytes]:
    """``{"variables", "patients", "cohort"}`` in chunks: each patient is its summary row plus
    ``"edges"``, its long-table rows (without the id and the repeated per-person columns), and
    ``cohort`` is the cohort result's JSON or null."""
    k2 = len(result.variables) ** 2
    per_person = set(summary.column_names)
    edge_cols = [c for c in long.column_names if c not in per_person or c in ("equation", "predictor")]
    long_dense, summary_dense = _dense(long.select(edge_cols)), _dense(summary)
    yield b'{"variables":' + orjson.dumps(list(result.variables)) + b',"patients":['
    n = summary.num_rows
    for start in range(0, n, JSON_CHUNK):
        people = summary_dense.slice(start, JSON_CHUNK).to_pylist()
        cols = long_dense.slice(start * k2, len(people) * k2).to_pydict()
        rows = [dict(zip(cols, values, strict=True)) for values in zip(*cols.values(), strict=True)]
        parts = [orjson.dumps({**p, "edges": rows[i * k2 : (i + 1) * k2]}) for i, p in enumerate(people)]
        yield (b"," if start else b"") + b",".join(parts)
    cohort = result.cohort.to_json() if isinstance(result.cohort, SupportsToJson) else None
    yield b'],"cohort":' + orjson.dumps(cohort) + b"}\n"


def write_json(result: CycleResult, long: pa.Table, summary: pa.Table, out: Path) -> None:
    """`stream_json` to a file, atomically."""
    with _atomic(out) as handle:
        for chunk in stream_json(result, long, summary):
            handle.write(chunk)
