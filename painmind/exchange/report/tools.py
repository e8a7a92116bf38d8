"""The report's "tool use" line: uses of each self-management tool in the last 28 days and the
last use. A clinician gets the selfcare app's usage summary (counts for every tool, whatever the
patient shares: its project rule); the patient counts their own, read through their own loaders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from painmind.accounts.audit import Actor
from painmind.core.selfcare.usage import USAGE_WINDOW_DAYS, usage
from painmind.selfcare.access import (
    get_activities_for_user,
    get_lifestyle_for_user,
    get_pacing_plans_for_user,
    get_relaxation_sessions_for_user,
    get_thought_records_for_user,
    get_tool_usage_for_user,
)
from painmind.selfcare.models import Tool


@dataclass(frozen=True)
class ToolUse:
    label: str
    recent: int  # uses in the last WINDOW days
    last: date | None


WINDOW = USAGE_WINDOW_DAYS


def _own_days(actor: Actor, today: date) -> dict[str, list[date]]:
    _, records = get_thought_records_for_user(actor)
    _, plans = get_pacing_plans_for_user(actor)
    _, sessions = get_relaxation_sessions_for_user(actor)
    _, activities = get_activities_for_user(actor)
    _, lifestyle = get_lifestyle_for_user(actor, until=today)
    return {
        Tool.THOUGHT_RECORDS: [r.local_on for r in records],
        Tool.PACING: [s.local_on for p in plans for s in p.sessions.all()],
        Tool.RELAXATION: [s.local_on for s in sessions],
        Tool.ACTIVITIES: [a.done_on for a in activities if a.done_on is not None],
        Tool.LIFESTYLE: [e.local_on for e in lifestyle],
    }


def tool_use(actor: Actor, patient_id: int | None, today: date) -> list[ToolUse]:
    """Every tool, in the selfcare app's order; own when `patient_id` is None."""
    if patient_id is not None:
        _, rows = get_tool_usage_for_user(actor, patient_id)
        return [ToolUse(r.label, r.usage.recent, r.usage.last) for r in rows]
    days = _own_days(actor, today)
    out = []
    for tool in Tool:
        u = usage(days[tool.value], today)
        out.append(ToolUse(str(tool.label), u.recent, u.last))
    return out
