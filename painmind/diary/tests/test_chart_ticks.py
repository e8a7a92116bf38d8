"""Dated ticks on the daily charts (docs/care.md): weekly over a month, fortnightly up to 120
days, counted back from the last day; monthly beyond. Expected indexes worked out by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from painmind.diary.charts import day_month, full_date, tick_days


def span(first: date, n: int) -> list[date]:
    return [first + timedelta(days=i) for i in range(n)]


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, []),
        (1, [0]),
        (7, [6]),
        (8, [0, 7]),
        (28, [6, 13, 20, 27]),
        (35, [6, 13, 20, 27, 34]),
        (36, [7, 21, 35]),  # fortnightly from 36 days
        (90, [5, 19, 33, 47, 61, 75, 89]),
    ],
)
def test_weekly_then_fortnightly_ticks_end_on_the_last_day(n, expected):
    assert tick_days(span(date(2025, 3, 1), n)) == expected


def test_a_year_is_ticked_on_the_first_of_each_month():
    days = span(date(2025, 1, 15), 365)  # 15 Jan 2025 .. 14 Jan 2026
    ticks = [days[i] for i in tick_days(days)]
    assert ticks == [date(2025, m, 1) for m in range(2, 13)] + [date(2026, 1, 1)]
    assert tick_days(days)[0] == 17  # 1 Feb is 17 days after 15 Jan


def test_tick_and_summary_dates_have_no_leading_zero():
    assert day_month(date(2025, 3, 3)) == "3 Mar"
    assert full_date(date(2025, 3, 3)) == "3 Mar 2025"
