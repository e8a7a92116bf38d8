"""The one definition of a day's value: the mean of that day's check-ins that recorded it."""

from __future__ import annotations

from datetime import date

import pytest

from painmind.core.daily import daily_means

D1, D2, D3 = date(2027, 1, 1), date(2027, 1, 2), date(2027, 1, 3)


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([], {}),  # empty
        ([(D1, None), (D2, None)], {}),  # all missing: no day has a value
        ([(D2, 4)], {D2: 4.0}),  # one row
        # several a day: each day weighs once, in date order whatever the input order
        ([(D3, 6), (D1, 8), (D3, 8)], {D1: 8.0, D3: 7.0}),
        # a blank answer is left out, not counted as 0: (5 + 6) / 2, not (5 + 6 + 0) / 3
        ([(D1, 5), (D1, None), (D1, 6)], {D1: 5.5}),
        ([(D1, 3), (D1, 3), (D1, 3)], {D1: 3.0}),  # constant
        ([(D1, 0.5), (D1, 0.25), (D1, 0.125)], {D1: 0.875 / 3}),  # hours: not rounded
    ],
)
def test_daily_means(rows, expected):
    got = daily_means(rows)
    assert got == pytest.approx(expected)
    assert list(got) == sorted(expected)  # oldest first
