"""What the one-page report holds, read through each app's permission-checked loaders.

`get_report_for_user` is the one read behind the PDF, the printable page and the API: the
patient's own report (second person, `patient_id=None`) or a consenting clinician's (third
person). Http404 for anyone else, the same as for a patient who does not exist. Every loader it
calls audits its own read as on the pages; the report itself adds one event ("report", with the
format and period: "export" for the PDF, "view" for the printable page), so the patient sees it in
"who viewed my data".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Final, Literal

from django.http import Http404
from django.utils import timezone

from painmind.accounts.access import get_own_patient, get_patient_for_user
from painmind.accounts.audit import Actor, record
from painmind.accounts.models import AuditAction, Role, User
from painmind.care.medicines import MedicinesSection, medicines_section
from painmind.careplan.access import GoalView, get_care_plan_for_user
from painmind.core.daily import Window, daily_means, window_means
from painmind.diary.access import get_checkins_for_user, get_responses_for_user
from painmind.diary.instruments import short_name, site_instrument
from painmind.diary.models import QuestionnaireResponse
from painmind.exchange.report.chart import Line, pain_mood_chart
from painmind.exchange.report.tools import ToolUse, tool_use
from painmind.insights.access import get_cycle_for_user
from painmind.insights.actions import do_refresh_cycle_for_user
from painmind.insights.cohort import site_priors
from painmind.insights.phrasing import Voice
from painmind.insights.presenters import cycle_context
from painmind.lib.errors import ActionError
from painmind.safety.access import get_alerts_for_user
from painmind.safety.models import Alert, AlertKind

PERIODS: Final[tuple[int, ...]] = (28, 90, 365)
# PROJECT RULE: the report covers the last 90 days unless asked otherwise: a quarter holds three
# full 28-day means, the usual span between reviews.
DEFAULT_PERIOD: Final[int] = 90
WINDOW_DAYS: Final[int] = 28
# The measures the issue names, in this order (clinical-reference §1.1, §1.3, §1.5).
INSTRUMENTS: Final[tuple[str, ...]] = ("phq9", "gad7", "peg")
PAIN_COLOUR, MOOD_COLOUR = "#b3261e", "#1f5fa8"

Format = Literal["pdf", "html"]
# PROJECT RULE: reliable change (clinical-reference §3) in the patient's version, in plain words.
PLAIN_CHANGE: Final[dict[str, str]] = {
    "reliable_improvement": "better than last time, by more than the usual ups and downs",
    "reliable_worsening": "worse than last time, by more than the usual ups and downs",
    "no_reliable_change": "about the same as last time (within the usual ups and downs)",
}


@dataclass(frozen=True)
class Score:
    """The latest response to one instrument (None fields: never answered)."""

    instrument: str  # "PHQ-9"
    response: QuestionnaireResponse | None

    @property
    def band(self) -> str:
        r = self.response
        return str(((r.result or {}).get("band") or {}).get("text", "")) if r is not None else ""

    @property
    def reliable(self) -> str:
        """ "reliable_improvement" | "reliable_worsening" | "no_reliable_change" | "" (no earlier score)."""
        r = self.response
        return str((r.change or {}).get("reliable") or "") if r is not None else ""

    @property
    def plain_change(self) -> str:
        return PLAIN_CHANGE.get(self.reliable, "")

    @property
    def change_text(self) -> str:
        r = self.response
        return str((r.change or {}).get("text", "")) if r is not None else ""


@dataclass(frozen=True)
class SeriesSummary:
    label: str
    colour: str
    windows: list[Window]  # oldest first; the last is the 28 days ending on the report's last day
    n_days: int  # days of the period with a value

    @property
    def latest(self) -> Window:
        return self.windows[-1]

    @property
    def earlier(self) -> Window | None:
        return self.windows[-2] if len(self.windows) > 1 else None


@dataclass(frozen=True)
class Cycle:
    """The honest summary: sentences only when the analysis can make them, else why not."""

    ok: bool
    sentences: list[str]  # the two arrows, then the clear "what helps" findings
    reason: str  # when not ok: how many more days it needs, or why it cannot say
    n_days: int


@dataclass(frozen=True)
class Report:
    patient: User
    for_patient: bool  # the plain-language version, in the second person
    today: date
    first_day: date
    period_days: int
    generated_at: datetime
    chart: Any  # SafeString
    series: list[SeriesSummary]
    scores: list[Score]
    cycle: Cycle
    meds: MedicinesSection
    alerts: list[Alert]  # clinician version only; self-harm first
    goals: list[GoalView]
    tools: list[ToolUse]

    @property
    def name(self) -> str:
        return self.patient.display_name or self.patient.email


def _series(actor: Actor, patient: User, pid: int | None, first: date, today: date) -> tuple[Any, list[SeriesSummary]]:
    since = datetime.combine(first - timedelta(days=1), time.min, tzinfo=patient.tzinfo)  # local days, any offset
    _, entries = get_checkins_for_user(actor, pid, since=since)
    entries = [c for c in entries if first <= c.local_on <= today]
    days = [first + timedelta(days=i) for i in range((today - first).days + 1)]
    lines, summaries = [], []
    for name, label, colour, dash in (("pain", "Pain", PAIN_COLOUR, ""), ("mood", "Mood", MOOD_COLOUR, "4 2")):
        by_day = daily_means((c.local_on, getattr(c, name)) for c in entries)  # core.daily: one rule
        windows = window_means(by_day, end=today, days=len(days), window=WINDOW_DAYS)
        lines.append(Line(label, [by_day.get(d) for d in days], windows, colour, dash))
        summaries.append(SeriesSummary(label, colour, windows, len(by_day)))
    return pain_mood_chart(days, lines, lo=0, hi=10, table_id="report-means"), summaries


def _scores(actor: Actor, pid: int | None) -> list[Score]:
    _, responses = get_responses_for_user(actor, pid)  # newest first
    latest: dict[str, QuestionnaireResponse] = {}
    for r in responses:
        if r.instrument in INSTRUMENTS:
            latest.setdefault(r.instrument, r)
    return [Score(short_name(site_instrument(i)), latest.get(i)) for i in INSTRUMENTS]


def _cycle(actor: Actor, pid: int | None, voice: Voice) -> Cycle:
    do_refresh_cycle_for_user(actor, pid)
    _, analysis = get_cycle_for_user(actor, pid)
    ctx = cycle_context(analysis, voice, site_priors())
    n_days = int(ctx["result"].get("n_days", 0))
    if ctx["ok"]:
        arrows = [s.text for s in (ctx["pain_to_mood"], ctx["mood_to_pain"]) if s is not None]
        helps = [s.text for s in [*ctx["better"], *ctx["harder"]]]
        return Cycle(True, [*arrows, *helps], "", n_days)
    fit = ctx["fit"]
    if ctx["more_pairs"]:
        reason = (
            f"Not enough days yet: {ctx['more_pairs']} more pairs of check-ins on consecutive days are needed "
            f"before anything can be said about {voice.poss} cycle."
        )
    else:
        reason = str(fit.get("message") or "The cycle can't be worked out from this diary yet.")
    return Cycle(False, [], reason, n_days)


def _alerts(actor: Actor, patient: User) -> list[Alert]:
    alerts = get_alerts_for_user(actor, patient_id=patient.pk)  # most urgent first
    return sorted(alerts, key=lambda a: a.kind != AlertKind.SELF_HARM)  # stable: self-harm first


def get_report_for_user(actor: Actor, patient_id: int | str | None, *, period_days: int, fmt: Format) -> Report:
    """The report on a patient: one's own (`patient_id` None) or, for a clinician with the
    patient's active consent, theirs. Http404 otherwise; ActionError for a period not in PERIODS.
    Audited (see the module docstring)."""
    if period_days not in PERIODS:
        raise ActionError({"days": [f"must be one of {', '.join(map(str, PERIODS))}"]})
    if patient_id is None:
        patient = get_own_patient(actor)
        pid = None
    else:
        if actor.user is None or actor.user.role != Role.CLINICIAN:
            raise Http404("No such patient.")
        patient = get_patient_for_user(actor, patient_id)
        pid = patient.pk
    for_patient = pid is None
    voice = Voice.you() if for_patient else Voice.them(patient.display_name or patient.email)
    today = timezone.localdate(timezone=patient.tzinfo)
    first = today - timedelta(days=period_days - 1)
    chart, series = _series(actor, patient, pid, first, today)
    plan = get_care_plan_for_user(actor, pid, history=False)
    report = Report(
        patient=patient,
        for_patient=for_patient,
        today=today,
        first_day=first,
        period_days=period_days,
        generated_at=timezone.now(),
        chart=chart,
        series=series,
        scores=_scores(actor, pid),
        cycle=_cycle(actor, pid, voice),
        meds=medicines_section(actor, patient, today),
        alerts=[] if for_patient else _alerts(actor, patient),
        goals=plan.active_goals,
        tools=tool_use(actor, pid, today),
    )
    # The PDF leaves PainMind (an export); the printable page is a view like the patient page.
    action = AuditAction.EXPORT if fmt == "pdf" else AuditAction.VIEW
    record(actor, patient, action, "report", detail=f"{fmt}, {period_days} days")
    return report
