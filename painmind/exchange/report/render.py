"""The report as HTML (the printable page) and as a one-page PDF (WeasyPrint), from one template.

One page, always: lists are cut to a few rows with "and N more" (the PainMind pages hold the
rest); if a page still overflows (very long goal or medicine names), it is drawn again with
shorter lists, then shorter still. The PDF reads only PainMind's own files: the stylesheet and
the fonts under `painmind/static/painmind/` (`_local_fetcher` refuses any other URL, so rendering
never touches the network).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, TypeVar

from django.conf import settings
from django.template.loader import render_to_string

from painmind.exchange.report.content import PERIODS, Report

log = logging.getLogger(__name__)
T = TypeVar("T")

STATIC_DIR: Final = Path(__file__).resolve().parents[2] / "static" / "painmind"
CSS_FILE: Final = STATIC_DIR / "report.css"
TEMPLATE: Final = "exchange/report.html"


@dataclass(frozen=True)
class Limits:
    """At most this many rows of each list (the rest is counted, "and N more")."""

    alerts: int
    medicines: int
    hits: int
    goals: int
    cycle: int
    text: int  # characters of one free-text field (goal, medicine or alert title)


# PROJECT RULE: the fullest layout first; each next one is tried only when the page overflowed.
LEVELS: Final[tuple[Limits, ...]] = (
    Limits(alerts=5, medicines=8, hits=4, goals=5, cycle=4, text=90),
    Limits(alerts=3, medicines=5, hits=2, goals=3, cycle=2, text=60),
    Limits(alerts=2, medicines=3, hits=1, goals=2, cycle=2, text=40),
)


@dataclass(frozen=True)
class Cut:
    items: list[Any]
    more: int


def _cut(items: Sequence[T], n: int) -> Cut:
    return Cut(list(items[:n]), max(len(items) - n, 0))


def report_context(report: Report, *, limits: Limits = LEVELS[0], for_pdf: bool = False) -> dict[str, Any]:
    """The template's context: the report, its lists cut to `limits`, and the paper."""
    return {
        "r": report,
        "alerts": _cut(report.alerts, limits.alerts),
        "medicines": _cut(report.meds.rows, limits.medicines),
        "hits": _cut(report.meds.hits, limits.hits),
        "goals": _cut(report.goals, limits.goals),
        "cycle": _cut(report.cycle.sentences, limits.cycle),
        "text_max": limits.text,
        "paper": settings.REPORT_PAPER,
        "for_pdf": for_pdf,
        "periods": PERIODS,
    }


def render_html(report: Report) -> str:
    """The printable page (the browser's print stylesheet gives the same one page)."""
    return render_to_string(TEMPLATE, report_context(report))


def _local_fetcher() -> Any:
    """A WeasyPrint URL fetcher that opens files under STATIC_DIR and refuses everything else."""
    from urllib.parse import unquote, urlsplit

    from weasyprint import URLFetcher

    class LocalOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            if parts.scheme != "file" or not Path(unquote(parts.path)).resolve().is_relative_to(STATIC_DIR):
                raise ValueError(f"the report loads only PainMind's own files, not {url}")
            return super().fetch(url, headers)

    return LocalOnly(allowed_protocols={"file"})


def render_pdf(report: Report) -> bytes:
    """The report as a one-page PDF on the site's paper (PAINMIND_REPORT_PAPER)."""
    from weasyprint import CSS, HTML  # imported here: only the report pays its start-up cost
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    fetcher = _local_fetcher()
    stylesheet = CSS(filename=str(CSS_FILE), url_fetcher=fetcher, font_config=fonts)
    document = None
    for limits in LEVELS:
        html = render_to_string(TEMPLATE, report_context(report, limits=limits, for_pdf=True))
        document = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=fetcher).render(
            stylesheets=[stylesheet], font_config=fonts
        )
        if len(document.pages) == 1:
            return bytes(document.write_pdf())
    assert document is not None  # LEVELS is not empty
    # Not reached with the limits above (the shortest layout bounds every list and text); kept
    # so a download never fails: the first page, and a line in the log (no clinical content).
    log.warning("report for patient %s overflowed one page at every level", report.patient.pk)
    return bytes(document.copy(document.pages[:1]).write_pdf())
