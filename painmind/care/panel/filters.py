"""Sorting and filtering the panel's rows, and reading those options from a query string."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, Final

from painmind.care.panel.rows import PANEL_INSTRUMENTS, SORT_KEYS, PanelFilters, PanelRow


def keep(row: PanelRow, filters: PanelFilters) -> bool:
    """Whether a row passes the filters (alerts, silent, review due, name or email search)."""
    if filters.only_alerts and not row.n_open_alerts:
        return False
    if filters.only_silent and not row.is_silent:
        return False
    if filters.only_review_due and not row.review_due:
        return False
    if filters.only_med_risk and not row.med_risks:
        return False
    q = filters.q.strip().casefold()
    return not q or q in row.name.casefold() or q in row.patient.email.casefold()


_FAR: Final[int] = 10**9  # sorts a missing value after every real one


RowKey = Callable[[PanelRow], Any]


def sort_key(sort: str) -> RowKey:
    """The key that orders rows for one of `SORT_KEYS` (alerts first by default)."""

    def name(r: PanelRow) -> tuple[str, int]:
        return (r.name.casefold(), r.patient.pk)

    def silence(r: PanelRow) -> int:
        # Never checked in counts as the longest silence.
        days = r.days_since_checkin
        return _FAR if days is None else days

    def score(instrument: str) -> RowKey:
        def key(r: PanelRow) -> tuple[int, float, tuple[str, int]]:
            cell = r.scores.get(instrument)
            return (cell is None, -(cell.total if cell else 0.0), name(r))

        return key

    if sort == "name":
        return name
    if sort == "checkin":
        return lambda r: (-silence(r), name(r))
    if sort in PANEL_INSTRUMENTS:
        return score(sort)
    if sort == "review":
        return lambda r: (r.next_review_on is None, r.next_review_on or date.max, name(r))
    # An acute-positive follow-up screen first of all (docs/safety.md), then critical, warnings.
    return lambda r: (-r.n_acute, -r.n_critical, -r.n_warning, -silence(r), name(r))


def parse_filters(params: Mapping[str, str]) -> tuple[PanelFilters, dict[str, list[str]]]:
    """Filters from query parameters; unknown values are reported by field and ignored."""
    errors: dict[str, list[str]] = {}
    sort = params.get("sort", "") or "alerts"
    if sort not in SORT_KEYS:
        errors["sort"] = [f"must be one of {', '.join(SORT_KEYS)}"]
        sort = "alerts"
    flags = {}
    for key in ("alerts", "silent", "review", "meds"):
        raw = params.get(key, "")
        if raw not in ("", "0", "1", "on"):
            errors[key] = ["must be 1 or left out"]
        flags[key] = raw in ("1", "on")
    q = params.get("q", "").strip()
    if len(q) > 100:
        errors["q"] = ["must be at most 100 characters"]
        q = q[:100]
    filters = PanelFilters(
        sort=sort,  # type: ignore[arg-type]
        only_alerts=flags["alerts"],
        only_silent=flags["silent"],
        only_review_due=flags["review"],
        only_med_risk=flags["meds"],
        q=q,
    )
    return filters, errors
