"""core.checkin: validation and normalisation shared by the web form, the API and the CLI."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from painmind.core.body_regions import BODY_REGIONS
from painmind.core.checkin import CheckInError, check_recorded_at, clean_checkin
from painmind.core.timeutil import local_date


def test_minimal_entry_fills_every_field():
    out = clean_checkin({"pain": 0, "mood": 10})
    assert out == {
        "pain": 0,
        "mood": 10,
        "pain_interference": None,
        "anxiety": None,
        "stress": None,
        "sleep_hours": None,
        "sleep_quality": None,
        "activity_minutes": None,
        "social": None,
        "pain_locations": [],
        "tags": [],
        "note": "",
    }


def test_form_strings_are_converted():
    out = clean_checkin({"pain": "7", "mood": "2", "sleep_hours": "6.75", "activity_minutes": "30", "anxiety": ""})
    assert (out["pain"], out["mood"], out["sleep_hours"], out["activity_minutes"], out["anxiety"]) == (
        7,
        2,
        6.75,
        30,
        None,
    )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"mood": 5}, "pain", "is required"),
        ({"pain": -1, "mood": 5}, "pain", "must be between 0 and 10"),
        ({"pain": 11, "mood": 5}, "pain", "must be between 0 and 10"),
        ({"pain": 5, "mood": 5, "activity_minutes": 1441}, "activity_minutes", "must be between 0 and 1440"),
        ({"pain": 5, "mood": 5, "sleep_hours": 24.01}, "sleep_hours", "must be between 0 and 24"),
        ({"pain": 2.5, "mood": 5}, "pain", "must be a whole number"),
        ({"pain": "two", "mood": 5}, "pain", "must be a number"),
        ({"pain": True, "mood": 5}, "pain", "must be a number"),
        ({"pain": float("nan"), "mood": 5}, "pain", "must be a number"),
        ({"pain": 1, "mood": 5, "pain_locations": ["tail"]}, "pain_locations", "unknown body region(s): tail"),
        ({"pain": 1, "mood": 5, "pain_locations": "head"}, "pain_locations", "must be a list of body-region codes"),
        ({"pain": 1, "mood": 5, "note": "n" * 2001}, "note", "must be at most 2000 characters (it has 2001)"),
        ({"pain": 1, "mood": 5, "mystery": 1}, "mystery", "is not a check-in field"),
        ({"pain": 1, "mood": 5, "tags": [str(i) for i in range(21)]}, "tags", "at most 20 tags"),
    ],
)
def test_each_error_names_field_and_reason(data, field, message):
    with pytest.raises(CheckInError) as caught:
        clean_checkin(data)
    assert caught.value.errors[field] == [message]


def test_all_errors_are_reported_together():
    with pytest.raises(CheckInError) as caught:
        clean_checkin({"pain": 12, "mood": -3, "stress": 99})
    assert sorted(caught.value.errors) == ["mood", "pain", "stress"]


def test_locations_are_canonically_ordered_and_deduplicated():
    out = clean_checkin({"pain": 1, "mood": 1, "pain_locations": ["knee_left", "head", "knee_left"]})
    assert out["pain_locations"] == ["head", "knee_left"]


def test_every_region_code_is_a_stable_identifier():
    assert len(BODY_REGIONS) == 23
    assert all(code.replace("_", "").isalpha() and code.islower() for code in BODY_REGIONS)


def test_tags_from_text_are_split_trimmed_lowercased():
    out = clean_checkin({"pain": 1, "mood": 1, "tags": " Walk ,physio,, walk , Heat  pad"})
    assert out["tags"] == ["heat pad", "physio", "walk"]


NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def test_recorded_at_must_be_aware_and_not_in_the_future():
    with pytest.raises(CheckInError, match="time zone offset"):
        check_recorded_at(datetime(2026, 6, 1, 11, 0), NOW)  # noqa: DTZ001  (naive on purpose: it must be refused)
    with pytest.raises(CheckInError, match="future"):
        check_recorded_at(NOW + timedelta(minutes=5, seconds=1), NOW)
    check_recorded_at(NOW + timedelta(minutes=5), NOW)  # clock skew tolerated
    check_recorded_at(NOW - timedelta(days=400), NOW)  # back-filling allowed


@pytest.mark.parametrize(
    ("instant", "zone", "expected"),
    [
        # Midnight boundary on the day BST ends: 23:00 UTC on 24 Oct is 00:00 BST on 25 Oct.
        (datetime(2026, 10, 24, 22, 59, 59, tzinfo=UTC), "Europe/London", "2026-10-24"),
        (datetime(2026, 10, 24, 23, 0, 0, tzinfo=UTC), "Europe/London", "2026-10-25"),
        # After the change London is on GMT: 23:59 UTC on 25 Oct is still the 25th.
        (datetime(2026, 10, 25, 23, 59, tzinfo=UTC), "Europe/London", "2026-10-25"),
        (datetime(2026, 10, 26, 0, 0, tzinfo=UTC), "Europe/London", "2026-10-26"),
        # Kathmandu is UTC+05:45.
        (datetime(2026, 1, 1, 18, 14, tzinfo=UTC), "Asia/Kathmandu", "2026-01-01"),
        (datetime(2026, 1, 1, 18, 15, tzinfo=UTC), "Asia/Kathmandu", "2026-01-02"),
    ],
)
def test_local_date_edges(instant, zone, expected):
    assert local_date(instant, ZoneInfo(zone)).isoformat() == expected


def test_local_date_refuses_naive_times():
    with pytest.raises(ValueError, match="aware"):
        local_date(datetime(2026, 1, 1), ZoneInfo("UTC"))  # noqa: DTZ001  (naive on purpose: it must be refused)
