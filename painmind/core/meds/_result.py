"""The result of a medicine-list check: one row per item, the rule hits, the MME total."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from painmind.core.meds._items import Item
from painmind.core.meds._model import Medicine

__all__ = ["SEVERITY_RANK", "Check", "Entry", "Hit", "Row", "Status"]

# Most severe first; R5b "contraindicated" sorts with criticals (issue 12). "info" is the project's
# severity for R6/R7, which the reference gives none (docs/meds.md).
SEVERITY_RANK: dict[str, int] = {"contraindicated": 4, "high": 3, "moderate-high": 2, "moderate": 1, "info": 0}
Status = Literal["current", "stopped", "not_started"]


@dataclass(frozen=True)
class Row:
    """One item's line in the result.

    ``daily_dose`` is in ``unit``: ``"mg/day"`` (as-needed items at their prescribed maximum), or
    ``"mcg/hr"`` for patches. ``mme`` is None with a ``reason`` when the item does not count
    (stopped, not started, not an opioid, no factor, buprenorphine, unknown medicine).
    ``mme_logged`` is the MME/day at the logged as-needed use (scheduled items: as prescribed).
    """

    drug: str
    generic: str | None
    classes: tuple[str, ...]
    daily_dose: float
    unit: str
    factor: float | None
    mme: float | None
    reason: str | None
    status: Status = "current"
    as_needed: bool = False
    mme_logged: float | None = None
    unverified: bool = False


@dataclass(frozen=True)
class Hit:
    """A rule that fires: its id exactly as in clinical-reference §2.5, severity, basis and drugs.

    ``unverified`` is True when the rule or a class membership it relies on is marked ⚠ in the
    reference; ``note`` then says what is unverified (when the rule itself is).
    """

    rule_id: str
    severity: str
    basis: str | None
    action: str | None
    drugs: tuple[str, ...]
    unverified: bool
    note: str | None = None


@dataclass(frozen=True)
class Check:
    """The result of :func:`check`.

    ``mme_per_day`` sums current opioids with a factor (as-needed ones at their maximum);
    ``mme_complete`` is False when a current opioid has no factor (listed in ``missing_factor``):
    the total is then a lower bound ("at least N", see :attr:`mme_text`). ``mme_logged_per_day``
    counts as-needed opioids at the use the dose log shows (None when an as-needed opioid has no
    log count). ``not_checked`` lists names the catalogue does not know.
    """

    mme_per_day: float
    mme_complete: bool
    missing_factor: tuple[str, ...]
    mme_logged_per_day: float | None
    rows: tuple[Row, ...]
    rules: tuple[Hit, ...]
    on: date | None = None
    rules_version: str = ""
    not_checked: tuple[str, ...] = ()

    @property
    def mme_text(self) -> str:
        """``"30 MME/day"``, or ``"at least 30 MME/day"`` when a factor is missing."""
        text = f"{self.mme_per_day:g} MME/day"
        return text if self.mme_complete else f"at least {text}"


@dataclass(frozen=True)
class Entry:
    item: Item
    med: Medicine | None
    classes: frozenset[str]
    verified: frozenset[str]
    status: Status
    days_stopped: int | None
