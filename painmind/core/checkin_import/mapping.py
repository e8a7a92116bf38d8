"""A mapping: how another tracker's CSV columns become check-in fields (docs/exchange.md, "Imports").

A mapping is a TOML or JSON document::

    name = "generic"
    [time]
    column = "date"              # the column with the date (or date and time)
    format = "%Y-%m-%d"          # strptime, or "iso" for ISO 8601
    time_zone = "Europe/London"  # zone of times without an offset; "patient" = the person's own
    at = "12:00"                 # date-only files: the local time every row is placed at
    [fields.pain]
    column = "pain"
    [fields.mood]
    column = "mood"
    from = [1, 5]                # the file's scale, stated explicitly …
    to = [0, 10]                 # … and the check-in's: linear, 1 → 0, 3 → 5, 5 → 10
    round = true                 # 2 → 2.5 is rounded half up (without it: a bad row)
    [fields.note]
    column = "notes"

Each field takes ``column`` and, for numbers, optionally ``from``/``to`` (a linear rescale) or
``multiply`` (a unit change, e.g. 60 for hours → minutes), and ``round``; for ``tags`` and
``pain_locations``, ``separator``. ``missing`` (top level) lists the cell values read as empty.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from painmind.core.checkin import CONTENT_FIELDS, SCALE_BY_NAME

LIST_FIELDS = ("tags", "pain_locations")
TEXT_FIELDS = ("note",)
SHIPPED_DIR = Path(__file__).with_name("mappings")


class MappingError(ValueError):
    """The mapping itself is wrong; the message names the key."""


@dataclass(frozen=True)
class FieldMap:
    name: str
    column: str
    lo_hi_from: tuple[float, float] | None = None
    lo_hi_to: tuple[float, float] | None = None
    multiply: float | None = None
    round: bool = False
    separator: str = ","


@dataclass(frozen=True)
class Mapping:
    name: str
    time_column: str
    time_format: str
    time_zone: str  # an IANA zone, or "patient"
    at: time | None
    fields: tuple[FieldMap, ...]
    missing: frozenset[str] = field(default_factory=lambda: frozenset({""}))

    @property
    def columns(self) -> list[str]:
        """Every file column the mapping reads, the time column first."""
        return list(dict.fromkeys([self.time_column, *(f.column for f in self.fields)]))


def load_mapping(source: str | Path) -> Mapping:
    """Read a mapping from a .toml or .json file, or a shipped one by name ("generic", "painmind")."""
    path = Path(source)
    if not path.suffix:  # a name: one of the shipped mappings (a file's name ends .toml or .json)
        path = SHIPPED_DIR / f"{source}.toml"
        if not path.exists():
            shipped = ", ".join(sorted(p.stem for p in SHIPPED_DIR.glob("*.toml")))
            raise MappingError(f"--mapping: no such file or shipped mapping: {source} (shipped: {shipped})")
    if path.suffix.lower() not in {".toml", ".json"}:
        raise MappingError(f"--mapping: {path.name}: a mapping is a .toml or .json file")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise MappingError(f"--mapping: cannot read {path}: {exc}") from None
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise MappingError(f"--mapping: {path.name} is not valid {path.suffix.lstrip('.').upper()}: {exc}") from None
    return parse_mapping(data, default_name=path.stem)


def _pair(value: Any, key: str) -> tuple[float, float]:
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        or value[0] == value[1]
    ):
        raise MappingError(f"mapping: {key} must be two different numbers, e.g. [1, 5]")
    return float(value[0]), float(value[1])


def _field(name: str, spec: Any) -> FieldMap:
    key = f"fields.{name}"
    if name not in CONTENT_FIELDS:
        raise MappingError(f"mapping: {key}: not a check-in field (fields: {', '.join(CONTENT_FIELDS)})")
    if not isinstance(spec, dict) or not isinstance(spec.get("column"), str) or not spec["column"]:
        raise MappingError(f"mapping: {key}.column must name a column of the file")
    unknown = sorted(set(spec) - {"column", "from", "to", "multiply", "round", "separator"})
    if unknown:
        raise MappingError(f"mapping: {key}: unknown key(s) {', '.join(unknown)}")
    numeric = name in SCALE_BY_NAME
    if not numeric and set(spec) & {"from", "to", "multiply", "round"}:
        raise MappingError(f"mapping: {key}: from/to/multiply/round apply to numeric fields only")
    if ("from" in spec) != ("to" in spec):
        raise MappingError(f"mapping: {key}: give both from and to (the file's scale and the check-in's)")
    if "from" in spec and "multiply" in spec:
        raise MappingError(f"mapping: {key}: give from/to or multiply, not both")
    multiply = spec.get("multiply")
    if multiply is not None and (isinstance(multiply, bool) or not isinstance(multiply, int | float) or not multiply):
        raise MappingError(f"mapping: {key}.multiply must be a non-zero number")
    if not isinstance(spec.get("round", False), bool):
        raise MappingError(f"mapping: {key}.round must be true or false")
    separator = spec.get("separator", ",")
    if name not in LIST_FIELDS and "separator" in spec:
        raise MappingError(f"mapping: {key}: separator applies to tags and pain_locations only")
    if not isinstance(separator, str) or not separator:
        raise MappingError(f"mapping: {key}.separator must be a character, e.g. ';'")
    return FieldMap(
        name=name,
        column=spec["column"],
        lo_hi_from=_pair(spec["from"], f"{key}.from") if "from" in spec else None,
        lo_hi_to=_pair(spec["to"], f"{key}.to") if "to" in spec else None,
        multiply=float(multiply) if multiply is not None else None,
        round=spec.get("round", False),
        separator=separator,
    )


def parse_mapping(data: Any, *, default_name: str = "mapping") -> Mapping:
    """Check a mapping document (already parsed from TOML or JSON) and return it; MappingError
    names the first wrong key."""
    if not isinstance(data, dict):
        raise MappingError("mapping: must be a table of keys")
    unknown = sorted(set(data) - {"name", "description", "time", "fields", "missing"})
    if unknown:
        raise MappingError(f"mapping: unknown key(s) {', '.join(unknown)}")
    when = data.get("time")
    if not isinstance(when, dict):
        raise MappingError("mapping: [time] is required (column, format, time_zone)")
    for key in ("column", "format", "time_zone"):
        if not isinstance(when.get(key), str) or not when[key]:
            raise MappingError(f"mapping: time.{key} is required")
    unknown = sorted(set(when) - {"column", "format", "time_zone", "at"})
    if unknown:
        raise MappingError(f"mapping: time: unknown key(s) {', '.join(unknown)}")
    if when["time_zone"] != "patient":
        try:
            ZoneInfo(when["time_zone"])
        except (ZoneInfoNotFoundError, ValueError):
            raise MappingError(f"mapping: time.time_zone: unknown time zone {when['time_zone']!r}") from None
    at = None
    if "at" in when:
        try:
            at = time.fromisoformat(str(when["at"]))
        except ValueError:
            raise MappingError('mapping: time.at must be a time of day, e.g. "12:00"') from None
    fields = data.get("fields")
    if not isinstance(fields, dict) or not fields:
        raise MappingError("mapping: [fields] must map at least pain and mood")
    mapped = tuple(_field(name, spec) for name, spec in fields.items())
    missing_fields = [s.name for s in SCALE_BY_NAME.values() if s.required and s.name not in fields]
    if missing_fields:
        raise MappingError(f"mapping: fields.{missing_fields[0]} is required (a check-in needs it)")
    missing = data.get("missing", [""])
    if not isinstance(missing, list) or not all(isinstance(m, str) for m in missing):
        raise MappingError('mapping: missing must be a list of strings, e.g. ["", "NA"]')
    name = data.get("name", default_name)
    return Mapping(
        name=str(name),
        time_column=when["column"],
        time_format=when["format"],
        time_zone=when["time_zone"],
        at=at,
        fields=mapped,
        missing=frozenset(m.strip() for m in [*missing, ""]),
    )
