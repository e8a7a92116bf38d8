"""The panel's rows: what one consenting patient's line shows, and the panel's options."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property
from typing import Final, Literal

from django.utils.safestring import SafeString

from painmind.accounts.models import User
from painmind.core.alert_rules import SILENCE_DAYS
from painmind.core.checkin import SCALE_BY_NAME
from painmind.core.instruments.model import format_number
from painmind.diary.charts import sparkline
from painmind.diary.instruments import short_name, site_instrument

# The measures the panel shows, in column order (the issue: "latest PHQ-9 / GAD-7 / PEG").
PANEL_INSTRUMENTS: Final[tuple[str, ...]] = ("phq9", "gad7", "peg")
TREND_DAYS: Final[int] = 28  # the "4-week trend"
# "Silent" is the alert rule's silence length (core.alert_rules, documented in docs/safety.md).
SILENT_DAYS: Final[int] = SILENCE_DAYS

SortKey = Literal["alerts", "name", "checkin", "phq9", "gad7", "peg", "review"]
SORT_KEYS: Final[dict[str, str]] = {
    "alerts": "Alerts first",
    "name": "Name",
    "checkin": "Last check-in (longest ago first)",
    "phq9": "PHQ-9 (highest first)",
    "gad7": "GAD-7 (highest first)",
    "peg": "PEG (highest first)",
    "review": "Next review (soonest first)",
}

ARROWS: Final[dict[str, tuple[str, str]]] = {
    "reliable_worsening": ("↑", "reliably worse"),
    "reliable_improvement": ("↓", "reliably better"),
    "no_reliable_change": ("→", "no reliable change"),
}


@dataclass(slots=True)  # not frozen: a frozen dataclass is five times slower to build (3,000 a request)
class ScoreCell:
    """The latest scored response of one instrument, with its change against the one before."""

    instrument: str
    short: str
    total: float
    band: str  # the band's label in words ("moderately severe"), "" for unbanded measures
    band_text: str
    local_on: date
    arrow: str  # ↑ ↓ → or "" when there is no earlier score
    change: str  # reliably worse | reliably better | no reliable change | ""
    change_text: str  # the change in words (core.instruments.plain_step), "" for a first score

    @property
    def arrow_label(self) -> str:
        return self.change or "first score"


@dataclass(frozen=True)
class Trend:
    """A daily series over the trend window (one value per local date, None for no check-in)."""

    name: str
    values: tuple[float | None, ...]

    @property
    def n_days_with_data(self) -> int:
        return sum(v is not None for v in self.values)

    @cached_property
    def text(self) -> str:
        """E.g. "pain 6.1 → 4.3 over 28 days, 21 days with data"."""
        present = [v for v in self.values if v is not None]
        days = len(self.values)
        if not present:
            return f"{self.name}: no check-ins in the last {days} days"
        if len(present) == 1:
            return f"{self.name} {format_number(present[0])} on 1 day of the last {days}"
        first, last = format_number(present[0]), format_number(present[-1])
        return f"{self.name} {first} → {last} over {days} days, {len(present)} days with data"

    @property
    def svg(self) -> SafeString:
        """The sparkline; decorative, as `text` is shown beside it."""
        scale = SCALE_BY_NAME[self.name]
        return sparkline(self.values, lo=scale.lo, hi=scale.hi)


@dataclass
class PanelRow:
    patient: User
    name: str
    today: date  # the patient's local date
    last_checkin_on: date | None
    scores: dict[str, ScoreCell | None]
    pain: Trend
    mood: Trend
    n_critical: int = 0
    n_acute: int = 0  # open self-harm alerts whose follow-up screen was acute positive
    n_warning: int = 0
    n_overdue: int = 0  # critical, unacknowledged past the re-send interval (safety.notify)
    newest_alert_title: str = ""
    next_review_on: date | None = None
    review_overdue: bool = False
    review_due: bool = False
    # Open medication-safety alerts (rule ids, gravest first) and whether one is critical.
    med_risks: list[str] = field(default_factory=list)
    med_critical: bool = False

    @property
    def days_since_checkin(self) -> int | None:
        return None if self.last_checkin_on is None else (self.today - self.last_checkin_on).days

    @property
    def is_silent(self) -> bool:
        days = self.days_since_checkin
        return days is None or days >= SILENT_DAYS

    @property
    def n_open_alerts(self) -> int:
        return self.n_critical + self.n_warning

    @property
    def score_list(self) -> list[tuple[str, ScoreCell | None]]:
        """(short name, latest score or None) in column order."""
        return [(instrument_short_name(i), self.scores.get(i)) for i in PANEL_INSTRUMENTS]


@dataclass(frozen=True)
class PanelFilters:
    sort: SortKey = "alerts"
    only_alerts: bool = False
    only_silent: bool = False
    only_review_due: bool = False
    only_med_risk: bool = False
    q: str = ""


@dataclass
class Panel:
    rows: list[PanelRow]
    n_patients: int  # before filtering
    filters: PanelFilters
    today: date  # the clinician's local date (review dates are theirs)
    instruments: list[tuple[str, str]] = field(default_factory=list)  # (id, short name)


@cache
def instrument_short_name(instrument_id: str) -> str:
    return short_name(site_instrument(instrument_id))
