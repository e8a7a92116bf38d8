"""The "Download my data" zip: README.txt, one CSV per table (`tables.TABLES`), and any
`EXTRA_FILES`, written as a stream so neither the server nor the CLI holds the whole zip."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from datetime import datetime

from django.utils import timezone

from painmind.accounts.audit import Actor
from painmind.accounts.models import User
from painmind.exchange.fhir.export import patient_bundle
from painmind.exchange.own_data.tables import TABLES, Table


def _fhir_bundle(viewer: Actor, person: User) -> bytes | None:
    """The person's FHIR R4 Bundle (docs/exchange.md, "FHIR"); a patient's only (no diary else)."""
    if not person.is_patient:
        return None
    return json.dumps(patient_bundle(viewer, person), ensure_ascii=False, indent=1).encode()


# Files beside the CSV tables: (name in the zip, what it is, build(viewer, person) -> bytes, or
# None when the person has no such file).
EXTRA_FILES: list[tuple[str, str, Callable[[Actor, User], bytes | None]]] = [
    ("fhir_bundle.json", "The same data as a FHIR R4 Bundle (patients only), for another health app.", _fhir_bundle),
]


class _Drain(io.RawIOBase):
    """A write-only, unseekable file whose bytes are taken away after each table: zipfile then
    writes data descriptors instead of seeking back, which every unzip tool reads."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, b: bytes) -> int:  # type: ignore[override]
        self.chunks.append(bytes(b))
        return len(b)

    def take(self) -> bytes:
        out, self.chunks = b"".join(self.chunks), []
        return out


def readme(person: User, at: datetime) -> str:
    """README.txt: what each file holds and what each column means."""
    lines = [
        f"Your PainMind data, {person.email}, made {at.isoformat(timespec='seconds')}.",
        "",
        "One CSV file (UTF-8, comma-separated, a header row) per kind of record. Times are in UTC",
        "(ISO 8601); dates ending in _on are your local calendar dates. People are named as PainMind",
        "shows them; other records by their number (id). Lists are written as JSON. Empty means",
        "not recorded.",
        "",
    ]
    for table in TABLES:
        lines += [table.name, f"  {table.about}"]
        for field in table.fields:
            lines.append(f"  - {field.name}: {field.verbose_name} ({_kind(field)})")
        lines.append("")
    for name, about, _ in EXTRA_FILES:
        lines += [name, f"  {about}", ""]
    return "\n".join(lines)


def _kind(field: object) -> str:
    name = type(field).__name__
    return {
        "DateTimeField": "UTC time",
        "DateField": "date",
        "BooleanField": "true/false",
        "JSONField": "JSON",
        "ForeignKey": "person or record id",
        "OneToOneField": "person or record id",
        "DecimalField": "number",
        "FloatField": "number",
        "CountryField": "ISO 3166 country code",
    }.get(name, "number" if "Integer" in name or name == "BigAutoField" else "text")


def _csv(table: Table, actor: Actor) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.columns)
    writer.writerows(table.rows(actor))
    return out.getvalue().encode()


def own_data_zip(actor: Actor, person: User) -> Iterator[bytes]:
    """The zip of everything about `person`, read as `actor` (the person themself, so their own
    reads are not audited; the operator's CLI records its export before calling this), in chunks."""
    drain = _Drain()
    with zipfile.ZipFile(drain, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("README.txt", readme(person, timezone.now()))
        yield drain.take()
        for table in TABLES:
            zf.writestr(table.name, _csv(table, actor))
            yield drain.take()
        for name, _, build in EXTRA_FILES:
            content = build(actor, person)
            if content is not None:
                zf.writestr(name, content)
                yield drain.take()
    yield drain.take()


def own_data_filename(person: User, at: datetime | None = None) -> str:
    return f"painmind-my-data-{(at or timezone.now()):%Y-%m-%d}.zip"
