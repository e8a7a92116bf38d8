"""Crisis resources: a reviewed, dated list of services, loaded, checked and chosen per country
(clinical-reference §5).

The list lives in a versioned JSON file (never in code) because helplines change and stale
numbers in apps are a documented harm (§5 [S49][S49c]). Each entry says when it was last
verified against its source; `stale_resources` finds those older than the file's
`max_age_months`. An entry's `note` is for the person in crisis; its `review_note` is for the
people who maintain the file and is deliberately not loaded, so no page or API can show it.

`help_for` is the one rule for what a person sees (project rules, docs/safety.md): their own
country's services, emergency number first; never another country's services; with no entry
of their own, "call your local emergency number", and the EU's 112 when the country is an EU
member state (§5 [S48]).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

REQUIRED = ("country", "service", "phone", "sms", "url", "hours", "source", "last_verified")
# The pseudo-country of entries that apply in every EU member state (the 112 emergency number).
EU = "EU"


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
    other_phones: tuple[str, ...] = ()

    @property
    def tel(self) -> str | None:
        """The number for a ``tel:`` link (spaces removed)."""
        return _dial(self.phone) if self.phone else None

    @property
    def sms_number(self) -> str | None:
        return _dial(self.sms) if self.sms else None

    @property
    def other_tels(self) -> list[tuple[str, str]]:
        """``(shown, dialled)`` for each other number that reaches the same service."""
        return [(p, _dial(p)) for p in self.other_phones]

    def to_dict(self) -> dict[str, object]:
        """The public view of an entry: what a page shows, plus its source and check date."""
        return {
            "country": self.country,
            "service": self.service,
            "emergency": self.emergency,
            "phone": self.phone,
            "other_phones": list(self.other_phones),
            "sms": self.sms,
            "url": self.url,
            "hours": self.hours,
            "languages": list(self.languages),
            "note": self.note,
            "source": self.source,
            "last_verified": self.last_verified.isoformat(),
        }


def _dial(number: str) -> str:
    return number.replace(" ", "")


@dataclass(frozen=True)
class CrisisDirectory:
    version: str
    max_age_months: int
    resources: tuple[CrisisResource, ...]
    eu_member_states: frozenset[str] = frozenset()
    eu_last_verified: date | None = None

    def for_country(self, country: str) -> list[CrisisResource]:
        """Emergency services first, then the other services, for one ISO 3166 country code."""
        found = [r for r in self.resources if r.country == country.upper()]
        return sorted(found, key=lambda r: not r.emergency)

    def in_eu(self, country: str) -> bool:
        return country.upper() in self.eu_member_states


@dataclass(frozen=True)
class SiteContact:
    """The site operator's own crisis contact (a site decision, never clinical): shown after the
    country's services, and the only named contact for a country without any."""

    name: str
    phone: str = ""
    url: str = ""
    hours: str = ""

    @property
    def tel(self) -> str:
        return _dial(self.phone)

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "phone": self.phone, "url": self.url, "hours": self.hours}


def site_contact_from(values: dict[str, str]) -> SiteContact | None:
    """A `SiteContact` from settings (name, phone, url, hours), or None when none is set.

    Raises ValueError naming the setting when one is given without a name, or a name without a
    phone or url (a contact nobody can reach).
    """
    clean = {key: (values.get(key) or "").strip() for key in ("name", "phone", "url", "hours")}
    if not any(clean.values()):
        return None
    if not clean["name"]:
        raise ValueError("PAINMIND_CRISIS_CONTACT_NAME is empty but other crisis-contact settings are set")
    if not (clean["phone"] or clean["url"]):
        raise ValueError("PAINMIND_CRISIS_CONTACT_PHONE or PAINMIND_CRISIS_CONTACT_URL must be set with a name")
    if clean["url"] and not clean["url"].startswith(("https://", "http://")):
        raise ValueError("PAINMIND_CRISIS_CONTACT_URL must start with https:// or http://")
    return SiteContact(**clean)


@dataclass(frozen=True)
class CrisisHelp:
    """What one person is shown: emergency first, then helplines, then the site's contact."""

    country: str
    matched: bool  # the country has entries of its own
    in_eu: bool
    emergency: list[CrisisResource]
    services: list[CrisisResource]
    site_contact: SiteContact | None = None

    @property
    def call_local_emergency_number(self) -> bool:
        """No emergency number is configured for this person: tell them to call their local one."""
        return not self.emergency

    def to_dict(self) -> dict[str, object]:
        return {
            "country": self.country,
            "matched_country": self.matched,
            "in_eu": self.in_eu,
            "call_local_emergency_number": self.call_local_emergency_number,
            "resources": [r.to_dict() for r in [*self.emergency, *self.services]],
            "site_contact": self.site_contact.to_dict() if self.site_contact else None,
            "not_an_emergency_service": True,
        }


def help_for(directory: CrisisDirectory, country: str, *, site_contact: SiteContact | None = None) -> CrisisHelp:
    """The services one person is shown, by their ISO 3166 country code.

    Only that country's entries, emergency numbers first; another country's services never
    (they may not connect, and a list of foreign helplines misleads). A country with no
    emergency entry of its own gets the EU-wide ones (112) when it is an EU member state.

    >>> d = CrisisDirectory("t", 12, (), frozenset({"DE"}))
    >>> h = help_for(d, "JP")
    >>> (h.matched, h.in_eu, h.call_local_emergency_number)
    (False, False, True)
    """
    country = country.upper()
    own = directory.for_country(country)
    emergency = [r for r in own if r.emergency]
    in_eu = directory.in_eu(country)
    if not emergency and in_eu:
        emergency = [r for r in directory.for_country(EU) if r.emergency]
    return CrisisHelp(
        country=country,
        matched=bool(own),
        in_eu=in_eu,
        emergency=emergency,
        services=[r for r in own if not r.emergency],
        site_contact=site_contact,
    )


def _text(entry: dict[str, Any], key: str, where: str) -> str:
    value = entry.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{where} {key} must be text")
    return value


def _resource(entry: dict[str, Any], where: str) -> CrisisResource:
    missing = [key for key in REQUIRED if key not in entry]
    if missing:
        raise ValueError(f"{where} lacks {', '.join(missing)}")
    if not (entry["phone"] or entry["sms"] or entry["url"]):
        raise ValueError(f"{where} has no phone, sms or url")
    try:
        verified = date.fromisoformat(entry["last_verified"])
    except (TypeError, ValueError):
        raise ValueError(f"{where} last_verified is not a date") from None
    _text(entry, "review_note", where)  # checked, never kept: reviewers only
    others = entry.get("other_phones", [])
    if not isinstance(others, list) or not all(isinstance(p, str) and p for p in others):
        raise ValueError(f"{where} other_phones must be a list of numbers")
    return CrisisResource(
        country=str(entry["country"]).upper(),
        service=entry["service"],
        emergency=bool(entry.get("emergency", False)),
        phone=entry["phone"],
        sms=entry["sms"],
        url=entry["url"],
        hours=entry["hours"],
        languages=tuple(entry.get("languages", [])),
        note=_text(entry, "note", where),
        source=entry["source"],
        last_verified=verified,
        other_phones=tuple(others),
    )


def load_crisis_directory(path: Path) -> CrisisDirectory:
    """Read and validate the crisis-resources file; ValueError naming the entry and field if bad.

    Parameters
    ----------
    path : Path
        A JSON file ``{"version", "max_age_months", "eu_member_states", "resources": [...]}``;
        each resource has country, service, phone, sms, url, hours, source and last_verified
        (ISO date), and optionally emergency, other_phones, languages, note and review_note.
        `eu_member_states` is ``{"codes": [...], "last_verified": ...}``.
    """
    where = f"crisis resources file {path}:"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"{where} {exc}") from None
    resources = tuple(_resource(entry, f"{where} entry {i}") for i, entry in enumerate(raw.get("resources", [])))
    if not resources:
        raise ValueError(f"{where} no resources")
    eu = raw.get("eu_member_states") or {}
    codes = eu.get("codes", [])
    if not all(isinstance(c, str) and len(c) == 2 and c.isalpha() and c.isupper() for c in codes):
        raise ValueError(f"{where} eu_member_states codes must be two-letter ISO 3166 codes")
    eu_verified = None
    if codes:
        try:
            eu_verified = date.fromisoformat(eu["last_verified"])
        except (KeyError, TypeError, ValueError):
            raise ValueError(f"{where} eu_member_states last_verified is not a date") from None
    return CrisisDirectory(
        version=str(raw.get("version", "")),
        max_age_months=int(raw.get("max_age_months", 12)),
        resources=resources,
        eu_member_states=frozenset(codes),
        eu_last_verified=eu_verified,
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


def eu_list_is_stale(directory: CrisisDirectory, today: date) -> bool:
    """Whether the EU member-state list was last checked more than `max_age_months` ago."""
    verified = directory.eu_last_verified
    return verified is not None and today > add_months(verified, directory.max_age_months)
