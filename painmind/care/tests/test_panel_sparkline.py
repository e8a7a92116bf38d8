"""The sparkline drawn in each panel row."""

from __future__ import annotations

from painmind.diary.charts import sparkline


def test_sparkline_is_one_path_with_dots_for_lone_days():
    # 7 days on a 0-10 scale: x = 3 + 106·i/6 → 3, 20.7, 38.3, 56, 73.7, 91.3, 109;
    # y = 3 + 22·(1 − v/10) → v 2: 20.6, v 4: 16.2, v 5: 14, v 10: 3, v 0: 25.
    svg = sparkline([2, 4, None, 5, None, 10, 0], lo=0, hi=10)
    assert svg == (
        '<svg class="spark" viewBox="0 0 112 28" width="112" height="28" aria-hidden="true">'
        '<path class="base" d="M3 25H109"/>'
        '<path d="M3 20.6L20.7 16.2M91.3 3L109 25"/>'
        '<circle cx="56" cy="14" r="1.8"/>'
        "</svg>"
    )
    # No day with data: only the zero line.
    assert sparkline([None] * 4, lo=0, hi=10).count("<path") == 1
