"""Every write to the care plan: checked, atomic, recorded in the plan's history and audited.

The same functions serve the web forms (raw strings) and the API (typed JSON values): input
is a mapping of field name to value; an update applies only the fields given. Bad input raises
`ActionError` naming each field, and nothing is written. An edit made from a stale copy (the
caller's `expected_updated_at` is not the stored one) raises `StaleEdit`, also writing nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from painmind.accounts.actions import ActionError
from painmind.accounts.audit import Actor, record
from painmind.accounts.models import AuditAction, Role, User
from painmind.care.plan_access import care_team, get_plan_patient_for_writer, measure_catalog, person_label
from painmind.care.plan_models import (
    Comparator,
    Goal,
    GoalStatus,
    Intervention,
    InterventionStatus,
    PlanChange,
    Strategy,
)
from painmind.core.careplan import Measure, describe_target, format_day, format_value

DESCRIPTION_MAX_CHARS = 200
TITLE_MAX_CHARS = 200
DETAIL_MAX_CHARS = 2000
GOAL_FIELDS = ("description", "strategy", "measure", "comparator", "target", "target_date", "status")
INTERVENTION_FIELDS = ("strategy", "title", "detail", "owner", "review_date", "status")


class StaleEdit(ActionError):
    """The object changed since the editor loaded it; `changed_by` names who changed it."""

    def __init__(self, what: str, changed_by: str, changed_at: datetime) -> None:
        self.changed_by = changed_by
        self.changed_at = changed_at
        when = f"{timezone.localtime(changed_at):%d %b %Y %H:%M}"
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
    now = timezone.now()
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def _after(previous: datetime) -> datetime:
    # Strictly later than the copy an editor may hold, even two saves within one millisecond.
    return max(_now(), _ms(previous) + timedelta(milliseconds=1))


def _ms(at: datetime) -> datetime:
    return at.replace(microsecond=at.microsecond // 1000 * 1000)


# --- parsing: form strings and JSON values alike -------------------------------------------


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _choice(value: object, choices: list[str], field: str, errors: dict[str, list[str]], *, blank: bool) -> str:
    text = _text(value)
    if text == "" and blank:
        return ""
    if text not in choices:
        errors.setdefault(field, []).append(
            "is required" if text == "" else f"must be one of: {', '.join(choices)} (got {text!r})"
        )
    return text


def _decimal(value: object, field: str, errors: dict[str, list[str]]) -> Decimal | None:
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return None
    if isinstance(value, bool):
        errors.setdefault(field, []).append("must be a number")
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        errors.setdefault(field, []).append("must be a number")
        return None
    if not number.is_finite():
        errors.setdefault(field, []).append("must be a number")
        return None
    if number != number.quantize(Decimal("0.1")):
        errors.setdefault(field, []).append("may have at most one decimal place")
        return None
    return number.quantize(Decimal("0.1"))


def _date(value: object, field: str, errors: dict[str, list[str]]) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        errors.setdefault(field, []).append("must be a date (YYYY-MM-DD)")
        return None


def _limit(text: str, field: str, maximum: int, errors: dict[str, list[str]], *, required: bool) -> str:
    if required and not text:
        errors.setdefault(field, []).append("is required")
    elif len(text) > maximum:
        errors.setdefault(field, []).append(f"must be at most {maximum} characters (it has {len(text)})")
    return text


def clean_goal(data: Mapping[str, object], catalog: Mapping[str, Measure]) -> dict[str, Any]:
    """Validate a whole goal; the cleaned values, or ActionError naming every bad field.

    A measure needs a comparator and a target inside the measure's range; a comparator or
    target without a measure is refused rather than silently dropped.
    """
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {
        "description": _limit(
            _text(data.get("description")), "description", DESCRIPTION_MAX_CHARS, errors, required=True
        ),
        "strategy": _choice(data.get("strategy"), Strategy.values, "strategy", errors, blank=True),
        "comparator": _choice(data.get("comparator"), Comparator.values, "comparator", errors, blank=True),
        "target": _decimal(data.get("target"), "target", errors),
        "target_date": _date(data.get("target_date"), "target_date", errors),
        "status": _choice(data.get("status") or GoalStatus.ACTIVE, GoalStatus.values, "status", errors, blank=False),
    }
    measure_id = _text(data.get("measure")).lower()
    out["measure"] = measure_id
    if measure_id:
        measure = catalog.get(measure_id)
        if measure is None:
            errors.setdefault("measure", []).append(
                f"unknown measure {measure_id!r}; choose one of: {', '.join(catalog)}"
            )
        else:
            if not out["comparator"] and "comparator" not in errors:
                errors.setdefault("comparator", []).append("is required with a measure (<, ≤, ≥ or >)")
            if out["target"] is None and "target" not in errors:
                errors.setdefault("target", []).append("is required with a measure")
            elif out["target"] is not None and not measure.lo <= float(out["target"]) <= measure.hi:
                errors.setdefault("target", []).append(
                    f"must be between {format_value(measure.lo)} and {format_value(measure.hi)} for {measure.label}"
                )
    elif (out["comparator"] or out["target"] is not None) and not errors.keys() & {"comparator", "target"}:
        errors.setdefault("measure", []).append("choose a measure for this target, or clear the comparator and target")
    if errors:
        raise ActionError(errors)
    return out


def clean_intervention(
    data: Mapping[str, object], team: list[User], *, current_owner_id: int | None, default_owner: User | None
) -> dict[str, Any]:
    """Validate a whole intervention. A new owner must be a clinician with active consent."""
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {
        "strategy": _choice(data.get("strategy"), Strategy.values, "strategy", errors, blank=False),
        "title": _limit(_text(data.get("title")), "title", TITLE_MAX_CHARS, errors, required=True),
        "detail": _limit(_text(data.get("detail")), "detail", DETAIL_MAX_CHARS, errors, required=False),
        "review_date": _date(data.get("review_date"), "review_date", errors),
        "status": _choice(
            data.get("status") or InterventionStatus.PLANNED, InterventionStatus.values, "status", errors, blank=False
        ),
    }
    raw_owner = data.get("owner")
    owner: User | None
    if raw_owner is None or raw_owner == "":
        owner = default_owner
    elif isinstance(raw_owner, User):
        owner = raw_owner
    else:
        try:
            owner_id = int(str(raw_owner))
        except ValueError:
            errors.setdefault("owner", []).append("must be the id of a clinician on the care team")
            owner_id = -1
        owner = next((u for u in team if u.pk == owner_id), None)
        if owner is None and owner_id == current_owner_id:
            owner = User.objects.filter(pk=owner_id).first()  # unchanged: kept even if consent has ended
        if owner is None and "owner" not in errors:
            errors.setdefault("owner", []).append("must be a clinician this patient shares their data with")
    if owner is not None and owner.pk != current_owner_id and owner not in team:
        errors.setdefault("owner", []).append("must be a clinician this patient shares their data with")
    out["owner"] = owner
    if errors:
        raise ActionError(errors)
    return out


# --- readable snapshots for the history ----------------------------------------------------

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
        "target_date": format_day(goal.target_date) if goal.target_date else "",
        "status": GoalStatus(goal.status).label,
    }


def _intervention_snapshot(item: Intervention) -> dict[str, str]:
    return {
        "strategy": Strategy(item.strategy).label,
        "title": item.title,
        "detail": item.detail,
        "owner": person_label(item.owner) if item.owner_id else "",
        "review_date": format_day(item.review_date) if item.review_date else "",
        "status": InterventionStatus(item.status).label,
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
    values = clean_intervention(data, care_team(patient), current_owner_id=None, default_owner=_default_owner(actor))
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
        {**current, **data}, care_team(patient), current_owner_id=item.owner_id, default_owner=None
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
