"""The self-management tools as per-day "what helps me" factors (issue 13), handed to the
analysis through `core.selfcare.factor_sources` (insights may not import this app).

Missing-day rules (PROJECT RULES, docs/selfcare.md "In 'what helps me'"):

- Lifestyle fields: a day without an entry, or a field left empty, is **missing**, never 0.
- A relaxation session or a thought record: **1** on a day with one, **0** on any other day
  from the person's first use of that tool to today; before the first use, missing (someone who
  never used a tool has nothing to compare).
- The pacing quota: for a daily plan (7 sessions a week) every day from its first quota to today
  is planned: **1** when a session that day reached the quota, else **0**. For a plan of fewer
  sessions a week, which days are planned is not known: only days with a session count (1 or 0).
  With several plans, a day is 1 only when every plan counted that day was met.

Only the analysis (no person's request) reads these, so there is no actor and no audit event,
like the check-ins the analysis reads.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.utils import timezone

from painmind.accounts.models import User
from painmind.core.selfcare.factor_sources import Row
from painmind.core.selfcare.lifestyle import (
    FIELDS,
    PACING_QUOTA_MET,
    RELAXATION_DONE,
    THOUGHT_RECORD_DONE,
    factor_values,
)
from painmind.selfcare.access import plan_view
from painmind.selfcare.models import LifestyleEntry, PacingPlan, PacingSession, RelaxationSession, ThoughtRecord


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _use_rows(pid: int, used: set[date], today: date, factor: str) -> list[Row]:
    if not used:
        return []
    return [(pid, d, {factor: 1.0 if d in used else 0.0}) for d in _days(min(used), max(today, *used))]


def _pacing_met(plans: list[PacingPlan], sessions: list[PacingSession], today: date) -> dict[date, float]:
    by_plan: dict[int, list[PacingSession]] = defaultdict(list)
    for s in sessions:
        by_plan[s.plan_id].append(s)
    met: dict[date, float] = {}
    for plan in plans:
        view = plan_view(plan, by_plan[plan.pk], today, [])
        if not view.weeks:
            continue  # still measuring its baseline: no quota yet
        best: dict[date, float] = defaultdict(float)
        for s in view.sessions:
            best[s.local_on] = max(best[s.local_on], float(s.done))
        days = _days(view.weeks[0].starts_on, today) if plan.sessions_per_week == 7 else sorted(best)
        for d in days:
            quota = view.quota_on(d)
            if quota is None or d > today:
                continue
            hit = 1.0 if best.get(d, 0.0) >= float(quota) else 0.0
            met[d] = min(met.get(d, 1.0), hit)
    return met


def selfcare_factor_rows(patient_ids: list[int]) -> list[Row]:
    """Rows ``(patient_id, local day, {factor: value})`` for lifestyle fields and tool use."""
    rows: list[Row] = []
    for entry in LifestyleEntry.objects.filter(patient_id__in=patient_ids).values("patient_id", "local_on", *FIELDS):
        rows.append((entry["patient_id"], entry["local_on"], dict(factor_values(entry))))
    relax: dict[int, set[date]] = defaultdict(set)
    for pid, d in RelaxationSession.objects.filter(patient_id__in=patient_ids).values_list("patient_id", "local_on"):
        relax[pid].add(d)
    records: dict[int, set[date]] = defaultdict(set)
    for pid, d in ThoughtRecord.objects.filter(patient_id__in=patient_ids).values_list("patient_id", "local_on"):
        records[pid].add(d)
    plans: dict[int, list[PacingPlan]] = defaultdict(list)
    for plan in PacingPlan.objects.filter(patient_id__in=patient_ids, baseline__isnull=False):
        plans[plan.patient_id].append(plan)
    sessions: dict[int, list[PacingSession]] = defaultdict(list)
    for s in PacingSession.objects.filter(patient_id__in=list(plans)).order_by("local_on", "id"):
        sessions[s.patient_id].append(s)
    users = {u.pk: u for u in User.objects.filter(pk__in={*relax, *records, *plans})}
    for pid, user in users.items():
        today = timezone.localdate(timezone=user.tzinfo)
        rows += _use_rows(pid, relax.get(pid, set()), today, RELAXATION_DONE)
        rows += _use_rows(pid, records.get(pid, set()), today, THOUGHT_RECORD_DONE)
        if pid in plans:
            rows += [(pid, d, {PACING_QUOTA_MET: v}) for d, v in _pacing_met(plans[pid], sessions[pid], today).items()]
    return rows
