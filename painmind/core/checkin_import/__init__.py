"""Check-ins from another tracker's CSV file, through a mapping (docs/exchange.md, "Imports").

`load_mapping` reads the mapping (TOML or JSON, or a shipped one by name); `plan_import` reads
the file and converts and validates every row with `core.checkin`, collecting every bad row
with its reasons; each good row carries the uuid5 of its content as its client id.

Examples
--------
>>> from datetime import UTC, datetime
>>> plan = plan_import(b"date,pain,mood,notes\\n2026-03-01,4,2,ok\\n", load_mapping("generic"),
...                    patient_tz=UTC, now=datetime(2026, 4, 1, tzinfo=UTC))
>>> plan.entries[0].content["mood"], plan.errors   # mood 2 on 1-5 is 2.5 on 0-10, rounded half up
(3, {})
"""

from __future__ import annotations

from painmind.core.checkin_import.mapping import Mapping, MappingError, load_mapping, parse_mapping
from painmind.core.checkin_import.rows import Entry, ImportFileError, Plan, client_key, plan_import, read_csv

__all__ = [
    "Entry",
    "ImportFileError",
    "Mapping",
    "MappingError",
    "Plan",
    "client_key",
    "load_mapping",
    "parse_mapping",
    "plan_import",
    "read_csv",
]
