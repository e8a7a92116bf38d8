"""Tracker CSV → check-ins (core.checkin_import): conversions by hand, every bad row, stable keys."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from painmind.core.checkin_import import ImportFileError, MappingError, Plan, load_mapping, parse_mapping, plan_import

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def _plan(csv: str, mapping: str = "generic") -> Plan:
    return plan_import(csv.encode(), load_mapping(mapping), patient_tz=LONDON, now=NOW)


def test_generic_mood_one_to_five_becomes_zero_to_ten_rounded_half_up() -> None:
    csv = "date,pain,mood,notes\n" + "".join(f"2026-03-0{m},3,{m},\n" for m in range(1, 6))
    plan = _plan(csv)
    assert plan.errors == {}
    # 1→0, 2→2.5→3, 3→5, 4→7.5→8, 5→10 (linear 1–5 → 0–10, half up), by hand.
    assert [e.content["mood"] for e in plan.entries] == [0, 3, 5, 8, 10]


def test_generic_rows_are_placed_at_noon_local_time() -> None:
    plan = _plan("date,pain,mood,notes\n2026-03-29,4,3,first day of summer time\n")
    entry = plan.entries[0]
    # 12:00 BST (UTC+1) on the day the clocks went forward is 11:00 UTC.
    assert entry.recorded_at == datetime(2026, 3, 29, 11, tzinfo=UTC)
    assert entry.content["note"] == "first day of summer time"


def test_every_bad_row_is_reported_with_its_reason() -> None:
    csv = (
        "date,pain,mood,notes\n2026-03-01,4,3,ok\n2026-03-02,11,3,\n01/03/2026,4,3,\n2026-03-04,4,6,\n2026-03-05,,3,\n"
    )
    plan = _plan(csv)
    assert set(plan.errors) == {3, 4, 5, 6}
    assert plan.errors[3] == {"pain": ["must be between 0 and 10"]}
    assert "does not match the format" in plan.errors[4]["date"][0]
    assert plan.errors[5] == {"mood": ["6 is outside the file's scale 1–5"]}
    assert plan.errors[6] == {"pain": ["is required"]}


def test_a_future_row_is_bad() -> None:
    plan = _plan("date,pain,mood,notes\n2026-06-02,4,3,\n")
    assert plan.errors == {2: {"recorded_at": ["cannot be in the future"]}}


def test_without_round_a_non_whole_result_is_a_bad_row() -> None:
    mapping = parse_mapping(
        {
            "time": {"column": "d", "format": "%d/%m/%Y %H:%M", "time_zone": "Europe/London"},
            "fields": {"pain": {"column": "p"}, "mood": {"column": "m", "from": [1, 5], "to": [0, 10]}},
        }
    )
    plan = plan_import(b"d,p,m\n01/03/2026 20:00,4,2\n01/03/2026 21:00,4,3\n", mapping, patient_tz=UTC, now=NOW)
    assert plan.errors == {2: {"mood": ["2 becomes 2.5, not a whole number (add round = true to the mapping)"]}}
    assert plan.entries[0].content["mood"] == 5
    assert plan.entries[0].recorded_at == datetime(2026, 3, 1, 21, tzinfo=UTC)  # GMT in March


def test_multiply_converts_units_and_a_skipped_local_time_is_refused() -> None:
    mapping = parse_mapping(
        {
            "time": {"column": "t", "format": "%Y-%m-%d %H:%M", "time_zone": "Europe/London"},
            "fields": {
                "pain": {"column": "p"},
                "mood": {"column": "m"},
                "sleep_hours": {"column": "sleep_min", "multiply": 1 / 60},
            },
        }
    )
    csv = b"t,p,m,sleep_min\n2026-03-28 08:00,4,5,450\n2026-03-29 01:30,4,5,420\n"
    plan = plan_import(csv, mapping, patient_tz=UTC, now=NOW)
    assert plan.entries[0].content["sleep_hours"] == 7.5
    assert plan.errors == {3: {"t": ["2026-03-29 01:30 did not happen in Europe/London (the clocks went forward)"]}}


def test_painmind_shape_round_trips_every_field() -> None:
    csv = (
        "recorded_at,pain,mood,pain_interference,anxiety,stress,sleep_hours,sleep_quality,activity_minutes,"
        "social,pain_locations,tags,note\n"
        "2026-03-01T20:15:00+00:00,4,6,3,2,5,7.5,6,45,3,lower_back;neck,walk;Rain,felt ok\n"
    )
    plan = _plan(csv, "painmind")
    assert plan.errors == {}
    content = plan.entries[0].content
    locations = content["pain_locations"]
    assert isinstance(locations, list)
    assert set(locations) == {"lower_back", "neck"}
    assert content["tags"] == ["rain", "walk"]
    assert (content["sleep_hours"], content["activity_minutes"], content["note"]) == (7.5, 45, "felt ok")


def test_the_key_follows_the_content_only() -> None:
    one = _plan("date,pain,mood,notes\n2026-03-01,4,3,x\n").entries[0].client_id
    again = _plan("date,mood,pain,notes\n2026-03-01,3,4,x\n").entries[0].client_id  # columns reordered
    other = _plan("date,pain,mood,notes\n2026-03-01,5,3,x\n").entries[0].client_id
    assert one == again != other


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"date,pain\n2026-03-01,4\n", "no column 'mood'"),
        (b"date,pain,mood,notes\n", "no rows"),
        (b"date,pain,mood,notes\n2026-03-01,4,3,caf\xe9\n", "not UTF-8"),
    ],
)
def test_an_unreadable_file_is_one_clear_error(data: bytes, message: str) -> None:
    with pytest.raises(ImportFileError, match=message):
        plan_import(data, load_mapping("generic"), patient_tz=LONDON, now=NOW)


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"fields": {"pain": {"column": "p"}}}, r"\[time\] is required"),
        ({"time": {"column": "d", "format": "iso", "time_zone": "Mars/Base"}, "fields": {}}, "unknown time zone"),
        ({"time": {"column": "d", "format": "iso", "time_zone": "UTC"}, "fields": {"pain": {"column": "p"}}}, "mood"),
        (
            {
                "time": {"column": "d", "format": "iso", "time_zone": "UTC"},
                "fields": {"pain": {"column": "p"}, "mood": {"column": "m", "from": [1, 5]}},
            },
            "give both from and to",
        ),
        (
            {
                "time": {"column": "d", "format": "iso", "time_zone": "UTC"},
                "fields": {"pain": {"column": "p"}, "mood": {"column": "m"}, "name": {"column": "n"}},
            },
            "not a check-in field",
        ),
    ],
)
def test_a_wrong_mapping_names_the_key(doc: dict[str, object], message: str) -> None:
    with pytest.raises(MappingError, match=message):
        parse_mapping(doc)


def test_an_unknown_shipped_mapping_lists_the_shipped_ones() -> None:
    with pytest.raises(MappingError, match="shipped: generic, painmind"):
        load_mapping("nosuch")
