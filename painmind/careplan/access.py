"""Reading the shared care plan: the patient and every clinician with active consent see it all.

Built on `painmind.accounts.access`: without access the answer is Http404, as for a patient who
does not exist. A clinician's read of the plan is one audit event ("care_plan"); the measure
data behind the goals' progress is loaded through `painmind.diary.access`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from painmind.accounts.access import care_team, get_own_patient, get_patient_for_user
from painmind.accounts.audit import Actor, record
from painmind.accounts.models import AuditAction, Discipline, Role, User
from painmind.careplan.models import (
    OPEN_INTERVENTION_STATUSES,
    Goal,
    GoalStatus,
    Intervention,
    PlanChange,
    Strategy,
)
from painmind.core.careplan import GoalProgress, Measure, checkin_progress, instrument_measure, instrument_progress
from painmind.core.careplan import checkin_measures as _checkin_measures
from painmind.core.selfcare.tie_sources import Tie, tie_usage
from painmind.diary.access import MeasureSeries, get_measure_series_for_user
from painmind.diary.instruments import short_name, site_instruments


def measure_catalog() -> dict[str, Measure]:
    """What a goal can be measured by, by id: every questionnaire this site can give (each has a
    total score with a range, from core.instruments) and every numeric daily check-in variable
    (bounds from core.checkin)."""
    found = {
        inst.id: instrument_measure(inst.id, short_name(inst), inst.score_min, inst.score_max)
        for inst in site_instruments()
        if inst.available
    }
    return {**found, **{m.id: m for m in _checkin_measures()}}


def measure_label(measure_id: str) -> str:
    measure = measure_catalog().get(measure_id)
    return measure.label if measure is not None else measure_id.upper()


def person_label(user: User | None) -> str:
    """``"Dr Cara Lee (Psychology)"`` for a clinician, the name (or email) for anyone else."""
    if user is None:
        return "operator (command line)"
    name = user.display_name or user.email
    if user.role == Role.CLINICIAN and user.discipline:
        return f"{name} ({Discipline(user.discipline).label})"
    return name


def get_plan_patient_for_writer(actor: Actor, patient_id: int | str, *, interventions: bool) -> User:
    """The patient whose plan the actor may change; Http404 without access.

    Goals: the patient themselves or a clinician with active consent. Interventions: clinicians
    with active consent only; a patient gets PermissionError (they may see, not change, them).
    """
    patient = get_patient_for_user(actor, patient_id)
    user = actor.user
    if user is None:
        raise Http404("No such patient.")
    if user.pk == patient.pk:
        if interventions:
            raise PermissionError("Interventions are changed by the care team; you can see them and edit your goals.")
        return patient
    if user.role != Role.CLINICIAN:  # pragma: no cover - get_patient_for_user admits no one else
        raise Http404("No such patient.")
    return patient


@dataclass(frozen=True)
class GoalView:
    goal: Goal
    measure: Measure | None
    progress: GoalProgress | None  # None for a goal without a measure

    @property
    def measure_label(self) -> str:
        if not self.goal.measure:
            return ""
        return self.measure.label if self.measure is not None else self.goal.measure.upper()


@dataclass(frozen=True)
class InterventionView:
    intervention: Intervention
    is_open: bool
    review_overdue: bool  # open, with a review date before the patient's today
    # How much the patient used the tool it prescribes (core.selfcare.tie_sources; "" if untied).
    tool_usage: str = ""


@dataclass(frozen=True)
class StrategyGroup:
    strategy: str
    label: str
    interventions: list[InterventionView]


@dataclass(frozen=True)
class HistoryRow:
    """One PlanChange in words: who (name, role, discipline), what, when, old → new values."""

    change: PlanChange
    who: str
    what: str  # e.g. 'goal "Walk 20 minutes a day"'
    verb: str  # "added" | "changed"
    changes: list[dict[str, str]]


@dataclass(frozen=True)
class CarePlan:
    """Everything the plan pages and the `careplan/_care_plan.html` summary show.

    ``groups`` holds every intervention, ``open_groups`` only planned/active/paused ones, each
    in the four strategies' order with empty strategies left out. ``next_review_on`` is the
    earliest review date of an open intervention. ``history`` is newest first (empty when not
    asked for). ``url`` is the full plan page for this viewer.
    """

    patient: User
    today: date
    goals: list[GoalView]
    groups: list[StrategyGroup]
    open_groups: list[StrategyGroup]
    next_review_on: date | None
    history: list[HistoryRow]
    team: list[User]
    url: str
    viewer_is_patient: bool
    can_edit_goals: bool
    can_edit_interventions: bool

    @property
    def active_goals(self) -> list[GoalView]:
        return [g for g in self.goals if g.goal.status == GoalStatus.ACTIVE]

    @property
    def is_empty(self) -> bool:
        return not self.goals and not self.groups


_GOAL_STATUS_ORDER = {s: n for n, s in enumerate(GoalStatus.values)}


def _goal_key(goal: Goal) -> tuple[int, date, int]:
    return (_GOAL_STATUS_ORDER.get(goal.status, 9), goal.target_on or date.max, goal.pk)


def _progress(
    goal: Goal, measure: Measure | None, patient: User, today: date, series: MeasureSeries
) -> GoalProgress | None:
    if measure is None or goal.target is None or not goal.comparator:
        return None
    target = float(goal.target)
    if measure.kind == "instrument":
        return instrument_progress(
            series.scores.get(measure.id, []),
            set_at=goal.created_at,
            comparator=goal.comparator,
            target=target,
            target_on=goal.target_on,
            today=today,
            label=measure.label,
        )
    return checkin_progress(
        series.checkins.get(measure.id, []),
        set_on=timezone.localdate(goal.created_at, timezone=patient.tzinfo),
        comparator=goal.comparator,
        target=target,
        target_on=goal.target_on,
        today=today,
        label=measure.label,
    )


def _groups(views: list[InterventionView]) -> list[StrategyGroup]:
    groups = []
    for strategy in Strategy:
        members = [v for v in views if v.intervention.strategy == strategy.value]
        if members:
            groups.append(StrategyGroup(strategy.value, strategy.label, members))
    return groups


HISTORY_MAX_ROWS = 500


def _who(change: PlanChange) -> str:
    parts = [Role(change.actor_role).label.lower()] if change.actor_role in Role.values else []
    if change.actor_discipline in Discipline.values:
        parts.append(Discipline(change.actor_discipline).label)
    return f"{change.actor_label} ({', '.join(parts)})" if parts else change.actor_label


def _history(patient: User, goals: list[Goal], interventions: list[Intervention]) -> list[HistoryRow]:
    names = {("goal", g.pk): f"goal “{g.description}”" for g in goals}
    names.update({("intervention", i.pk): f"intervention “{i.title}”" for i in interventions})
    return [
        HistoryRow(
            change=c,
            who=_who(c),
            what=names.get((c.object_type, c.object_id), f"{c.object_type} {c.object_id}"),
            verb="added" if c.action == "create" else "changed",
            changes=list(c.changes),
        )
        for c in PlanChange.objects.filter(patient=patient)[:HISTORY_MAX_ROWS]
    ]


def get_own_plan_changes(actor: Actor) -> list[PlanChange]:
    """The whole history of the actor's own care plan (every PlanChange, newest first, without the
    pages' row limit): the patient's "Download my data". Http404 for anyone who is not a patient."""
    return list(PlanChange.objects.filter(patient=get_own_patient(actor)))


def get_care_plan_for_user(actor: Actor, patient_id: int | str | None = None, *, history: bool = True) -> CarePlan:
    """The patient's care plan with each goal's progress (own plan when `patient_id` is None).

    Http404 when the actor may not see the patient. A clinician's read is audited once, as
    "care_plan". A fixed number of queries, whatever the size of the plan.
    """
    patient = get_own_patient(actor) if patient_id is None else get_patient_for_user(actor, patient_id)
    viewer_is_patient = actor.user is not None and actor.user.pk == patient.pk
    today = timezone.localdate(timezone=patient.tzinfo)
    goals = sorted(Goal.objects.filter(patient=patient), key=_goal_key)
    catalog = measure_catalog()
    measured = [catalog[g.measure] for g in goals if g.measure in catalog]
    _, series = get_measure_series_for_user(
        actor,
        patient.pk,
        instruments=[m.id for m in measured if m.kind == "instrument"],
        variables=[m.id for m in measured if m.kind == "checkin"],
        audit_as="care_plan",
    )
    goal_views = [
        GoalView(g, catalog.get(g.measure), _progress(g, catalog.get(g.measure), patient, today, series)) for g in goals
    ]
    interventions = list(Intervention.objects.filter(patient=patient).select_related("owner"))
    # Open interventions only: a closed one's usage is no longer what the plan asks for.
    ties = [
        Tie(i.pk, i.tool, i.tool_per_week) for i in interventions if i.tool and i.status in OPEN_INTERVENTION_STATUSES
    ]
    usage = tie_usage(actor, patient.pk, ties)
    views = []
    for item in interventions:
        is_open = item.status in OPEN_INTERVENTION_STATUSES
        overdue = is_open and item.review_on is not None and item.review_on < today
        views.append(InterventionView(item, is_open, overdue, usage.get(item.pk, "")))
    views.sort(key=lambda v: (not v.is_open, v.intervention.review_on or date.max, v.intervention.pk))
    open_views = [v for v in views if v.is_open]
    reviews = [v.intervention.review_on for v in open_views if v.intervention.review_on is not None]
    is_clinician = actor.user is not None and actor.user.role == Role.CLINICIAN
    return CarePlan(
        patient=patient,
        today=today,
        goals=goal_views,
        groups=_groups(views),
        open_groups=_groups(open_views),
        next_review_on=min(reviews) if reviews else None,
        history=_history(patient, goals, [v.intervention for v in views]) if history else [],
        team=care_team(patient.pk) if is_clinician else [],
        url=reverse("careplan:my_plan") if viewer_is_patient else reverse("careplan:patient_plan", args=[patient.pk]),
        viewer_is_patient=viewer_is_patient,
        can_edit_goals=viewer_is_patient or is_clinician,
        can_edit_interventions=is_clinician,
    )


def get_goal_for_user(actor: Actor, patient_id: int | str, goal_id: int | str) -> tuple[User, Goal]:
    """One goal of a patient the actor may see; Http404 otherwise. A clinician's read is audited."""
    patient = get_patient_for_user(actor, patient_id)
    goal = Goal.objects.filter(pk=_int_or_404(goal_id), patient=patient).first()
    if goal is None:
        raise Http404("No such goal.")
    record(actor, patient, AuditAction.VIEW, "goal", object_id=goal.pk)
    return patient, goal


def get_intervention_for_user(
    actor: Actor, patient_id: int | str, intervention_id: int | str
) -> tuple[User, Intervention]:
    """One intervention of a patient the actor may see; Http404 otherwise. Audited for clinicians."""
    patient = get_patient_for_user(actor, patient_id)
    item = Intervention.objects.select_related("owner").filter(pk=_int_or_404(intervention_id), patient=patient).first()
    if item is None:
        raise Http404("No such intervention.")
    record(actor, patient, AuditAction.VIEW, "intervention", object_id=item.pk)
    return patient, item


def _int_or_404(value: int | str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404("Not found.") from None
