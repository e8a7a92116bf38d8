"""The panel's table rows, written in Python rather than in the template language.

A thousand rows with a dozen cells each cost well over a second in Django templates (every
variable lookup and filter call is interpreted); plain string formatting with `html.escape`
does the same in a few milliseconds, which keeps the panel inside its 200 ms budget
(docs/benchmarks.md). The markup is the one `care/panel.html` documents around it; every piece
of text that comes from the database is escaped here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from html import escape
from typing import Any

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from painmind.care.panel.medication import medication_cell
from painmind.care.panel.rows import PANEL_INSTRUMENTS, PanelRow, ScoreCell, instrument_short_name

_ARROW_CLASS = {"reliably worse": "reliably-worse", "reliably better": "reliably-better"}


class _Memo(dict[Any, str]):
    """A function's results by argument, for one render: the texts and dates repeat across rows
    (a few band descriptions and change sentences, a few dozen dates)."""

    def __init__(self, fn: Callable[[Any], str]) -> None:
        super().__init__()
        self.fn = fn

    def __missing__(self, key: Any) -> str:
        value = self[key] = self.fn(key)
        return value


def _day_month(d: date) -> str:
    return f"{d.day} {d:%b}"


def _day_month_year(d: date) -> str:
    return f"{d.day} {d:%b %Y}"


class _Cells:
    """The cells of a row, with escaping and date formatting memoised for one render."""

    def __init__(self) -> None:
        self.esc = _Memo(escape)
        self.day_month = _Memo(_day_month)
        self.day_month_year = _Memo(_day_month_year)

    def score(self, short: str, c: ScoreCell | None) -> str:
        label = self.esc[short]
        if c is None:
            return f'<td class="score" data-label="{label}"><span class="muted">none</span></td>'
        total = f"{c.total:.1f}".removesuffix(".0")
        band = f' <span class="band" title="{self.esc[c.band_text]}">{self.esc[c.band]}</span>' if c.band else ""
        arrow = ""
        if c.arrow:
            css = _ARROW_CLASS.get(c.change, "no-reliable-change")
            arrow = (
                f' <span class="arrow {css}" title="{self.esc[c.change_text]}" aria-hidden="true">{c.arrow}</span>'
                f'<span class="sr-only">{c.change}</span>'
            )
        return (
            f'<td class="score" data-label="{label}"><strong>{total}</strong>{band}{arrow}'
            f'<br><span class="muted small">{self.day_month[c.local_on]}</span></td>'
        )

    @staticmethod
    def checkin(r: PanelRow) -> str:
        d = r.days_since_checkin
        text = "never" if d is None else "today" if d == 0 else "1 day ago" if d == 1 else f"{d} days ago"
        return f'<td data-label="Last check-in" class="{"silent" if r.is_silent else ""}">{text}</td>'

    def alerts(self, r: PanelRow) -> str:
        parts = []
        if r.n_acute:
            parts.append('<span class="sev-count critical">acute positive screen</span> ')
        if r.n_critical:
            parts.append(f'<span class="sev-count critical">{r.n_critical} critical</span> ')
        if r.n_overdue:
            parts.append(f'<span class="sev-count overdue">{r.n_overdue} overdue</span> ')
        if r.n_warning:
            plural = "" if r.n_warning == 1 else "s"
            parts.append(f'<span class="sev-count warning">{r.n_warning} warning{plural}</span>')
        if r.newest_alert_title:
            title = r.newest_alert_title if len(r.newest_alert_title) <= 90 else r.newest_alert_title[:89] + "…"
            parts.append(f'<br><span class="small">{self.esc[title]}</span>')
        else:
            parts.append('<span class="muted">none</span>')
        return f'<td data-label="Open alerts">{"".join(parts)}</td>'

    def review(self, r: PanelRow) -> str:
        if r.next_review_on is None:
            return '<td data-label="Next review"><span class="muted">none</span></td>'
        css = "due overdue" if r.review_overdue else "due" if r.review_due else ""
        note = " (overdue)" if r.review_overdue else " (today)" if r.review_due else ""
        when = self.day_month_year[r.next_review_on]
        return f'<td data-label="Next review"><span class="{css}">{when}{note}</span></td>'


def render_rows(rows: Sequence[PanelRow]) -> SafeString:
    """The <tr> elements of the panel table, one per row, in order."""
    link = reverse("care:patient_detail", args=[987654321]).replace("987654321", "{}")
    cells = _Cells()
    columns = [(i, instrument_short_name(i)) for i in PANEL_INSTRUMENTS]
    out = []
    for r in rows:
        css = ' class="has-critical"' if r.n_critical else ' class="has-warning"' if r.n_warning else ""
        scores = "".join([cells.score(short, r.scores.get(i)) for i, short in columns])
        out.append(
            f'<tr id="patient-{r.patient.pk}"{css}>'
            f'<th scope="row" class="who"><a href="{link.format(r.patient.pk)}">{escape(r.name)}</a></th>'
            f"{scores}"
            f'<td class="trend" data-label="Pain">{r.pain.svg}<span class="trend-text small">{r.pain.text}</span></td>'
            f'<td class="trend" data-label="Mood">{r.mood.svg}<span class="trend-text small">{r.mood.text}</span></td>'
            f"{cells.checkin(r)}{cells.alerts(r)}{medication_cell(r)}{cells.review(r)}</tr>\n"
        )
    return mark_safe("".join(out))  # noqa: S308 - database text is escaped above
