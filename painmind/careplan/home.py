"""The care plan's next step on the patient's home page (a `diary.hooks` home section).

A project rule (docs/patient.md, "Home"): the next step is the open intervention with the
earliest review date (the plan's own order); without one, the active goal with the nearest
target date; without either, the section is left out.
"""

from __future__ import annotations

from typing import Any

from painmind.accounts.audit import Actor
from painmind.accounts.models import User
from painmind.careplan.access import get_care_plan_for_user


def next_step_section(actor: Actor, patient: User) -> dict[str, Any] | None:
    plan = get_care_plan_for_user(actor, history=False)
    opened = [v for group in plan.open_groups for v in group.interventions]
    intervention = min(
        opened,
        key=lambda v: (v.intervention.review_on is None, v.intervention.review_on, v.intervention.pk),
        default=None,
    )
    goal = plan.active_goals[0] if plan.active_goals else None
    if intervention is None and goal is None:
        return None
    return {
        "template": "careplan/_home_next_step.html",
        "order": 20,
        "intervention": intervention,
        "goal": goal if intervention is None else None,
        "url": plan.url,
    }
