"""Another tracker's CSV rows → validated check-ins, each with the key that makes re-imports no-ops."""

from __future__ import annotations

import csv
import io
import json
import math
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo

from painmind.core.checkin import SCALE_BY_NAME, CheckInError, check_recorded_at, clean_checkin
from painmind.core.checkin_import.mapping import LIST_FIELDS, FieldMap, Mapping

# The namespace of imported rows' client ids (uuid5): fixed forever, so the same row imported
# again (next week, from the web or the CLI) has the same key and diary's unique (patient,
# client_id) index keeps it once. Changing it would make every past import importable twice.
IMPORT_NAMESPACE = uuid.UUID("6f1d3c1e-5b0a-4c47-9a55-2f4f1f0d7a15")
# Whole numbers after a rescale are compared with this slack: 3 on 1–5 → 5.000000000000001.
WHOLE_TOLERANCE = 1e-9


class ImportFileError(ValueError):
    """The file as a whole cannot be read (encoding, no header, a mapped column absent, no rows)."""


@dataclass(frozen=True)
class Entry:
    line: int  # the CSV line the row ends on (the header is line 1)
    recorded_at: datetime  # aware, UTC
    content: dict[str, object]  # clean_checkin's normalised fields
    client_id: uuid.UUID


@dataclass
class Plan:
    """What an import would store (`entries`) and every bad row with its reasons (`errors`:
    line → field → reasons). A plan with any error stores nothing."""

    entries: list[Entry] = field(default_factory=list)
    errors: dict[int, dict[str, list[str]]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.entries)


def read_csv(data: bytes, mapping: Mapping) -> list[tuple[int, dict[str, str]]]:
    """The file's rows as (line, {column: cell}); ImportFileError if it cannot be read as a
    UTF-8 CSV with a header holding every column the mapping names."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"file: not UTF-8 text (byte {exc.start})") from None
    # strict: an unclosed quote or a stray one is a malformed file, not a cell that runs to the end.
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        header = reader.fieldnames
        if not header:
            raise ImportFileError("file: empty (no header row)")
        absent = [c for c in mapping.columns if c not in header]
        if absent:
            raise ImportFileError(f"file: no column {absent[0]!r} (the mapping {mapping.name!r} needs it)")
        rows = []
        for row in reader:
            rows.append((reader.line_num, {k: (v or "") for k, v in row.items() if isinstance(k, str)}))
    except csv.Error as exc:
        # The reader does not count the lines of a record it could not finish: the record began
        # on the line after the last good one.
        raise ImportFileError(f"file: line {(rows[-1][0] if rows else 1) + 1}: {exc}") from None
    if not rows:
        raise ImportFileError("file: no rows under the header")
    return rows


def plan_import(data: bytes, mapping: Mapping, *, patient_tz: tzinfo, now: datetime) -> Plan:
    """Read and convert a whole file; every row is checked (all bad rows reported, none stored)."""
    rows = read_csv(data, mapping)
    tz = patient_tz if mapping.time_zone == "patient" else ZoneInfo(mapping.time_zone)
    plan = Plan()
    for line, row in rows:
        errors: dict[str, list[str]] = {}
        at = _when(row.get(mapping.time_column, "").strip(), mapping, tz, errors)
        raw: dict[str, object] = {}
        for f in mapping.fields:
            cell = row.get(f.column, "").strip()
            if cell in mapping.missing:
                continue
            value = _value(f, cell, errors)
            if value is not None:
                raw[f.name] = value
        try:
            content = clean_checkin(raw)
        except CheckInError as exc:
            for name, reasons in exc.errors.items():
                errors.setdefault(name, reasons)
            content = {}
        if at is not None:
            try:
                check_recorded_at(at, now)
            except CheckInError as exc:
                errors.update(exc.errors)
        if errors or at is None:  # at is None only with an error on the time column
            plan.errors[line] = errors
            continue
        utc = at.astimezone(UTC)
        plan.entries.append(Entry(line, utc, content, client_key(utc, content)))
    return plan


def client_key(recorded_at: datetime, content: dict[str, object]) -> uuid.UUID:
    """uuid5 of the row's content (its instant in UTC and the normalised fields): the same
    check-in, from whatever file or mapping, has the same key."""
    canonical = json.dumps(
        {"recorded_at": recorded_at.astimezone(UTC).isoformat(), **content}, sort_keys=True, separators=(",", ":")
    )
    return uuid.uuid5(IMPORT_NAMESPACE, canonical)


def _when(cell: str, mapping: Mapping, tz: tzinfo, errors: dict[str, list[str]]) -> datetime | None:
    column = mapping.time_column
    if not cell:
        errors[column] = ["is empty (every row needs its date)"]
        return None
    try:
        if mapping.time_format == "iso":
            parsed = date.fromisoformat(cell) if len(cell) == 10 else datetime.fromisoformat(cell)
            parsed = parsed if isinstance(parsed, datetime) else datetime.combine(parsed, datetime.min.time())
        else:
            parsed = datetime.strptime(cell, mapping.time_format)  # noqa: DTZ007 -- the zone is the mapping's
    except ValueError:
        errors[column] = [f"{cell!r} does not match the format {mapping.time_format!r}"]
        return None
    if mapping.at is not None:
        parsed = datetime.combine(parsed.date(), mapping.at, tzinfo=parsed.tzinfo)
    if parsed.tzinfo is not None:
        return parsed
    local = parsed.replace(tzinfo=tz)
    # A wall-clock time the clocks skipped (the spring-forward hour) names no instant: refused
    # rather than moved. A repeated one (autumn) is its first occurrence (fold=0).
    if local.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != parsed:
        errors[column] = [f"{cell} did not happen in {tz} (the clocks went forward)"]
        return None
    return local


def _value(f: FieldMap, cell: str, errors: dict[str, list[str]]) -> object:
    if f.name in LIST_FIELDS:
        return [part.strip() for part in cell.split(f.separator) if part.strip()]
    if f.name not in SCALE_BY_NAME:
        return cell
    try:
        number = float(cell)
    except ValueError:
        errors[f.name] = [f"{cell!r} in column {f.column!r} is not a number"]
        return None
    if not math.isfinite(number):
        errors[f.name] = [f"{cell!r} in column {f.column!r} is not a number"]
        return None
    converted = number
    if f.lo_hi_from is not None and f.lo_hi_to is not None:
        (a, b), (c, d) = f.lo_hi_from, f.lo_hi_to
        if not min(a, b) <= number <= max(a, b):
            errors[f.name] = [f"{cell} is outside the file's scale {a:g}–{b:g}"]
            return None
        converted = c + (number - a) * (d - c) / (b - a)
    elif f.multiply is not None:
        converted = number * f.multiply
    if f.round:
        converted = math.floor(converted + 0.5)  # half up (project rule): 2.5 → 3
    elif abs(converted - round(converted)) < WHOLE_TOLERANCE:
        converted = round(converted)
    if SCALE_BY_NAME[f.name].kind == "int" and converted != int(converted):
        errors[f.name] = [f"{cell} becomes {converted:g}, not a whole number (add round = true to the mapping)"]
        return None
    return converted
