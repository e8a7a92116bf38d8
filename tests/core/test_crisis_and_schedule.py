"""core.crisis (loading, staleness) and core.schedule (due dates)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from painmind.core.crisis import add_months, load_crisis_directory, stale_resources
from painmind.core.schedule import due_status

ENTRY = {
    "country": "GB",
    "service": "Samaritans",
    "phone": "116 123",
    "sms": None,
    "url": None,
    "hours": None,
    "source": "clinical-reference §5 [S47]",
    "last_verified": "2025-11-25",
}


def write(tmp_path, resources, **top):
    path = tmp_path / "crisis.json"
    path.write_text(json.dumps({"version": "t", "max_age_months": 12, "resources": resources, **top}))
    return path


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 11, 25), 12, date(2026, 11, 25)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
    ],
)
def test_add_months_clamps_to_month_end(day, months, expected):
    assert add_months(day, months) == expected


def test_entry_is_stale_only_after_twelve_full_months(tmp_path):
    directory = load_crisis_directory(write(tmp_path, [ENTRY]))
    assert stale_resources(directory, date(2026, 11, 25)) == []
    assert [r.service for r in stale_resources(directory, date(2026, 11, 26))] == ["Samaritans"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"phone": None}, "has no phone, sms or url"),
        ({"last_verified": "last spring"}, "last_verified is not a date"),
    ],
)
def test_bad_entries_name_the_entry(tmp_path, change, message):
    with pytest.raises(ValueError, match=message):
        load_crisis_directory(write(tmp_path, [{**ENTRY, **change}]))


def test_missing_field_and_unreadable_file(tmp_path):
    entry = dict(ENTRY)
    del entry["source"]
    with pytest.raises(ValueError, match="entry 0 lacks source"):
        load_crisis_directory(write(tmp_path, [entry]))
    with pytest.raises(ValueError, match="crisis resources file"):
        load_crisis_directory(tmp_path / "absent.json")


def test_tel_links_drop_spaces(tmp_path):
    (resource,) = load_crisis_directory(write(tmp_path, [ENTRY])).resources
    assert resource.tel == "116123"


@pytest.mark.parametrize(
    ("last", "interval", "today", "state", "due_on", "late"),
    [
        (None, 14, date(2026, 3, 1), "due", date(2026, 3, 1), 0),
        (date(2026, 3, 1), 14, date(2026, 3, 14), "upcoming", date(2026, 3, 15), 0),
        (date(2026, 3, 1), 14, date(2026, 3, 15), "due", date(2026, 3, 15), 0),
        (date(2026, 3, 1), 14, date(2026, 3, 18), "overdue", date(2026, 3, 15), 3),
        (date(2026, 2, 26), 7, date(2026, 3, 5), "due", date(2026, 3, 5), 0),
    ],
)
def test_due_status(last, interval, today, state, due_on, late):
    status = due_status(last, interval, today)
    assert (status.state, status.due_on, status.days_overdue) == (state, due_on, late)


@pytest.mark.parametrize("interval", [0, 366])
def test_due_status_rejects_bad_intervals(interval):
    with pytest.raises(ValueError, match="interval_days"):
        due_status(None, interval, date(2026, 1, 1))
