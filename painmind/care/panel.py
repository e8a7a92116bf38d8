"""The clinician panel: one row per consenting patient, built with a fixed number of queries.

Whatever the number of patients, `get_panel_for_user` runs five queries: the patients (with
their last check-in date and next review date annotated), the two newest scored responses per
patient and instrument (a window function), the 28-day daily pain and mood means grouped by
patient and local date, the open alerts, and one bulk audit insert. Everything else (change
arrows, sparklines, sorting and filtering) happens in Python on those rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from datetime import date, timedelta
from typing import Final, Literal

from django.db.models import Avg, F, OuterRef, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.utils import timezone
from django.utils.safestring import SafeString

from painmind.accounts.audit import Actor, record_many
from painmind.accounts.models import AuditAction, Consent, Role, User
from painmind.care.models import Alert, Severity
from painmind.care.plan_models import OPEN_INTERVENTION_STATUSES, Intervention
from painmind.core.alert_rules import SILENCE_DAYS
from painmind.core.checkin import SCALE_BY_NAME
from painmind.core.instruments import compare
from painmind.diary.charts import sparkline
from painmind.diary.instruments import change_config, short_name, site_instrument
from painmind.diary.models import CheckIn, QuestionnaireResponse

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


@dataclass(frozen=True)
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
    change_text: str  # the full sentence from core.instruments.compare

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

    @property
    def text(self) -> str:
        """E.g. "pain 6.1 → 4.3 over 28 days, 21 days with data"."""
        present = [v for v in self.values if v is not None]
        days = len(self.values)
        if not present:
            return f"{self.name}: no check-ins in the last {days} days"
        if len(present) == 1:
            return f"{self.name} {present[0]:.1f} on 1 day of the last {days}"
        return f"{self.name} {present[0]:.1f} → {present[-1]:.1f} over {days} days, {len(present)} days with data"

    @property
    def svg(self) -> SafeString:
        scale = SCALE_BY_NAME[self.name]
        return sparkline(self.values, lo=scale.lo, hi=scale.hi, label=self.text)


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
    n_warning: int = 0
    newest_alert_title: str = ""
    next_review_on: date | None = None
    review_overdue: bool = False
    review_due: bool = False

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


def consented_patient_ids(clinician: User) -> QuerySet[Consent, dict[str, int]]:
    """Ids of the patients whose consent to this clinician is active (a subquery, not a list)."""
    return Consent.objects.active().filter(clinician=clinician, patient__is_active=True).values("patient_id")


def get_panel_for_user(actor: Actor, filters: PanelFilters | None = None) -> Panel:
    """The panel rows for a clinician's consenting patients, sorted and filtered. Audited.

    Raises Http404 for anyone but an active clinician. One audit event per patient shown
    (object type "panel"), written in one insert.
    """
    user = actor.user
    if user is None or not user.is_active or user.role != Role.CLINICIAN:
        raise Http404("No panel here.")
    filters = filters or PanelFilters()
    ids = consented_patient_ids(user)
    now = timezone.now()
    clinician_today = timezone.localdate(now, timezone=user.tzinfo)

    last_checkin = CheckIn.objects.filter(patient=OuterRef("pk")).order_by("-recorded_at", "-id").values("local_on")[:1]
    next_review = (
        Intervention.objects.filter(
            patient=OuterRef("pk"), status__in=OPEN_INTERVENTION_STATUSES, review_date__isnull=False
        )
        .order_by("review_date")
        .values("review_date")[:1]
    )
    patients = list(
        User.objects.filter(pk__in=ids, role=Role.PATIENT, is_active=True).annotate(
            last_checkin_on=Subquery(last_checkin), next_review_on=Subquery(next_review)
        )
    )

    rows: dict[int, PanelRow] = {}
    for p in patients:
        today = timezone.localdate(now, timezone=p.tzinfo)
        review: date | None = p.next_review_on  # type: ignore[attr-defined]
        rows[p.pk] = PanelRow(
            patient=p,
            name=p.display_name or p.email,
            today=today,
            last_checkin_on=p.last_checkin_on,  # type: ignore[attr-defined]
            scores=dict.fromkeys(PANEL_INSTRUMENTS),
            pain=Trend("pain", ()),
            mood=Trend("mood", ()),
            next_review_on=review,
            review_overdue=review is not None and review < clinician_today,
            review_due=review is not None and review <= clinician_today,
        )

    _add_scores(rows, ids)
    _add_trends(rows, ids, now.date())
    _add_alerts(rows, ids)

    shown = [r for r in rows.values() if _keep(r, filters)]
    shown.sort(key=_sort_key(filters.sort))
    record_many(actor, [r.patient for r in shown], AuditAction.VIEW, "panel")
    instruments = [(i, instrument_short_name(i)) for i in PANEL_INSTRUMENTS]
    return Panel(shown, len(rows), filters, clinician_today, instruments)


def _add_scores(rows: Mapping[int, PanelRow], ids: QuerySet[Consent, dict[str, int]]) -> None:
    """The newest two scored responses per patient and instrument, in one query."""
    ranked = (
        QuestionnaireResponse.objects.filter(
            patient_id__in=ids, instrument__in=PANEL_INSTRUMENTS, total__isnull=False
        )
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("patient_id"), F("instrument")],
                order_by=[F("completed_at").desc(), F("id").desc()],
            )
        )
        .filter(rank__lte=2)
        .values_list("patient_id", "instrument", "total", "band", "local_on", "rank")
    )
    latest: dict[tuple[int, str], tuple[float, str, date]] = {}
    previous: dict[tuple[int, str], float] = {}
    for pid, instrument, total, band, local_on, rank in ranked:
        if rank == 1:
            latest[(pid, instrument)] = (float(total), band, local_on)
        else:
            previous[(pid, instrument)] = float(total)
    config = change_config()
    for (pid, instrument_id), (total, band, local_on) in latest.items():
        row = rows.get(pid)
        if row is None:
            continue
        instrument = site_instrument(instrument_id)
        bands = {b.label: b.text for b in instrument.bands}
        arrow = change = change_text = ""
        before = previous.get((pid, instrument_id))
        if before is not None:
            # The same comparison the questionnaire pages store with each response
            # (clinical-reference §3: Jacobson–Truax reliable change with the site's SEMs).
            result = compare(instrument, before, total, config=config)
            change_text = result.text
            if result.reliable is not None:
                arrow, change = ARROWS[result.reliable]
        row.scores[instrument_id] = ScoreCell(
            instrument=instrument_id,
            short=short_name(instrument),
            total=total,
            band=band.replace("_", " "),
            band_text=bands.get(band, ""),
            local_on=local_on,
            arrow=arrow,
            change=change,
            change_text=change_text,
        )


def _add_trends(rows: Mapping[int, PanelRow], ids: QuerySet[Consent, dict[str, int]], utc_today: date) -> None:
    """Daily pain and mood means by patient and local date over the trend window, one query.

    Every patient's local "today" lies within a day of UTC's, so one lower bound covers them
    all; each row then keeps its own 28 local dates.
    """
    since = utc_today - timedelta(days=TREND_DAYS + 1)
    daily = (
        CheckIn.objects.filter(patient_id__in=ids, local_on__gte=since)
        .values("patient_id", "local_on")
        .annotate(pain=Avg("pain"), mood=Avg("mood"))
        .order_by()
        .values_list("patient_id", "local_on", "pain", "mood")
    )
    by_patient: dict[int, dict[date, tuple[float, float]]] = defaultdict(dict)
    for pid, day, pain, mood in daily:
        by_patient[pid][day] = (float(pain), float(mood))
    for pid, row in rows.items():
        days = by_patient.get(pid, {})
        window = [row.today - timedelta(days=TREND_DAYS - 1 - i) for i in range(TREND_DAYS)]
        row.pain = Trend("pain", tuple(days[d][0] if d in days else None for d in window))
        row.mood = Trend("mood", tuple(days[d][1] if d in days else None for d in window))


def _add_alerts(rows: Mapping[int, PanelRow], ids: QuerySet[Consent, dict[str, int]]) -> None:
    """Open alerts counted by severity, with the newest one's title, one query."""
    alerts = (
        Alert.objects.open()
        .filter(patient_id__in=ids)
        .order_by("patient_id", "-created_at", "-id")
        .values_list("patient_id", "severity", "title")
    )
    for pid, severity, title in alerts:
        row = rows.get(pid)
        if row is None:
            continue
        if not row.newest_alert_title:
            row.newest_alert_title = title
        if severity == Severity.CRITICAL:
            row.n_critical += 1
        else:
            row.n_warning += 1


def _keep(row: PanelRow, filters: PanelFilters) -> bool:
    if filters.only_alerts and not row.n_open_alerts:
        return False
    if filters.only_silent and not row.is_silent:
        return False
    if filters.only_review_due and not row.review_due:
        return False
    q = filters.q.strip().casefold()
    return not q or q in row.name.casefold() or q in row.patient.email.casefold()


_FAR: Final[int] = 10**9  # sorts a missing value after every real one


def _sort_key(sort: str) -> object:
    def name(r: PanelRow) -> tuple[str, int]:
        return (r.name.casefold(), r.patient.pk)

    def silence(r: PanelRow) -> int:
        # Never checked in counts as the longest silence.
        days = r.days_since_checkin
        return _FAR if days is None else days

    def score(instrument: str) -> object:
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
    return lambda r: (-r.n_critical, -r.n_warning, -silence(r), name(r))


def parse_filters(params: Mapping[str, str]) -> tuple[PanelFilters, dict[str, list[str]]]:
    """Filters from query parameters; unknown values are reported by field and ignored."""
    errors: dict[str, list[str]] = {}
    sort = params.get("sort", "") or "alerts"
    if sort not in SORT_KEYS:
        errors["sort"] = [f"must be one of {', '.join(SORT_KEYS)}"]
        sort = "alerts"
    flags = {}
    for key in ("alerts", "silent", "review"):
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
        q=q,
    )
    return filters, errors

