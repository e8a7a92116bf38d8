"""Crisis resources: a reviewed, dated list of services, loaded and checked (clinical-reference §5).

The list lives in a versioned JSON file (never in code) because helplines change and stale
numbers in apps are a documented harm (§5 [S49][S49c]). Each entry says when it was last
verified; `stale_resources` finds those older than the file's `max_age_months`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

REQUIRED = ("country", "service", "phone", "sms", "url", "hours", "source", "last_verified")


@dataclass(frozen=True)
class CrisisResource:
    country: str
    service: str
    emergency: bool
    phone: str | None
    sms: str | None
    url: str | None
    hours: str | None
    languages: tuple[str, ...]
    note: str
    source: str
    last_verified: date

    @property
    def tel(self) -> str | None:
        """The number for a ``tel:`` link (spaces removed)."""
        return self.phone.replace(" ", "") if self.phone else None

    @property
    def sms_number(self) -> str | None:
        return self.sms.replace(" ", "") if self.sms else None

    def to_dict(self) -> dict[str, object]:
        return {
            "country": self.country,
            "service": self.service,
            "emergency": self.emergency,
            "phone": self.phone,
            "sms": self.sms,
            "url": self.url,
            "hours": self.hours,
            "languages": list(self.languages),
            "note": self.note,
            "source": self.source,
            "last_verified": self.last_verified.isoformat(),
        }


@dataclass(frozen=True)
class CrisisDirectory:
    version: str
    max_age_months: int
    resources: tuple[CrisisResource, ...]

    def for_country(self, country: str) -> list[CrisisResource]:
        """Emergency services first, then the other services, for one ISO 3166 country code."""
        found = [r for r in self.resources if r.country == country.upper()]
        return sorted(found, key=lambda r: not r.emergency)


def load_crisis_directory(path: Path) -> CrisisDirectory:
    """Read and validate the crisis-resources file; ValueError naming the entry and field if bad.

    Parameters
    ----------
    path : Path
        A JSON file ``{"version", "max_age_months", "resources": [...]}``; each resource has
        country, service, phone, sms, url, hours, source and last_verified (ISO date).
    """
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"crisis resources file {path}: {exc}") from None
    resources = []
    for i, entry in enumerate(raw.get("resources", [])):
        missing = [key for key in REQUIRED if key not in entry]
        if missing:
            raise ValueError(f"crisis resources file {path}: entry {i} lacks {', '.join(missing)}")
        if not (entry["phone"] or entry["sms"] or entry["url"]):
            raise ValueError(f"crisis resources file {path}: entry {i} has no phone, sms or url")
        try:
            verified = date.fromisoformat(entry["last_verified"])
        except (TypeError, ValueError):
            raise ValueError(f"crisis resources file {path}: entry {i} last_verified is not a date") from None
        resources.append(
            CrisisResource(
                country=str(entry["country"]).upper(),
                service=entry["service"],
                emergency=bool(entry.get("emergency", False)),
                phone=entry["phone"],
                sms=entry["sms"],
                url=entry["url"],
                hours=entry["hours"],
                languages=tuple(entry.get("languages", [])),
                note=entry.get("note", ""),
                source=entry["source"],
                last_verified=verified,
            )
        )
    if not resources:
        raise ValueError(f"crisis resources file {path}: no resources")
    return CrisisDirectory(
        version=str(raw.get("version", "")),
        max_age_months=int(raw.get("max_age_months", 12)),
        resources=tuple(resources),
    )


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (date(year + (month == 12), month % 12 + 1, 1) - date.resolution).day
    return date(year, month, min(day.day, last))


def stale_resources(directory: CrisisDirectory, today: date) -> list[CrisisResource]:
    """Entries whose last verification is more than `max_age_months` before `today`."""
    return [r for r in directory.resources if today > add_months(r.last_verified, directory.max_age_months)]
