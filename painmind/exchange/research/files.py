"""The research tables as files: Parquet (default) or CSV, side by side or in one zip."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Literal

import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

Format = Literal["parquet", "csv"]
FORMATS: tuple[Format, ...] = ("parquet", "csv")

README = """PainMind research export (de-identified). Columns: docs/exchange.md, "Research exports".

checkins  id, date, pain, mood, pain_interference, anxiety, stress, sleep_hours, sleep_quality,
          activity_minutes, social: one row per person and day (several check-ins a day: their
          mean); the input of `painmind analyze --data checkins.parquet --id-col id --time-col date`
scores    id, date, instrument, version, total, band, status: one row per questionnaire
medicines id, generic, classes (;-separated), reason, schedule, started_on, stopped_on
tools     id, date, then one column per self-care factor (tool use 0/1, lifestyle values)

id is a keyed pseudonym, the same in every export of this site; every date of a person is moved
by the same whole number of weeks (1 to 52, earlier or later), so intervals and weekdays hold
but calendar dates do not. No free text, names, emails, notes or tags are included.
"""


def table_bytes(table: pa.Table, fmt: Format) -> bytes:
    buffer = io.BytesIO()
    if fmt == "parquet":
        pq.write_table(table, buffer)
    else:
        pcsv.write_csv(table, buffer)
    return buffer.getvalue()


def sibling_paths(out: Path, names: list[str]) -> dict[str, Path]:
    """Where each table goes for ``--out FILE``: the check-ins in FILE itself (so it is what
    `painmind analyze --data FILE` reads), each other table beside it as FILE-stem.NAME.suffix."""
    return {name: out if i == 0 else out.with_name(f"{out.stem}.{name}{out.suffix}") for i, name in enumerate(names)}


def write_files(tables: dict[str, pa.Table], out: Path, fmt: Format) -> list[Path]:
    """Write every table (first: check-ins into `out`); returns the paths written."""
    paths = sibling_paths(out, list(tables))
    for name, table in tables.items():
        paths[name].write_bytes(table_bytes(table, fmt))
    return list(paths.values())


def zip_bytes(tables: dict[str, pa.Table], fmt: Format) -> bytes:
    """One zip: NAME.parquet (or .csv) per table and README.txt."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README)
        for name, table in tables.items():
            archive.writestr(f"{name}.{fmt}", table_bytes(table, fmt))
    return buffer.getvalue()
