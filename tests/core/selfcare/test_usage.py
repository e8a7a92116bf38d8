"""Tool usage for the clinician's summary and the care-plan ties: hand-counted vectors."""

from __future__ import annotations

from datetime import date

from painmind.core.selfcare.usage import Usage, usage, uses_this_week

TODAY = date(2026, 3, 18)  # a Wednesday


def test_the_window_is_today_and_the_27_days_before():
    days = [date(2026, 2, 18), date(2026, 2, 19), date(2026, 3, 1), date(2026, 3, 18), date(2026, 3, 18)]
    # 18 Feb is 28 days back (outside); 19 Feb is the window's first day.
    assert usage(days, TODAY) == Usage(4, date(2026, 3, 18))


def test_never_used_and_only_old_use():
    assert usage([], TODAY) == Usage(0, None)
    assert usage([date(2025, 1, 1)], TODAY) == Usage(0, date(2025, 1, 1))


def test_future_days_are_not_uses():
    assert usage([date(2026, 3, 19)], TODAY) == Usage(0, None)


def test_this_week_is_monday_to_today():
    days = [date(2026, 3, 15), date(2026, 3, 16), date(2026, 3, 18), date(2026, 3, 19)]
    assert uses_this_week(days, TODAY) == 2  # Mon 16 and Wed 18; Sun 15 is last week, Thu 19 ahead
