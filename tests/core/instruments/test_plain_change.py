"""The one-sentence change on a score row (issue 16), from hand-written stored changes."""

from __future__ import annotations

import pytest

from painmind.core.instruments import plain_change

SINCE = "3 Mar 2025"


@pytest.mark.parametrize(
    ("change", "higher_is_worse", "expected"),
    [
        (
            {"delta": -7.0, "reliable": "reliable_improvement"},
            True,
            "PHQ-9 fell by 7 points since 3 Mar 2025 — more than measurement error, so reliably better",
        ),
        (
            {"delta": 8.0, "reliable": "reliable_worsening"},
            True,
            "PHQ-9 rose by 8 points since 3 Mar 2025 — more than measurement error, so reliably worse",
        ),
        (
            {"delta": 1.0, "reliable": "no_reliable_change"},
            True,
            "PHQ-9 rose by 1 point since 3 Mar 2025 — within measurement error",
        ),
        (
            {"delta": -2.5, "reliable": "no_reliable_change"},
            True,
            "PHQ-9 fell by 2.5 points since 3 Mar 2025 — within measurement error",
        ),
        ({"delta": 0.0, "reliable": "no_reliable_change"}, True, "PHQ-9 unchanged since 3 Mar 2025"),
        (
            {"delta": 2.0, "reliable": None},
            True,
            "PHQ-9 rose by 2 points since 3 Mar 2025 (no measurement-error threshold is set for this measure)",
        ),
        # A measure where a higher score is better: a reliable rise is an improvement.
        (
            {"delta": 12.0, "reliable": "reliable_improvement"},
            False,
            "PHQ-9 rose by 12 points since 3 Mar 2025 — more than measurement error, so reliably better",
        ),
        ({"reliable": "no_reliable_change"}, True, ""),  # nothing stored to say
        ({"delta": True}, True, ""),
    ],
)
def test_plain_change(change, higher_is_worse, expected):
    assert plain_change("PHQ-9", change, since=SINCE, higher_is_worse=higher_is_worse) == expected
