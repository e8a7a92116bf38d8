"""The care plan as a FHIR R4 CarePlan referencing its Goals (clinical-reference §4.5)."""

from __future__ import annotations

from collections.abc import Mapping

from painmind.core.fhir.codes import (
    DIARY_BY_FIELD,
    GOAL_ACHIEVEMENT,
    UCUM,
    diary_coding,
    score_coding,
)
from painmind.core.fhir.records import ActivityRecord, GoalRecord
from painmind.core.instruments import Instrument

# PROJECT RULE (docs/exchange.md, FHIR): PainMind's goal states as R4 Goal.lifecycleStatus and
# achievementStatus; "stopped" is a goal the team gave up, R4's "cancelled".
GOAL_LIFECYCLE = {"active": "active", "achieved": "completed", "not_achieved": "completed", "stopped": "cancelled"}
GOAL_ACHIEVED = {"achieved": "achieved", "not_achieved": "not-achieved"}
# Quantity.comparator (R4) for the goal's comparator.
COMPARATOR = {"lt": "<", "le": "<=", "ge": ">=", "gt": ">"}
# PROJECT RULE: intervention states as CarePlan.activity.detail.status (R4 codes).
ACTIVITY_STATUS = {
    "planned": "not-started",
    "active": "in-progress",
    "paused": "on-hold",
    "completed": "completed",
    "stopped": "stopped",
}


def goal_resource(
    goal: GoalRecord,
    *,
    resource_id: str,
    subject: str,
    instruments: Mapping[str, Instrument],
    secondary_codes: bool = True,
) -> dict[str, object]:
    """A Goal (§4.5): description, subject, lifecycle, and the measured target if any.

    The target is a Quantity with its comparator ("PHQ-9 ≤ 4" as ``<= 4 {score}``), so "< 5" and
    "≤ 4" stay what the team wrote, where the reference's example uses a range (§4.5).
    """
    if goal.status not in GOAL_LIFECYCLE:
        raise ValueError(f"goal status: must be one of {', '.join(GOAL_LIFECYCLE)}")
    resource: dict[str, object] = {
        "resourceType": "Goal",
        "id": resource_id,
        "lifecycleStatus": GOAL_LIFECYCLE[goal.status],
    }
    if goal.status in GOAL_ACHIEVED:
        resource["achievementStatus"] = {"coding": [{"system": GOAL_ACHIEVEMENT, "code": GOAL_ACHIEVED[goal.status]}]}
    resource["description"] = {"text": goal.description}
    resource["subject"] = {"reference": subject}
    target: dict[str, object] = {}
    if goal.measure:
        if goal.measure in instruments:
            target["measure"] = score_coding(instruments[goal.measure], secondary_codes=secondary_codes)
            unit, code = "score", "{score}"
        elif goal.measure in DIARY_BY_FIELD:
            diary = DIARY_BY_FIELD[goal.measure]
            target["measure"] = diary_coding(diary)
            unit = code = diary.unit or "{score}"
        else:
            raise ValueError(f"goal measure: unknown measure {goal.measure!r}")
        if goal.target is not None and goal.comparator:
            value = int(goal.target) if float(goal.target).is_integer() else float(goal.target)
            target["detailQuantity"] = {
                "value": value,
                "comparator": COMPARATOR[goal.comparator],
                "unit": unit,
                "system": UCUM,
                "code": code,
            }
    if goal.target_on is not None:
        target["dueDate"] = goal.target_on.isoformat()
    if target:
        resource["target"] = [target]
    return resource


def care_plan_resource(
    activities: list[ActivityRecord], *, resource_id: str, subject: str, goal_refs: list[str]
) -> dict[str, object]:
    """The CarePlan (§4.5): status, intent ``plan``, subject, its goals and its interventions."""
    resource: dict[str, object] = {
        "resourceType": "CarePlan",
        "id": resource_id,
        "status": "active",
        "intent": "plan",
        "title": "Care plan",
        "subject": {"reference": subject},
    }
    if goal_refs:
        resource["goal"] = [{"reference": ref} for ref in goal_refs]
    if activities:
        resource["activity"] = [
            {
                "detail": {
                    "code": {"text": activity.strategy},
                    "status": ACTIVITY_STATUS[activity.status],
                    "description": activity.title,
                }
            }
            for activity in activities
        ]
    return resource
