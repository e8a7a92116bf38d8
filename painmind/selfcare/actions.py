"""Every write to the self-management tools: the patient's own, checked, atomic.

Input is a mapping of field name to value (raw form strings or typed JSON values). Bad input
raises `ActionError` naming each field, and nothing is written. Only the patient writes their
tools, so there is no one else to audit (`record` skips a patient's own actions).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from painmind.accounts.access import get_own_patient
from painmind.accounts.audit import Actor
from painmind.core.selfcare import pacing
from painmind.core.selfcare._numbers import read_day
from painmind.core.selfcare.activation import ActivityError, check_done, clean_activity
from painmind.core.selfcare.lifestyle import LifestyleError, clean_entry, clean_groups
from painmind.core.selfcare.relaxation import SessionError, clean_session
from painmind.core.selfcare.thought_records import RecordError, clean_record, clean_rerating
from painmind.lib.errors import ActionError
from painmind.selfcare.access import earlier_amounts
from painmind.selfcare.models import (
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

ACTIVITY_MAX_CHARS = 80
PAIN_MIN, PAIN_MAX = 0, 10  # the pain NRS, clinical-reference §1.10


# --- sharing ---------------------------------------------------------------------------------


@transaction.atomic
def do_set_sharing(actor: Actor, tool: str, shared: bool) -> ToolSharing:
    """The patient shares one tool with their care team, or stops sharing it."""
    patient = get_own_patient(actor)
    if tool not in Tool.values:
        raise ActionError({"tool": [f"must be one of: {', '.join(Tool.values)} (got {tool!r})"]})
    row, _ = ToolSharing.objects.update_or_create(
        patient=patient, tool=tool, defaults={"shared": bool(shared), "updated_at": timezone.now()}
    )
    return row


# --- thought records -------------------------------------------------------------------------


@transaction.atomic
def do_create_thought_record(actor: Actor, data: Mapping[str, Any]) -> ThoughtRecord:
    """Store the patient's thought record (§9.1). The day is today in the patient's time zone."""
    patient = get_own_patient(actor)
    try:
        values = clean_record(data)
    except RecordError as exc:
        raise ActionError(exc.errors) from None
    return ThoughtRecord.objects.create(patient=patient, local_on=timezone.localdate(timezone=patient.tzinfo), **values)


@transaction.atomic
def do_rerate_thought_record(actor: Actor, record_id: int | str, after: object) -> ThoughtRecord:
    """Fill in column 7 after the fact: one 0–100 re-rating per emotion, in the record's order
    (a later re-rating replaces an earlier one). Only the patient's own records."""
    patient = get_own_patient(actor)
    try:
        pk = int(record_id)
    except (TypeError, ValueError):
        raise Http404("No such thought record.") from None
    item = ThoughtRecord.objects.select_for_update().filter(pk=pk, patient=patient).first()
    if item is None:
        raise Http404("No such thought record.")
    try:
        item.emotions = clean_rerating(item.emotions, after)
    except RecordError as exc:
        raise ActionError(exc.errors) from None
    item.save(update_fields=["emotions"])
    return item


# --- pacing ----------------------------------------------------------------------------------


def _amount(value: object, field: str, errors: dict[str, list[str]], *, required: bool) -> Decimal | None:
    if value is None or value == "":
        if required:
            errors.setdefault(field, []).append("is required")
        return None
    if isinstance(value, bool):
        errors.setdefault(field, []).append("must be a number")
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        errors.setdefault(field, []).append("must be a number")
        return None
    if not number.is_finite() or number.adjusted() > 8:
        errors.setdefault(field, []).append("is too large")
        return None
    if number != number.quantize(Decimal("0.01")):
        errors.setdefault(field, []).append("must be a number with at most 2 decimal places")
        return None
    return number


def _whole(value: object, field: str, errors: dict[str, list[str]], *, default: int | None = None) -> int | None:
    if value is None or value == "":
        if default is None:
            errors.setdefault(field, []).append("is required")
        return default
    try:
        number = float(str(value).strip()) if isinstance(value, str) else float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = math.nan
    if isinstance(value, bool) or not math.isfinite(number) or number != int(number):
        errors.setdefault(field, []).append("must be a whole number")
        return None
    return int(number)


@transaction.atomic
def do_create_pacing_plan(actor: Actor, data: Mapping[str, Any]) -> PacingPlan:
    """A quota pacing plan (§9.2). Without `baseline`, the mean of the last 3–5 sessions of the
    same activity in earlier plans; with fewer than 3, the plan starts by measuring: its first
    3 sessions set the baseline (docs/selfcare.md)."""
    patient = get_own_patient(actor)
    errors: dict[str, list[str]] = {}
    activity = str(data.get("activity") or "").strip()
    if not activity:
        errors["activity"] = ["is required"]
    elif len(activity) > ACTIVITY_MAX_CHARS:
        errors["activity"] = [f"must be at most {ACTIVITY_MAX_CHARS} characters"]
    unit = str(data.get("unit") or "").strip()
    baseline = _amount(data.get("baseline"), "baseline", errors, required=False)
    goal = _amount(data.get("goal"), "goal", errors, required=True)
    step_percent = _whole(data.get("step_percent"), "step_percent", errors)
    per_week = _whole(data.get("sessions_per_week"), "sessions_per_week", errors, default=7)
    today = timezone.localdate(timezone=patient.tzinfo)
    start_on = read_day(data.get("start_on"), "start_on", errors, default=today)
    from_sessions = False
    if baseline is None and not errors.get("activity") and unit in pacing.UNITS:
        found = pacing.baseline_from_sessions(earlier_amounts(patient, activity, unit))
        if found is not None:
            baseline, from_sessions = found.quantize(Decimal("0.01")), True
    if goal is not None and step_percent is not None and per_week is not None:
        for field, reasons in pacing.check_plan(
            unit=unit, baseline=baseline, step_percent=step_percent, goal=goal, sessions_per_week=per_week
        ).items():
            errors.setdefault(field, []).extend(reasons)
    elif unit not in pacing.UNITS:
        errors["unit"] = [f"must be one of: {', '.join(pacing.UNITS)} (got {unit!r})"]
    if errors:
        raise ActionError(errors)
    assert goal is not None
    assert step_percent is not None
    assert per_week is not None
    assert start_on is not None
    return PacingPlan.objects.create(
        patient=patient,
        activity=activity,
        unit=unit,
        baseline=baseline,
        baseline_from_sessions=from_sessions,
        step_percent=step_percent,
        goal=goal,
        start_on=start_on,
        sessions_per_week=per_week,
    )


@transaction.atomic
def do_log_pacing_session(actor: Actor, plan_id: int | str, data: Mapping[str, Any]) -> PacingSession:
    """Log one session: amount done (in the plan's unit), pain before and after 0–10, the day
    (default today, never in the future). In a plan still measuring its baseline, the third
    session sets it (the mean of the three) and the quotas start the next day."""
    patient = get_own_patient(actor)
    try:
        pk = int(plan_id)
    except (TypeError, ValueError):
        raise Http404("No such pacing plan.") from None
    plan = PacingPlan.objects.select_for_update().filter(pk=pk, patient=patient).first()
    if plan is None:
        raise Http404("No such pacing plan.")
    errors: dict[str, list[str]] = {}
    today = timezone.localdate(timezone=patient.tzinfo)
    done = _amount(data.get("done"), "done", errors, required=True)
    limit = pacing.UNIT_MAX[plan.unit]
    if done is not None and not 0 <= done <= limit:
        errors.setdefault("done", []).append(f"must be between 0 and {limit:f} {plan.unit}")
    pains = {}
    for field in ("pain_before", "pain_after"):
        raw = data.get(field)
        value = None if raw is None or raw == "" else _whole(raw, field, errors)
        if value is not None and not PAIN_MIN <= value <= PAIN_MAX:
            errors.setdefault(field, []).append(f"must be between {PAIN_MIN} and {PAIN_MAX}")
        pains[field] = value
    on = read_day(data.get("on"), "on", errors, default=today)
    if on is not None and on > today:
        errors.setdefault("on", []).append("cannot be in the future")
    if errors:
        raise ActionError(errors)
    assert done is not None
    assert on is not None
    session = PacingSession.objects.create(plan=plan, patient=patient, local_on=on, done=done, **pains)
    if plan.baseline is None:
        amounts = list(plan.sessions.order_by("local_on", "id").values_list("done", flat=True))
        found = pacing.baseline_from_sessions(amounts)
        if found is not None and found > 0:
            plan.baseline = found.quantize(Decimal("0.01"))
            plan.baseline_from_sessions = True
            plan.start_on = max(plan.start_on, on + timedelta(days=1))
            # A measured baseline that leaves no room to the goal keeps the plan measuring
            # (the page says so); the session is stored either way.
            if not pacing.check_plan(
                unit=plan.unit,
                baseline=plan.baseline,
                step_percent=plan.step_percent,
                goal=plan.goal,
                sessions_per_week=plan.sessions_per_week,
            ):
                plan.save(update_fields=["baseline", "baseline_from_sessions", "start_on"])
    return session


# --- relaxation and behavioural activation ---------------------------------------------------


@transaction.atomic
def do_log_relaxation_session(actor: Actor, data: Mapping[str, Any]) -> RelaxationSession:
    """A finished relaxation session (§9.4) with its ratings before and after; the day is today
    in the patient's time zone."""
    patient = get_own_patient(actor)
    try:
        values = clean_session(data)
    except SessionError as exc:
        raise ActionError(exc.errors) from None
    return RelaxationSession.objects.create(
        patient=patient, local_on=timezone.localdate(timezone=patient.tzinfo), **values
    )


@transaction.atomic
def do_add_activity(actor: Actor, data: Mapping[str, Any]) -> Activity:
    """An activity planned for a coming day, or done (with mastery and pleasure 0–10), §9.3."""
    patient = get_own_patient(actor)
    try:
        values = clean_activity(data, timezone.localdate(timezone=patient.tzinfo))
    except ActivityError as exc:
        raise ActionError(exc.errors) from None
    return Activity.objects.create(patient=patient, **values)


@transaction.atomic
def do_mark_activity_done(actor: Actor, activity_id: int | str, data: Mapping[str, Any]) -> Activity:
    """Mark a planned activity done (default today) with its mastery and pleasure ratings."""
    patient = get_own_patient(actor)
    try:
        pk = int(activity_id)
    except (TypeError, ValueError):
        raise Http404("No such activity.") from None
    item = Activity.objects.select_for_update().filter(pk=pk, patient=patient).first()
    if item is None:
        raise Http404("No such activity.")
    today = timezone.localdate(timezone=patient.tzinfo)
    errors: dict[str, list[str]] = {}
    values = check_done({**data, "done_on": data.get("done_on") or today}, today, errors)
    if errors:
        raise ActionError(errors)
    for field, value in values.items():
        setattr(item, field, value)
    item.save(update_fields=list(values))
    return item


# --- lifestyle fields ------------------------------------------------------------------------


@transaction.atomic
def do_choose_lifestyle_fields(actor: Actor, groups: object) -> LifestyleChoice:
    """The patient chooses which groups of lifestyle fields they keep (an empty list: none)."""
    patient = get_own_patient(actor)
    try:
        chosen = clean_groups(groups)
    except LifestyleError as exc:
        raise ActionError(exc.errors) from None
    row, _ = LifestyleChoice.objects.update_or_create(
        patient=patient, defaults={"groups": chosen, "updated_at": timezone.now()}
    )
    return row


@transaction.atomic
def do_save_lifestyle(actor: Actor, on: date, data: Mapping[str, Any]) -> LifestyleEntry:
    """Store the patient's lifestyle fields for local day `on` (never in the future), replacing
    that day's entry: saving the same values twice leaves one identical entry (PUT semantics:
    a field not given is empty, i.e. missing)."""
    patient = get_own_patient(actor)
    errors: dict[str, list[str]] = {}
    try:
        values = clean_entry(data)
    except LifestyleError as exc:
        errors.update(exc.errors)
        values = {}
    if on > timezone.localdate(timezone=patient.tzinfo):
        errors["date"] = ["cannot be in the future"]
    if errors:
        raise ActionError(errors)
    entry, _ = LifestyleEntry.objects.update_or_create(
        patient=patient, local_on=on, defaults={**values, "updated_at": timezone.now()}
    )
    return entry
