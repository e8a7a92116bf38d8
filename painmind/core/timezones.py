"""Time zones by country, from the IANA database's own ``zone.tab``.

``zoneinfo.available_timezones()`` lists about 600 names, a third of them obsolete aliases
("US/Pacific", "GB", "Etc/GMT+5") kept for old software. ``zone.tab`` is the database's list of
the zones people should choose from: one line per (country, zone), with the country's ISO 3166
code and a short description ("Eastern (most areas)"). A zone shared by several countries is
listed under each of them there (Europe/Berlin under DE; Europe/Stockholm under SE), so every
country finds its own name.

The file comes from Python's ``tzdata`` package when installed (the same data ``zoneinfo``
falls back to), else from the system's zoneinfo directory.

>>> zones = parse_zone_tab("# comment\\nDE\\t+5230+01322\\tEurope/Berlin\\tmost of Germany\\n")
>>> zones
{'DE': (Zone(name='Europe/Berlin', comment='most of Germany'),)}
>>> zones["DE"][0].label
'Berlin (most of Germany)'
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path


@dataclass(frozen=True)
class Zone:
    name: str
    comment: str = ""

    @property
    def label(self) -> str:
        """The place part of the name, in words, with zone.tab's note: "New York (Eastern (most areas))"."""
        place = self.name.rsplit("/", 1)[-1].replace("_", " ")
        return f"{place} ({self.comment})" if self.comment else place


def parse_zone_tab(text: str) -> dict[str, tuple[Zone, ...]]:
    """Country code → its zones, in the file's order (zone.tab lists the main zone first).

    Lines are ``code<TAB>coordinates<TAB>zone[<TAB>comment]``; ``#`` starts a comment line.
    """
    out: dict[str, list[Zone]] = {}
    for raw in text.splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        parts = raw.split("\t")
        if len(parts) < 3:
            raise ValueError(f"zone.tab line without a zone: {raw!r}")
        code, name = parts[0].strip(), parts[2].strip()
        comment = parts[3].strip() if len(parts) > 3 else ""
        out.setdefault(code, []).append(Zone(name, comment))
    return {code: tuple(zones) for code, zones in out.items()}


def _zone_tab_text() -> str:
    try:
        return resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        pass
    for root in zoneinfo.TZPATH:
        path = Path(root) / "zone.tab"
        if path.is_file():
            return path.read_text(encoding="utf-8")
    raise FileNotFoundError("No zone.tab: install the tzdata package or the system's tzdata.")


@cache
def zones_by_country() -> dict[str, tuple[Zone, ...]]:
    """Country code → zones, for the zones this Python can load (a zone.tab newer than the
    compiled data may name a zone zoneinfo does not know yet; such a zone is left out)."""
    known = zoneinfo.available_timezones()
    parsed = parse_zone_tab(_zone_tab_text())
    kept = {code: tuple(z for z in zones if z.name in known) for code, zones in parsed.items()}
    return {code: zones for code, zones in kept.items() if zones}


def offered_zone_names() -> frozenset[str]:
    """Every zone offered for choosing: the country zones and UTC (no alias, no Etc/GMT±n)."""
    return frozenset({"UTC"} | {z.name for zones in zones_by_country().values() for z in zones})
