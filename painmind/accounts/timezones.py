"""Time-zone choices for forms: grouped by country (django-countries names), aliases hidden.

The zones come from the IANA database's zone.tab (painmind.core.timezones). An obsolete alias
someone already has stored ("US/Pacific") is still offered to them, first, so saving the form
without touching the field keeps it (project rule, docs/settings.md).
"""

from __future__ import annotations

from django_countries import countries

from painmind.core.timezones import offered_zone_names, zones_by_country

Choice = tuple[str, str]
Group = tuple[str, list[Choice]]


def time_zone_choices(current: str | None = None) -> list[Group]:
    """``[(country name, [(zone, label), …]), …]`` sorted by country name, then "Other" (UTC);
    ``current`` first, under "Your current setting", when it is not among them."""
    names = dict(countries)
    groups: list[Group] = [
        (names.get(code, code), [(z.name, z.label) for z in zones]) for code, zones in zones_by_country().items()
    ]
    groups.sort(key=lambda g: g[0])
    groups.append(("Other", [("UTC", "UTC (Coordinated Universal Time)")]))
    if current and current not in offered_zone_names():
        groups.insert(0, ("Your current setting", [(current, current)]))
    return groups
