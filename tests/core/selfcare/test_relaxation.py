"""Relaxation rules (clinical-reference §9.4), against hand-computed values."""

from __future__ import annotations

from decimal import Decimal

import pytest

from painmind.core.selfcare.relaxation import SessionError, clean_session, muscle_minutes, pace, usual_change


def test_default_pace_is_the_reference_example_4_in_6_out():
    p = pace()
    assert (p.rate, p.breath_seconds, p.inhale_seconds, p.exhale_seconds) == tuple(Decimal(x) for x in (6, 10, 4, 6))
    assert p.css_class == "pace-6"


def test_slowest_and_fastest_offered_paces():
    slow = pace("4.5")  # 60 / 4.5 = 13.33 s: 5.33 in, 8.0 out
    assert (slow.breath_seconds, slow.inhale_seconds, slow.exhale_seconds) == (
        Decimal("13.3"),
        Decimal("5.3"),
        Decimal("8.0"),
    )
    assert slow.css_class == "pace-4-5"
    fast = pace(7)  # 60 / 7 = 8.571 s: 3.43 in, 5.14 out
    assert (fast.breath_seconds, fast.inhale_seconds, fast.exhale_seconds) == (
        Decimal("8.6"),
        Decimal("3.4"),
        Decimal("5.1"),
    )


@pytest.mark.parametrize("rate", ["4", "7.5", "12", "6.2"])
def test_rates_outside_the_offered_range_are_refused(rate):
    with pytest.raises(ValueError, match="rate must be one of"):
        pace(rate)


def test_muscle_round_lengths():
    assert muscle_minutes(4) == 3  # 4 × (6 + 35) s = 164 s
    assert muscle_minutes(7) == 5  # 7 × 41 s = 287 s


def test_usual_change_is_the_median_over_sessions_rated_both_times():
    c = usual_change([(6, 4), (5, 5), (7, 3), (None, 2), (8, None)], "tension")
    assert (c.median, c.n) == (-2.0, 3)  # changes −2, 0, −4
    assert usual_change([], "pain").n == 0


def test_clean_session_names_every_bad_field():
    with pytest.raises(SessionError) as exc:
        clean_session({"kind": "yoga", "minutes": 0, "before": {"tension": 11}, "after": {}})
    assert set(exc.value.errors) == {"kind", "minutes", "before.tension", "after"}
    good = clean_session({"kind": "breathing", "minutes": 2, "before": {"tension": 6}, "after": {"tension": 3}})
    assert good["rate"] == 6
    assert (good["tension_before"], good["tension_after"], good["pain_before"]) == (6, 3, None)
