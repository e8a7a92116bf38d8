"""Server-drawn SVG charts of questionnaire scores, with band shading (no JavaScript needed)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from django.utils.safestring import SafeString, mark_safe

from painmind.core.instruments import Instrument

WIDTH, HEIGHT, PAD_L, PAD_R, PAD_T, PAD_B = 640, 220, 36, 12, 10, 26
# Light to dark as bands get worse; the text table beside the chart carries the same facts.
SHADES = ("#eef6ee", "#f7f4e2", "#fbeedd", "#f9e2d8", "#f4d3d3", "#eddede")


def score_chart(instrument: Instrument, points: Sequence[tuple[date, float]], *, table_id: str) -> SafeString:
    """An SVG line chart of (date, score) with the instrument's bands shaded.

    The chart is decorative for screen readers (``aria-describedby`` points at the text table
    with the same numbers); the <title> gives a one-line summary.
    """
    points = sorted(points)
    lo, hi = instrument.score_min, instrument.score_max
    span = (hi - lo) or 1.0

    def y(value: float) -> float:
        return PAD_T + (HEIGHT - PAD_T - PAD_B) * (1 - (value - lo) / span)

    days = [d for d, _ in points]
    first, last = (min(days), max(days)) if days else (date.today(), date.today())
    n_days = max((last - first).days, 1)

    def x(day: date) -> float:
        return PAD_L + (WIDTH - PAD_L - PAD_R) * ((day - first).days / n_days if len(points) > 1 else 0.5)

    parts = []
    ordered = (
        sorted(instrument.bands, key=lambda b: b.lo)
        if instrument.higher_is_worse
        else sorted(instrument.bands, key=lambda b: -b.lo)
    )
    for i, band in enumerate(ordered):
        top, bottom = y(min(band.hi + (0 if band.hi == hi else 1), hi)), y(band.lo)
        shade = SHADES[min(i, len(SHADES) - 1)]
        width = WIDTH - PAD_L - PAD_R
        parts.append(
            f'<rect x="{PAD_L}" y="{top:.1f}" width="{width}" height="{bottom - top:.1f}" fill="{shade}"/>'
            f'<text x="{WIDTH - PAD_R - 4}" y="{bottom - 4:.1f}" text-anchor="end" class="band-label">'
            f"{escape(band.text)}</text>"
        )
    for tick in {lo, hi, *(b.lo for b in instrument.bands)}:
        parts.append(f'<text x="{PAD_L - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" class="tick">{tick:g}</text>')
    coords = [(x(d), y(v)) for d, v in points]
    if len(coords) > 1:
        path = " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy in coords)
        parts.append(f'<polyline points="{path}" fill="none" stroke="#1f5fa8" stroke-width="2"/>')
    parts.extend(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4" fill="#1f5fa8"/>' for cx, cy in coords)
    if days:
        parts.append(f'<text x="{PAD_L}" y="{HEIGHT - 6}" class="tick">{first:%d %b %Y}</text>')
        parts.append(
            f'<text x="{WIDTH - PAD_R}" y="{HEIGHT - 6}" text-anchor="end" class="tick">{last:%d %b %Y}</text>'
        )
    summary = (
        f"{instrument.title}: {len(points)} scores from {first:%d %b %Y} to {last:%d %b %Y}, latest {points[-1][1]:g}"
        if points
        else f"{instrument.title}: no scores yet"
    )
    svg = (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-describedby="{escape(table_id)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(summary)}</title>{"".join(parts)}</svg>'
    )
    return mark_safe(svg)  # noqa: S308 - every interpolated text is escaped above
