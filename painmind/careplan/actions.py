"""Every write to the care plan: checked, atomic, recorded in the plan's history and audited.

The same functions serve the web forms (raw strings) and the API (typed JSON values): input
is a mapping of field name to value; an update applies only the fields given. Bad input raises
`ActionError` naming each field, and nothing is written. An edit made from a stale copy (the
caller's `expected_updated_at` is not the stored one) raises `StaleEdit`, also writing nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from painmind.accounts.access import care_team
from painmind.accounts.audit import Actor, record
from painmind.accounts.models import AuditAction, Role, User
from painmind.careplan.access import get_plan_patient_for_writer, measure_catalog, person_label
from painmind.careplan.cleaning import clean_goal, clean_intervention
from painmind.careplan.models import (
    Goal,
    GoalStatus,
    Intervention,
    InterventionStatus,
    PlanChange,
    Strategy,
)
from painmind.core.careplan import Measure, describe_target, format_day
from painmind.core.selfcare.tools import TOOL_LABELS
from painmind.lib.errors import ActionError

GOAL_FIELDS = ("description", "strategy", "measure", "comparator", "target", "target_on", "status")
INTERVENTION_FIELDS = ("strategy", "title", "detail", "owner", "review_on", "status", "tool", "tool_per_week")


class StaleEdit(ActionError):
    """The object changed since the editor loaded it; `changed_by` names who changed it."""

    def __init__(self, what: str, changed_by: str, changed_at: datetime) -> None:
        self.changed_by = changed_by
        self.changed_at = changed_at
        when = f"{timezone.localtime(changed_at):%-d %b %Y, %H:%M}"
        super().__init__(
            {
                "updated_at": [
                    f"This {what} was changed by {changed_by} since you opened it (at {when}). "
                    "Nothing was saved: reload to see their change, then edit again."
                ]
            }
        )


def _now() -> datetime:
    # Milliseconds, as JSON carries them (DjangoJSONEncoder), so an API client's `updated_at`
    # compares equal to the stored one after a round trip.
    return _ms(timezone.now())


def _after(previous: datetime) -> datetime:
    # Strictly later than the copy an editor may hold, even two saves within one millisecond.
    return max(_now(), _ms(previous) + timedelta(milliseconds=1))


def _ms(at: datetime) -> datetime:
    return at.replace(microsecond=at.microsecond // 1000 * 1000)


# --- readable snapshots for the history ----------------------------------------------------

# History rows name each field as the API does (target_date, review_date), as stored rows always have.
_GOAL_LABELS = {
    "description": "Description",
    "strategy": "Strategy",
    "measure": "Measure",
    "target": "Target",
    "target_date": "Target date",
    "status": "Status",
}
_INTERVENTION_LABELS = {
    "strategy": "Strategy",
    "title": "Title",
    "detail": "Detail",
    "owner": "Owner",
    "review_date": "Review date",
    "status": "Status",
    "tool": "Tool",
    "tool_per_week": "Uses a week",
}


def _goal_snapshot(goal: Goal, catalog: Mapping[str, Measure]) -> dict[str, str]:
    measure = catalog.get(goal.measure)
    return {
        "description": goal.description,
        "strategy": Strategy(goal.strategy).label if goal.strategy else "",
        "measure": (measure.label if measure else goal.measure.upper()) if goal.measure else "",
        "target": describe_target(goal.comparator, float(goal.target))
        if goal.comparator and goal.target is not None
        else "",
        "target_date": format_day(goal.target_on) if goal.target_on else "",
        "status": GoalStatus(goal.status).label,
    }


def _intervention_snapshot(item: Intervention) -> dict[str, str]:
    return {
        "strategy": Strategy(item.strategy).label,
        "title": item.title,
        "detail": item.detail,
        "owner": person_label(item.owner) if item.owner_id else "",
        "review_date": format_day(item.review_on) if item.review_on else "",
        "status": InterventionStatus(item.status).label,
        "tool": TOOL_LABELS.get(item.tool, item.tool),
        "tool_per_week": "" if item.tool_per_week is None else str(item.tool_per_week),
    }


def _diff(before: Mapping[str, str], after: Mapping[str, str], labels: Mapping[str, str]) -> list[dict[str, str]]:
    return [
        {"field": name, "label": label, "old": before.get(name, ""), "new": after[name]}
        for name, label in labels.items()
        if before.get(name, "") != after[name]
    ]


def _log(actor: Actor, patient: User, obj: Goal | Intervention, action: str, changes: list[Any]) -> None:
    user = actor.user
    PlanChange.objects.create(
        patient=patient,
        actor=user,
        actor_label=(user.display_name or user.email) if user is not None else actor.label,
        actor_role=user.role if user is not None else "",
        actor_discipline=user.discipline if user is not None else "",
        object_type="goal" if isinstance(obj, Goal) else "intervention",
        object_id=obj.pk,
        action=action,
        changes=changes,
    )


def _check_fresh(obj: Goal | Intervention, expected: object, what: str) -> None:
    if expected is None:
        return
    if isinstance(expected, datetime):
        expected_at = expected
    else:
        try:
            expected_at = datetime.fromisoformat(str(expected).strip())
        except ValueError:
            raise ActionError({"updated_at": ["is not a valid timestamp; reload the page"]}) from None
    if timezone.is_naive(expected_at):
        raise ActionError({"updated_at": ["needs a time zone offset"]})
    if _ms(expected_at) != _ms(obj.updated_at):
        last = PlanChange.objects.filter(object_type=what, object_id=obj.pk).order_by("-at", "-id").first()
        raise StaleEdit(what, last.actor_label if last else "someone else", last.at if last else obj.updated_at)


# --- goals ---------------------------------------------------------------------------------


@transaction.atomic
def do_create_goal(actor: Actor, patient_id: int | str, data: Mapping[str, object]) -> Goal:
    """Add a goal to a patient's plan: the patient or a clinician with consent. Recorded and audited."""
    patient = get_plan_patient_for_writer(actor, patient_id, interventions=False)
    catalog = measure_catalog()
    values = clean_goal(data, catalog)
    now = _now()
    goal = Goal.objects.create(patient=patient, created_by=actor.user, created_at=now, updated_at=now, **values)
    _log(actor, patient, goal, "create", _diff({}, _goal_snapshot(goal, catalog), _GOAL_LABELS))
    record(actor, patient, AuditAction.CREATE, "goal", object_id=goal.pk, detail=goal.description)
    return goal


def _goal_values(goal: Goal) -> dict[str, object]:
    return {name: getattr(goal, name) for name in GOAL_FIELDS}


@transaction.atomic
def do_update_goal(
    actor: Actor,
    patient_id: int | str,
    goal_id: int | str,
    data: Mapping[str, object],
    *,
    expected_updated_at: object = None,
) -> Goal:
    """Change the fields of a goal given in `data` (others keep their values).

    `expected_updated_at` (the `updated_at` the editor saw) makes the edit refuse with
    `StaleEdit` if someone changed the goal in the meantime; None skips that check.
    """
    patient = get_plan_patient_for_writer(actor, patient_id, interventions=False)
    goal = Goal.objects.select_for_update().filter(pk=_int(goal_id), patient=patient).first()
    if goal is None:
        raise Http404("No such goal.")
    _check_fresh(goal, expected_updated_at, "goal")
    catalog = measure_catalog()
    unknown = sorted(set(data) - set(GOAL_FIELDS))
    if unknown:
        raise ActionError({name: ["is not a goal field"] for name in unknown})
    values = clean_goal({**_goal_values(goal), **data}, catalog)
    before = _goal_snapshot(goal, catalog)
    for name, value in values.items():
        setattr(goal, name, value)
    changes = _diff(before, _goal_snapshot(goal, catalog), _GOAL_LABELS)
    if not changes:
        return goal
    goal.updated_at = _after(goal.updated_at)
    goal.save()
    _log(actor, patient, goal, "update", changes)
    record(actor, patient, AuditAction.UPDATE, "goal", object_id=goal.pk, detail=_fields(changes))
    return goal


# --- interventions -------------------------------------------------------------------------


def _default_owner(actor: Actor) -> User | None:
    return actor.user if actor.user is not None and actor.user.role == Role.CLINICIAN else None


@transaction.atomic
def do_create_intervention(actor: Actor, patient_id: int | str, data: Mapping[str, object]) -> Intervention:
    """Add an intervention: clinicians with consent only. Owner defaults to the editor."""
    patient = get_plan_patient_for_writer(actor, patient_id, interventions=True)
    values = clean_intervention(data, care_team(patient.pk), current_owner_id=None, default_owner=_default_owner(actor))
    now = _now()
    owner: User | None = values.pop("owner")
    item = Intervention.objects.create(
        patient=patient,
        owner=owner,
        owner_discipline=owner.discipline if owner is not None else "",
        created_by=actor.user,
        created_at=now,
        updated_at=now,
        **values,
    )
    _log(actor, patient, item, "create", _diff({}, _intervention_snapshot(item), _INTERVENTION_LABELS))
    record(actor, patient, AuditAction.CREATE, "intervention", object_id=item.pk, detail=item.title)
    return item


@transaction.atomic
def do_update_intervention(
    actor: Actor,
    patient_id: int | str,
    intervention_id: int | str,
    data: Mapping[str, object],
    *,
    expected_updated_at: object = None,
) -> Intervention:
    """Change the fields of an intervention given in `data`; clinicians with consent only."""
    patient = get_plan_patient_for_writer(actor, patient_id, interventions=True)
    item = (
        # No select_related: PostgreSQL cannot lock the nullable side of an outer join (owner).
        Intervention.objects.select_for_update().filter(pk=_int(intervention_id), patient=patient).first()
    )
    if item is None:
        raise Http404("No such intervention.")
    _check_fresh(item, expected_updated_at, "intervention")
    unknown = sorted(set(data) - set(INTERVENTION_FIELDS))
    if unknown:
        raise ActionError({name: ["is not an intervention field"] for name in unknown})
    current = {name: getattr(item, name) for name in INTERVENTION_FIELDS if name != "owner"}
    current["owner"] = item.owner_id or ""
    values = clean_intervention(
        {**current, **data}, care_team(patient.pk), current_owner_id=item.owner_id, default_owner=None
    )
    before = _intervention_snapshot(item)
    owner: User | None = values.pop("owner")
    if (owner.pk if owner else None) != item.owner_id:
        item.owner = owner
        item.owner_discipline = owner.discipline if owner is not None else ""
    for name, value in values.items():
        setattr(item, name, value)
    changes = _diff(before, _intervention_snapshot(item), _INTERVENTION_LABELS)
    if not changes:
        return item
    item.updated_at = _after(item.updated_at)
    item.save()
    _log(actor, patient, item, "update", changes)
    record(actor, patient, AuditAction.UPDATE, "intervention", object_id=item.pk, detail=_fields(changes))
    return item


def _fields(changes: list[dict[str, str]]) -> str:
    return "changed " + ", ".join(c["label"].lower() for c in changes)


def _int(value: int | str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404("Not found.") from None
