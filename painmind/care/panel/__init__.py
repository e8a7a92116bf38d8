"""The clinician panel: one row per consenting patient, built with a fixed number of queries.

- `queries`: `get_panel_for_user`, the permission-checked read behind the page (four queries,
  whatever the number of patients);
- `rows`: the row and panel dataclasses and the panel's constants;
- `filters`: sorting, filtering and reading them from the query string;
- `html`: the table rows as HTML, written in Python for speed (docs/panel.md).
"""

from painmind.care.panel.filters import keep, parse_filters, sort_key
from painmind.care.panel.html import render_rows
from painmind.care.panel.queries import get_panel_for_user
from painmind.care.panel.rows import (
    PANEL_INSTRUMENTS,
    SILENT_DAYS,
    SORT_KEYS,
    TREND_DAYS,
    Panel,
    PanelFilters,
    PanelRow,
    ScoreCell,
    Trend,
    instrument_short_name,
)

__all__ = [
    "PANEL_INSTRUMENTS",
    "SILENT_DAYS",
    "SORT_KEYS",
    "TREND_DAYS",
    "Panel",
    "PanelFilters",
    "PanelRow",
    "ScoreCell",
    "Trend",
    "get_panel_for_user",
    "instrument_short_name",
    "keep",
    "parse_filters",
    "render_rows",
    "sort_key",
]
