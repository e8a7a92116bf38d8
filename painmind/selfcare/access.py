"""The only way to read a patient's self-management tools.

The patient sees everything of their own. A clinician reaches a patient through
`painmind.accounts.access` (active consent, checked afresh) **and** only the tools the patient
shares (`ToolSharing`; defaults in `models.DEFAULT_SHARED`): a tool not shared is the same 404
as a patient who does not exist. Every clinician read is one audit event, so it appears in
"who viewed my data". Share links and the operator get no tool data here (no scope names it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.http import Http404
from django.utils import timezone

from painmind.accounts.access import get_own_patient, get_patient_for_user
from painmind.accounts.audit import Actor, record
from painmind.accounts.models import AuditAction, Role, User
from painmind.core.daily import daily_means
from painmind.core.selfcare import pacing
from painmind.core.selfcare.boom_bust import BoomBust, find_boom_bust
from painmind.core.selfcare.relaxation import MEASURES, UsualChange, usual_change
from painmind.core.selfcare.usage import Usage, usage, uses_this_week
from painmind.diary.access import get_checkins_for_user
from painmind.selfcare.models import (
    DEFAULT_SHARED,
    Activity,
    LifestyleChoice,
    LifestyleEntry,
    PacingPlan,
    PacingSession,
    RelaxationSession,
    ThoughtRecord,
    Tool,
    ToolSharing,
)


def sharing_of(patient: User) -> dict[str, bool]:
    """``{tool: shared}`` for every tool: the patient's choice, else the default (no audit:
    it says what is shared, nothing of the patient's health)."""
    chosen = dict(ToolSharing.objects.filter(patient=patient).values_list("tool", "shared"))
    return {tool.value: chosen.get(tool.value, DEFAULT_SHARED[tool]) for tool in Tool}


def get_sharing_for_user(actor: Actor) -> tuple[User, dict[str, bool]]:
    """The patient's own per-tool choices."""
    patient = get_own_patient(actor)
    return patient, sharing_of(patient)


def _patient_for_tool(actor: Actor, patient_id: int | str | None, tool: Tool) -> User:
    """The patient (own when None), if the actor may see this tool of theirs; Http404 otherwise."""
    if patient_id is None:
        return get_own_patient(actor)
    patient = get_patient_for_user(actor, patient_id)
    if actor.user is not None and actor.user.pk == patient.pk:
        return patient
    if actor.user is None or actor.user.role != Role.CLINICIAN or not sharing_of(patient)[tool.value]:
        raise Http404("No such patient.")
    return patient


def _int_or_404(value: int | str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404("Not found.") from None


# --- thought records -------------------------------------------------------------------------


def get_thought_records_for_user(
    actor: Actor, patient_id: int | str | None = None, *, limit: int | None = None
) -> tuple[User, list[ThoughtRecord]]:
    """A patient's thought records, newest first. A clinician's read needs the tool shared and is
    audited once ("thought_record_list", with how many it showed)."""
    patient = _patient_for_tool(actor, patient_id, Tool.THOUGHT_RECORDS)
    qs = ThoughtRecord.objects.filter(patient=patient)
    records = list(qs[:limit] if limit is not None else qs)
    record(actor, patient, AuditAction.VIEW, "thought_record_list", detail=f"{len(records)} thought records")
    return patient, records


def get_thought_record_for_user(
    actor: Actor, record_id: int | str, patient_id: int | str | None = None
) -> tuple[User, ThoughtRecord]:
    patient = _patient_for_tool(actor, patient_id, Tool.THOUGHT_RECORDS)
    item = ThoughtRecord.objects.filter(pk=_int_or_404(record_id), patient=patient).first()
    if item is None:
        raise Http404("No such thought record.")
    record(actor, patient, AuditAction.VIEW, "thought_record", object_id=item.pk)
    return patient, item


# --- pacing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanView:
    """A plan with its weeks (computed), sessions, this week, and the boom-and-bust note."""

    plan: PacingPlan
    sessions: list[PacingSession]
    weeks: list[pacing.Week]
    this_week: pacing.Week | None
    today: date
    boom_bust: list[BoomBust]

    @property
    def measuring(self) -> bool:
        return self.plan.baseline is None

    @property
    def held_weeks(self) -> list[pacing.Week]:
        return [w for w in self.weeks if w.state == "held"]

    def quota_on(self, day: date) -> Decimal | None:
        for w in self.weeks:
            if w.starts_on <= day <= w.ends_on:
                return w.quota
        if self.weeks and day > self.weeks[-1].ends_on:
            return self.weeks[-1].quota
        return None


# PROJECT RULE: the pacing page looks for boom-and-bust days in the last BOOM_BUST_LOOKBACK_DAYS.
BOOM_BUST_LOOKBACK_DAYS = 28


def _boom_bust(actor: Actor, patient: User, today: date) -> list[BoomBust]:
    """Boom-and-bust days in the diary's last four weeks (their 28-day baselines before them)."""
    tz = patient.tzinfo
    first = today - timedelta(days=BOOM_BUST_LOOKBACK_DAYS + 28)
    _, entries = get_checkins_for_user(actor, patient.pk, since=datetime.combine(first, time.min, tzinfo=tz))
    activity = daily_means((c.local_on, c.activity_minutes) for c in entries)
    pain = daily_means((c.local_on, c.pain) for c in entries)
    return find_boom_bust(activity, pain, since=today - timedelta(days=BOOM_BUST_LOOKBACK_DAYS), until=today)


def plan_view(plan: PacingPlan, sessions: list[PacingSession], today: date, boom_bust: list[BoomBust]) -> PlanView:
    if plan.baseline is None:
        return PlanView(plan, sessions, [], None, today, boom_bust)
    done: dict[date, list[Decimal]] = {}
    for s in sessions:
        done.setdefault(s.local_on, []).append(s.done)
    weeks = pacing.schedule(
        baseline=plan.baseline,
        step_percent=plan.step_percent,
        goal=plan.goal,
        start_on=plan.start_on,
        sessions_per_week=plan.sessions_per_week,
        done_by_day=done,
        today=today,
    )
    return PlanView(plan, sessions, weeks, pacing.current_week(weeks, today), today, boom_bust)


def get_pacing_plans_for_user(actor: Actor, patient_id: int | str | None = None) -> tuple[User, list[PacingPlan]]:
    """A patient's pacing plans, newest first (a clinician: only when shared; audited)."""
    patient = _patient_for_tool(actor, patient_id, Tool.PACING)
    plans = list(PacingPlan.objects.filter(patient=patient))
    record(actor, patient, AuditAction.VIEW, "pacing_plan_list", detail=f"{len(plans)} pacing plans")
    return patient, plans


def get_pacing_plan_for_user(
    actor: Actor, plan_id: int | str, patient_id: int | str | None = None, *, with_diary: bool = True
) -> PlanView:
    """One plan with its weeks and sessions; with the boom-and-bust note from the diary when
    `with_diary`. Http404 without access; a clinician's read is audited."""
    patient = _patient_for_tool(actor, patient_id, Tool.PACING)
    plan = PacingPlan.objects.filter(pk=_int_or_404(plan_id), patient=patient).first()
    if plan is None:
        raise Http404("No such pacing plan.")
    record(actor, patient, AuditAction.VIEW, "pacing_plan", object_id=plan.pk)
    today = timezone.localdate(timezone=patient.tzinfo)
    sessions = list(plan.sessions.all())
    found = _boom_bust(actor, patient, today) if with_diary else []
    return plan_view(plan, sessions, today, found)


def earlier_amounts(patient: User, activity: str, unit: str) -> list[Decimal]:
    """The amounts of this activity (same name, any case; same unit) in the patient's earlier
    plans, oldest first: what a plan without an entered baseline starts from. No audit: the
    callers are the patient's own writes."""
    return list(
        PacingSession.objects.filter(patient=patient, plan__activity__iexact=activity.strip(), plan__unit=unit)
        .order_by("local_on", "id")
        .values_list("done", flat=True)
    )


# --- relaxation and activities ---------------------------------------------------------------


def get_relaxation_sessions_for_user(
    actor: Actor, patient_id: int | str | None = None
) -> tuple[User, list[RelaxationSession]]:
    """A patient's relaxation sessions, newest first (a clinician: only when shared; audited)."""
    patient = _patient_for_tool(actor, patient_id, Tool.RELAXATION)
    sessions = list(RelaxationSession.objects.filter(patient=patient))
    record(actor, patient, AuditAction.VIEW, "relaxation_session_list", detail=f"{len(sessions)} relaxation sessions")
    return patient, sessions


def get_activities_for_user(actor: Actor, patient_id: int | str | None = None) -> tuple[User, list[Activity]]:
    """A patient's behavioural-activation activities, newest first (a clinician: only when
    shared; audited)."""
    patient = _patient_for_tool(actor, patient_id, Tool.ACTIVITIES)
    items = list(Activity.objects.filter(patient=patient))
    record(actor, patient, AuditAction.VIEW, "activity_list", detail=f"{len(items)} activities")
    return patient, items


# --- lifestyle fields ------------------------------------------------------------------------


def lifestyle_groups(patient: User) -> list[str]:
    """The groups of lifestyle fields the person keeps (none by default)."""
    row = LifestyleChoice.objects.filter(patient=patient).first()
    return list(row.groups) if row else []


def get_lifestyle_choice_for_user(actor: Actor) -> tuple[User, list[str]]:
    """The patient's own choice of lifestyle fields (what the form shows; nothing of health)."""
    patient = get_own_patient(actor)
    return patient, lifestyle_groups(patient)


def get_lifestyle_for_user(
    actor: Actor, patient_id: int | str | None = None, *, since: date | None = None, until: date | None = None
) -> tuple[User, list[LifestyleEntry]]:
    """A patient's lifestyle entries for local days in [since, until] (either end open), newest
    first. A clinician: only while the patient shares lifestyle fields (the default); audited."""
    patient = _patient_for_tool(actor, patient_id, Tool.LIFESTYLE)
    rows = LifestyleEntry.objects.filter(patient=patient)
    if since is not None:
        rows = rows.filter(local_on__gte=since)
    if until is not None:
        rows = rows.filter(local_on__lte=until)
    entries = list(rows)
    record(actor, patient, AuditAction.VIEW, "lifestyle_list", detail=f"{len(entries)} lifestyle days")
    return patient, entries


# --- the clinician's usage summary -----------------------------------------------------------


@dataclass(frozen=True)
class ToolSummary:
    """One tool on the clinician's patient page: uses in the last 28 days and the last use, and,
    only when shared, the pacing plans' current week and quota or relaxation's usual change."""

    tool: str
    label: str
    shared: bool
    usage: Usage
    plans: list[PacingPlan] | None = None
    weeks: list[pacing.Week | None] | None = None
    changes: list[UsualChange] | None = None

    @property
    def plan_weeks(self) -> list[tuple[PacingPlan, pacing.Week | None]]:
        return list(zip(self.plans or [], self.weeks or [], strict=True))


def use_days(patient: User, tool: str) -> list[date]:
    """The local days of every use of one tool (core.selfcare.usage: what a use is). No audit:
    the callers below record the read they make."""
    if tool == Tool.THOUGHT_RECORDS:
        return list(ThoughtRecord.objects.filter(patient=patient).values_list("local_on", flat=True))
    if tool == Tool.PACING:
        return list(PacingSession.objects.filter(patient=patient).values_list("local_on", flat=True))
    if tool == Tool.RELAXATION:
        return list(RelaxationSession.objects.filter(patient=patient).values_list("local_on", flat=True))
    if tool == Tool.ACTIVITIES:
        done = Activity.objects.filter(patient=patient, done_on__isnull=False).values_list("done_on", flat=True)
        return [d for d in done if d is not None]
    # A use of the lifestyle fields: a day with an entry.
    return list(LifestyleEntry.objects.filter(patient=patient).values_list("local_on", flat=True))


def _use_days(patient: User) -> dict[str, list[date]]:
    return {tool.value: use_days(patient, tool.value) for tool in Tool}


@dataclass(frozen=True)
class ToolUse:
    """One tool's use for a care-plan tie: whether this viewer may count it (the patient always;
    a clinician only while the patient shares the tool), whether it is shared, and the counts
    (0 when not visible: a private tool is never counted for the team)."""

    tool: str
    visible: bool
    shared: bool
    recent: int
    this_week: int


def get_tool_uses_for_user(actor: Actor, patient_id: int | str, tools: set[str]) -> tuple[User, dict[str, ToolUse]]:
    """How much the patient used each of `tools` (uses in the last 28 days and this week), for the
    care plan's tied interventions. The patient or a consenting clinician; Http404 otherwise. A
    clinician's read of shared tools is one audit event ("selfcare_usage", detail "care plan: <tools>")."""
    patient = get_patient_for_user(actor, patient_id)
    own = actor.user is not None and actor.user.pk == patient.pk
    if not own and (actor.user is None or actor.user.role != Role.CLINICIAN):
        raise Http404("No such patient.")
    shared = sharing_of(patient)
    today = timezone.localdate(timezone=patient.tzinfo)
    out: dict[str, ToolUse] = {}
    for tool in (t.value for t in Tool if t.value in tools):
        if own or shared[tool]:
            days = use_days(patient, tool)
            out[tool] = ToolUse(tool, True, shared[tool], usage(days, today).recent, uses_this_week(days, today))
        else:
            out[tool] = ToolUse(tool, False, False, 0, 0)
    counted = [t for t, u in out.items() if u.visible]
    if counted:
        record(actor, patient, AuditAction.VIEW, "selfcare_usage", detail="care plan: " + ", ".join(counted))
    return patient, out


def get_tool_usage_for_user(actor: Actor, patient_id: int | str) -> tuple[User, list[ToolSummary]]:
    """A consenting clinician's summary of every tool (PROJECT RULE: how often each is used is
    shown for every tool; what is in it only for the tools the patient shares). One audit event
    ("selfcare_usage"), so it is in "who viewed my data"."""
    patient = get_patient_for_user(actor, patient_id)
    if actor.user is None or actor.user.role != Role.CLINICIAN:
        raise Http404("No such patient.")
    today = timezone.localdate(timezone=patient.tzinfo)
    shared = sharing_of(patient)
    days = _use_days(patient)
    rows = []
    for tool in Tool:
        row = ToolSummary(tool.value, str(tool.label), shared[tool.value], usage(days[tool.value], today))
        if row.shared and tool == Tool.PACING:
            plans = [p for p in PacingPlan.objects.filter(patient=patient) if p.baseline is not None]
            weeks = [plan_view(p, list(p.sessions.all()), today, []).this_week for p in plans]
            row = ToolSummary(**{**row.__dict__, "plans": plans, "weeks": weeks})
        if row.shared and tool == Tool.RELAXATION:
            sessions = list(RelaxationSession.objects.filter(patient=patient))
            changes = [
                usual_change(((getattr(s, f"{m}_before"), getattr(s, f"{m}_after")) for s in sessions), m)
                for m in MEASURES
            ]
            row = ToolSummary(**{**row.__dict__, "changes": changes})
        rows.append(row)
    record(actor, patient, AuditAction.VIEW, "selfcare_usage", detail="tool usage summary")
    return patient, rows
