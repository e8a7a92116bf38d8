"""The report's one chart: daily pain and mood over the period, with their 28-day means.

Drawn the way `painmind.diary.charts.daily_chart` draws the pages' daily charts (same frame,
scale, gaps and date ticks), with the two series on one 0–10 axis and each window's mean as a
dashed step. Colours and strokes are SVG attributes, not page CSS, so WeasyPrint draws the
chart as a browser does (WeasyPrint applies no document stylesheet inside inline SVG).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from django.utils.safestring import SafeString, mark_safe

from painmind.core.daily import Window
from painmind.diary.charts import PAD_L, PAD_R, WIDTH, frame, segments

HEIGHT = 150  # shorter than the pages' 220: the chart shares one page with everything else
GRID, TEXT = "#d5d9de", "#444"


@dataclass(frozen=True)
class Line:
    label: str
    values: Sequence[float | None]  # one per day of the period, None for a day without data
    windows: list[Window]
    colour: str
    dash: str = ""  # the daily line's dash pattern ("" solid), so print in grey still tells them apart


def pain_mood_chart(days: Sequence[date], lines: Sequence[Line], *, lo: float, hi: float, table_id: str) -> SafeString:
    """An SVG of daily series (consecutive local dates, gaps left open) and their window means.

    ``aria-describedby`` points at the report's text summary of the same means (`table_id`).
    """
    n = len(days)
    x, y, parts = frame(n, lo, hi, height=HEIGHT, colours=(GRID, TEXT))
    index = {d: i for i, d in enumerate(days)}
    for line in lines:
        dash = f' stroke-dasharray="{line.dash}"' if line.dash else ""
        for run in segments(line.values):
            if len(run) == 1:
                i, v = run[0]
                parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="1.8" fill="{line.colour}"/>')
            else:
                pts = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in run)
                parts.append(
                    f'<polyline points="{pts}" fill="none" stroke="{line.colour}" stroke-width="1"'
                    f' stroke-opacity="0.55"{dash}/>'
                )
        for w in line.windows:
            if w.mean is None or w.first not in index or w.last not in index:
                continue
            x1, x2, yy = x(index[w.first] - 0.5 if index[w.first] else 0), x(index[w.last]), y(w.mean)
            parts.append(
                f'<line x1="{x1:.1f}" x2="{x2:.1f}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="{line.colour}"'
                f' stroke-width="3"/>'
            )
    if days:
        parts.append(
            f'<text x="{PAD_L}" y="{HEIGHT - 6}" font-size="11" fill="{TEXT}">{days[0].day} {days[0]:%b %Y}</text>'
        )
        parts.append(
            f'<text x="{WIDTH - PAD_R}" y="{HEIGHT - 6}" text-anchor="end" font-size="11" fill="{TEXT}">'
            f"{days[-1].day} {days[-1]:%b %Y}</text>"
        )
    summary = "; ".join(
        f"{line.label}: {sum(v is not None for v in line.values)} of {n} days with data" for line in lines
    )
    svg = (
        f'<svg class="chart report-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-describedby="{escape(table_id)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(summary)}</title>{''.join(parts)}</svg>"
    )
    return mark_safe(svg)  # noqa: S308 - every interpolated text is escaped above
