"""Server-drawn SVG charts (no JavaScript needed): questionnaire scores with band shading, daily
series with dated ticks, pain and mood on one chart, and the panel's sparklines.

Dates follow docs/care.md, "Dates": a tick is the day and month ("3 Mar"), a summary the full
date ("3 Mar 2025")."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from functools import cache
from html import escape

from django.utils.safestring import SafeString, mark_safe

from painmind.core.checkin import SCALE_BY_NAME
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
    # Without points nothing is placed on the time axis, so its ends are never read.
    first, last = (min(days), max(days)) if days else (date.min, date.min)
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
        parts.append(f'<text x="{PAD_L}" y="{HEIGHT - 6}" class="tick">{full_date(first)}</text>')
        parts.append(
            f'<text x="{WIDTH - PAD_R}" y="{HEIGHT - 6}" text-anchor="end" class="tick">{full_date(last)}</text>'
        )
    summary = (
        f"{instrument.title}: {len(points)} scores from {full_date(first)} to {full_date(last)}, "
        f"latest {points[-1][1]:g}"
        if points
        else f"{instrument.title}: no scores yet"
    )
    svg = (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-describedby="{escape(table_id)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(summary)}</title>{"".join(parts)}</svg>'
    )
    return mark_safe(svg)  # noqa: S308 - every interpolated text is escaped above


SPARK_W, SPARK_H, SPARK_PAD = 112, 28, 3


def segments(values: Sequence[float | None]) -> list[list[tuple[int, float]]]:
    """Runs of consecutive days with a value; a day without one breaks the line."""
    runs: list[list[tuple[int, float]]] = []
    current: list[tuple[int, float]] = []
    for i, v in enumerate(values):
        if v is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append((i, float(v)))
    if current:
        runs.append(current)
    return runs


def _num(value: float) -> str:
    """One decimal, without a trailing ".0" (coordinates: "3", "6.9")."""
    return f"{value:.1f}".removesuffix(".0")


@cache
def _spark_xs(n: int) -> tuple[str, ...]:
    inner_w = SPARK_W - 2 * SPARK_PAD
    return tuple(_num(SPARK_PAD + (inner_w * i / (n - 1) if n > 1 else inner_w / 2)) for i in range(n))


class _SparkPoints(dict[float, str]):
    """ "x y" of a value on one day of a sparkline, computed on first use and kept."""

    LIMIT = 512  # daily means take few distinct values; past this, compute without keeping

    def __init__(self, x: str, lo: float, hi: float) -> None:
        super().__init__()
        self.x, self.lo, self.hi = x, lo, hi

    def __missing__(self, value: float) -> str:
        span = (self.hi - self.lo) or 1.0
        y = SPARK_PAD + (SPARK_H - 2 * SPARK_PAD) * (1 - (min(max(value, self.lo), self.hi) - self.lo) / span)
        point = f"{self.x} {_num(y)}"
        if len(self) < self.LIMIT:
            self[value] = point
        return point


@cache
def _spark_points(n: int, lo: float, hi: float) -> tuple[_SparkPoints, ...]:
    """One memo of points per day of an n-day sparkline on the scale lo..hi."""
    return tuple(_SparkPoints(x, lo, hi) for x in _spark_xs(n))


_SPARK_BASE = f'<path class="base" d="M{SPARK_PAD} {SPARK_H - SPARK_PAD}H{SPARK_W - SPARK_PAD}"/>'


def sparkline(values: Sequence[float | None], *, lo: float, hi: float) -> SafeString:
    """A small inline SVG line of a daily series (one value per day, None for a gap).

    Days without a value leave a gap; a value with no neighbour is drawn as a dot. Decorative
    (``aria-hidden``): it is always drawn beside a sentence that says the same in words. Drawn
    twice for every row of the clinician panel (a thousand rows), so it is one ``<path>`` for
    all the line pieces, with coordinates memoised and at most one decimal.
    """
    points = _spark_points(len(values), lo, hi)
    lines: list[str] = []  # "M x y L x y x y …" pieces
    dots: list[str] = []
    run: list[str] = []
    for i, v in enumerate((*values, None)):  # the trailing None closes the last run
        if v is not None:
            run.append(points[i][v])
        elif len(run) == 1:
            cx, cy = run[0].split(" ")
            dots.append(f'<circle cx="{cx}" cy="{cy}" r="1.8"/>')
            run = []
        elif run:
            lines.append(f"M{run[0]}L{' '.join(run[1:])}")
            run = []
    line = f'<path d="{"".join(lines)}"/>' if lines else ""
    svg = (
        f'<svg class="spark" viewBox="0 0 {SPARK_W} {SPARK_H}" width="{SPARK_W}" height="{SPARK_H}" '
        f'aria-hidden="true">{_SPARK_BASE}{line}{"".join(dots)}</svg>'
    )
    return mark_safe(svg)  # noqa: S308 - numbers only


def frame(
    n: int, lo: float, hi: float, *, height: int = HEIGHT, colours: tuple[str, str] | None = None
) -> tuple[Callable[[float], float], Callable[[float], float], list[str]]:
    """A daily chart's scales and frame: x (day index 0..n-1 to px), y (value, clamped to lo..hi,
    to px) and the SVG of the plot box with three value ticks. Styled by the pages' CSS classes,
    or with `colours` (grid, text) as SVG attributes: WeasyPrint applies no page CSS inside an
    inline SVG (the one-page report)."""
    span = (hi - lo) or 1.0
    plot_w, plot_h = WIDTH - PAD_L - PAD_R, height - PAD_T - PAD_B

    def x(i: float) -> float:
        return PAD_L + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: float) -> float:
        return PAD_T + plot_h * (1 - (min(max(v, lo), hi) - lo) / span)

    grid, text = colours or ("", "")
    box = f'fill="#fff" stroke="{grid}"' if colours else 'class="plot"'
    line = f'stroke="{grid}"' if colours else 'class="grid"'
    label = f'font-size="11" fill="{text}"' if colours else 'class="tick"'
    parts = [f'<rect x="{PAD_L}" y="{PAD_T}" width="{plot_w}" height="{plot_h}" {box}/>']
    for tick in (lo, lo + span / 2, hi):
        parts.append(
            f'<line x1="{PAD_L}" x2="{WIDTH - PAD_R}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" {line}/>'
            f'<text x="{PAD_L - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" {label}>{tick:g}</text>'
        )
    return x, y, parts


def daily_chart(
    days: Sequence[date],
    values: Sequence[float | None],
    *,
    lo: float,
    hi: float,
    label: str,
    unit: str = "",
    table_id: str,
) -> SafeString:
    """An SVG line chart of a daily series over consecutive local dates, with gaps.

    ``days`` and ``values`` have the same length (one value per date, None where the patient
    did not check in). The chart points at the data table with ``aria-describedby``; its
    ``<title>`` summarises the series.
    """
    n = len(days)
    x, y, parts = frame(n, lo, hi)
    for run in segments(values):
        if len(run) == 1:
            i, v = run[0]
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="2.5" class="dot"/>')
        else:
            pts = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in run)
            parts.append(f'<polyline points="{pts}" class="line"/>')
    parts.extend(_date_ticks(days, x, top=PAD_T, bottom=HEIGHT - PAD_B))
    present = [v for v in values if v is not None]
    suffix = f" {unit}" if unit else ""
    low, high = (round(min(present), 1), round(max(present), 1)) if present else (0.0, 0.0)
    summary = (
        f"{label}: {len(present)} of {n} days with data, from {low:g}{suffix} to {high:g}{suffix}"
        if present
        else f"{label}: no data in these {n} days"
    )
    svg = (
        f'<svg class="chart daily" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-describedby="{escape(table_id)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(summary)}</title>{"".join(parts)}</svg>'
    )
    return mark_safe(svg)  # noqa: S308 - every interpolated text is escaped above


def tick_days(days: Sequence[date]) -> list[int]:
    """The indexes of `days` (consecutive local dates, oldest first) that get a dated tick.

    Weekly up to 35 days and fortnightly up to 120, counted back from the last day (today is
    always labelled); beyond that, the first day of each month. A project rule (docs/care.md):
    enough dates to read any point's day to within a few days, few enough not to collide.

    >>> tick_days([date(2025, 3, d) for d in range(1, 29)])
    [6, 13, 20, 27]
    """
    n = len(days)
    if n == 0:
        return []
    if n > 120:
        return [i for i, d in enumerate(days) if d.day == 1]
    step = 7 if n <= 35 else 14
    return list(range(n - 1, -1, -step))[::-1]


def day_month(d: date) -> str:
    """A tick's date: "3 Mar"."""
    return f"{d.day} {d:%b}"


def full_date(d: date) -> str:
    """A summary's date: "3 Mar 2025"."""
    return f"{d.day} {d:%b %Y}"


def _date_ticks(days: Sequence[date], x: Callable[[int], float], *, top: float, bottom: float) -> list[str]:
    out = []
    for i in tick_days(days):
        cx = x(i)
        # The last tick ends at the plot's right edge rather than running past it.
        anchor = "end" if i == len(days) - 1 and len(days) > 1 else "middle"
        out.append(
            f'<line x1="{cx:.1f}" x2="{cx:.1f}" y1="{top}" y2="{bottom}" class="grid"/>'
            f'<text x="{cx:.1f}" y="{bottom + 16}" text-anchor="{anchor}" class="tick">{day_month(days[i])}</text>'
        )
    return out


PM_HEIGHT, PM_PAD_L, PM_PAD_R, PM_PAD_T, PM_PAD_B = 240, 30, 30, 30, 28


def pain_mood_chart(
    days: Sequence[date], pain: Sequence[float | None], mood: Sequence[float | None], *, table_id: str
) -> SafeString:
    """Pain and mood, daily means on their 0–10 scales, as two lines on one chart.

    Pain is drawn solid against the left axis, mood dashed against the right; each axis is
    labelled above it with its direction of "better" (core/checkin.py anchors: pain 0 is "no
    pain", mood 10 "very good"), because the two run in opposite directions. Dated ticks
    (`tick_days`); gaps where the patient did not check in. The chart points at the data table
    (`table_id`) with ``aria-describedby``; its ``<title>`` summarises both series.
    """
    pain_scale, mood_scale = SCALE_BY_NAME["pain"], SCALE_BY_NAME["mood"]
    n = len(days)
    plot_w, plot_h = WIDTH - PM_PAD_L - PM_PAD_R, PM_HEIGHT - PM_PAD_T - PM_PAD_B
    bottom = PM_HEIGHT - PM_PAD_B

    def x(i: int) -> float:
        return PM_PAD_L + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: float, lo: float, hi: float) -> float:
        return PM_PAD_T + plot_h * (1 - (min(max(v, lo), hi) - lo) / ((hi - lo) or 1.0))

    parts = [f'<rect x="{PM_PAD_L}" y="{PM_PAD_T}" width="{plot_w}" height="{plot_h}" class="plot"/>']
    for frac in (0.0, 0.5, 1.0):
        left = pain_scale.lo + frac * (pain_scale.hi - pain_scale.lo)
        right = mood_scale.lo + frac * (mood_scale.hi - mood_scale.lo)
        cy = y(left, pain_scale.lo, pain_scale.hi)
        parts.append(
            f'<line x1="{PM_PAD_L}" x2="{WIDTH - PM_PAD_R}" y1="{cy:.1f}" y2="{cy:.1f}" class="grid"/>'
            f'<text x="{PM_PAD_L - 6}" y="{cy + 4:.1f}" text-anchor="end" class="tick pain">{left:g}</text>'
            f'<text x="{WIDTH - PM_PAD_R + 6}" y="{cy + 4:.1f}" class="tick mood">{right:g}</text>'
        )
    parts.extend(_date_ticks(days, x, top=PM_PAD_T, bottom=bottom))
    for values, scale, css in ((pain, pain_scale, "pain"), (mood, mood_scale, "mood")):
        for run in segments(values):
            if len(run) == 1:
                i, v = run[0]
                parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v, scale.lo, scale.hi):.1f}" r="3" class="dot {css}"/>')
            else:
                pts = " ".join(f"{x(i):.1f},{y(v, scale.lo, scale.hi):.1f}" for i, v in run)
                parts.append(f'<polyline points="{pts}" class="line {css}"/>')
    # The axis labels, each above its own axis, with its key line.
    parts.append(
        f'<line x1="{PM_PAD_L}" x2="{PM_PAD_L + 22}" y1="12" y2="12" class="line pain"/>'
        f'<text x="{PM_PAD_L + 28}" y="16" class="axis-label pain">Pain 0–10 (left axis): lower is better</text>'
        f'<line x1="{WIDTH - PM_PAD_R - 22}" x2="{WIDTH - PM_PAD_R}" y1="12" y2="12" class="line mood"/>'
        f'<text x="{WIDTH - PM_PAD_R - 28}" y="16" text-anchor="end" class="axis-label mood">'
        "Mood 0–10 (right axis): higher is better</text>"
    )
    summary = f"Pain and mood, daily means, {full_date(days[0])} to {full_date(days[-1])}: " if days else ""
    summary += "; ".join(_series_summary(name, values, n) for name, values in (("pain", pain), ("mood", mood)))
    svg = (
        f'<svg class="chart daily pain-mood" viewBox="0 0 {WIDTH} {PM_HEIGHT}" role="img" '
        f'aria-describedby="{escape(table_id)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(summary)}</title>{''.join(parts)}</svg>"
    )
    return mark_safe(svg)  # noqa: S308 - every interpolated text is escaped above or fixed


def _series_summary(name: str, values: Sequence[float | None], n: int) -> str:
    present = [v for v in values if v is not None]
    if not present:
        return f"{name}: no data in these {n} days"
    return f"{name} {len(present)} of {n} days, from {round(min(present), 1):g} to {round(max(present), 1):g}"
