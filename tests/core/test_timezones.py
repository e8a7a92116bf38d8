"""zone.tab parsing and the offered zones: checked against lines of the IANA file itself."""

from __future__ import annotations

import pytest

from painmind.core.timezones import Zone, offered_zone_names, parse_zone_tab, zones_by_country

# Four lines as tzdata 2024 ships them (zone.tab), with its comment header.
SAMPLE = (
    "# tzdb timezone descriptions\n"
    "#\n"
    "DE\t+5230+01322\tEurope/Berlin\tmost of Germany\n"
    "DE\t+4742+00841\tEurope/Busingen\tBusingen\n"
    "US\t+404251-0740023\tAmerica/New_York\tEastern (most areas)\n"
    "MC\t+4342+00723\tEurope/Monaco\n"
)


def test_parse_keeps_order_and_comments() -> None:
    zones = parse_zone_tab(SAMPLE)
    assert zones == {
        "DE": (Zone("Europe/Berlin", "most of Germany"), Zone("Europe/Busingen", "Busingen")),
        "US": (Zone("America/New_York", "Eastern (most areas)"),),
        "MC": (Zone("Europe/Monaco", ""),),
    }


def test_labels_are_places_in_words() -> None:
    assert Zone("America/New_York", "Eastern (most areas)").label == "New York (Eastern (most areas))"
    assert Zone("Europe/Monaco").label == "Monaco"


def test_a_line_without_a_zone_is_refused() -> None:
    with pytest.raises(ValueError, match=r"zone\.tab line without a zone"):
        parse_zone_tab("DE\t+5230+01322\n")


def test_installed_database_groups_real_countries_and_hides_aliases() -> None:
    by_country = zones_by_country()
    assert "Europe/Berlin" in [z.name for z in by_country["DE"]]
    assert "America/Los_Angeles" in [z.name for z in by_country["US"]]
    offered = offered_zone_names()
    # Obsolete aliases and the sign-inverted Etc zones are not offered.
    for alias in ("US/Pacific", "GB", "Europe/Kiev", "Etc/GMT+5", "Asia/Calcutta"):
        assert alias not in offered
    assert "UTC" in offered
    assert "Europe/Kyiv" in offered
