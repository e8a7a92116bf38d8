"""The local calendar date of a check-in follows the patient's zone, across DST changes."""

from __future__ import annotations

import pytest

# Europe/London: BST (UTC+1) ends 2026-10-25 01:00 UTC and starts 2026-03-29 01:00 UTC.
# America/New_York: EDT (UTC-4) starts 2026-03-08 07:00 UTC. Australia/Sydney: UTC+11 in March.
CASES = [
    ("Europe/London", "2026-10-24T22:59:00Z", "2026-10-24"),  # 23:59 BST
    ("Europe/London", "2026-10-24T23:30:00Z", "2026-10-25"),  # 00:30 BST: already the 25th
    ("Europe/London", "2026-10-25T23:30:00Z", "2026-10-25"),  # 23:30 GMT: a fixed +1 would say the 26th
    ("Europe/London", "2026-03-28T23:30:00Z", "2026-03-28"),  # 23:30 GMT
    ("Europe/London", "2026-03-29T23:30:00Z", "2026-03-30"),  # 00:30 BST the next day
    ("America/New_York", "2026-03-08T04:30:00Z", "2026-03-07"),  # 23:30 EST
    ("America/New_York", "2026-03-09T03:30:00Z", "2026-03-08"),  # 23:30 EDT
    ("Australia/Sydney", "2026-03-01T13:30:00Z", "2026-03-02"),  # 00:30 AEDT
    ("UTC", "2026-03-01T23:59:59Z", "2026-03-01"),
]


@pytest.mark.parametrize(("zone", "instant", "expected"), CASES)
def test_local_date_via_api(client, pat, token_for, zone, instant, expected):
    pat.time_zone = zone
    pat.save()
    r = client.post(
        "/api/v1/checkins",
        {"pain": 3, "mood": 5, "recorded_at": instant},
        content_type="application/json",
        headers=token_for(pat),
    )
    assert r.status_code == 201, r.content
    assert r.json()["local_on"] == expected


def test_offset_in_the_request_does_not_change_the_instant(client, pat, token_for):
    # 20:30 at UTC-05:00 is 01:30 UTC next day, which is 2026-01-16 in London (GMT).
    r = client.post(
        "/api/v1/checkins",
        {"pain": 3, "mood": 5, "recorded_at": "2026-01-15T20:30:00-05:00"},
        content_type="application/json",
        headers=token_for(pat),
    )
    assert r.json()["local_on"] == "2026-01-16"
    assert r.json()["recorded_at"].startswith("2026-01-16T01:30:00")
