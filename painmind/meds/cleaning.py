"""Reading regimen, dose and side-effect input: form strings and JSON values alike.

Each `clean_*` collects every field's reasons before raising one `ActionError`, so a form shows
all its problems at once and nothing is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from painmind.lib.dates import date_problem
from painmind.lib.errors import ActionError
from painmind.lib.schemas import text_problem
from painmind.meds.models import (
    NAME_MAX_CHARS,
    NOTES_MAX_CHARS,
    SIDE_EFFECT_TEXT_MAX_CHARS,
    Form,
    Reason,
    Route,
    Schedule,
    SideEffectKind,
    Unit,
)

REGIMEN_FIELDS = (
    "name",
    "strength",
    "strength_unit",
    "form",
    "route",
    "dose",
    "dose_unit",
    "schedule",
    "times_per_day",
    "every_hours",
    "max_per_day",
    "reason",
    "prescriber",
    "prescriber_name",
    "started_on",
    "stopped_on",
    "notes",
)
# Far above any real regimen, low enough to catch a slipped key (a dose of 10000 mg, 100 a day).
DOSE_MAX = Decimal("5000")
TIMES_PER_DAY_MAX = 24
MAX_PER_DAY_MAX = 24

Errors = dict[str, list[str]]


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _choice(value: object, choices: list[str], field: str, errors: Errors, *, blank: bool) -> str:
    text = _text(value)
    if text == "" and blank:
        return ""
    if text not in choices:
        errors.setdefault(field, []).append(
            "is required" if text == "" else f"must be one of: {', '.join(choices)} (got {text!r})"
        )
    return text


def _decimal(value: object, field: str, errors: Errors, *, required: bool) -> Decimal | None:
    if value is None or (isinstance(value, str) and value.strip() == ""):
        if required:
            errors.setdefault(field, []).append("is required")
        return None
    try:
        if isinstance(value, bool):
            raise InvalidOperation
        number = Decimal(str(value).strip())
    except InvalidOperation:
        errors.setdefault(field, []).append("must be a number")
        return None
    if not number.is_finite() or number <= 0:
        errors.setdefault(field, []).append("must be a number above 0")
        return None
    if number > DOSE_MAX:
        errors.setdefault(field, []).append(f"must be at most {DOSE_MAX}")
        return None
    if number != number.quantize(Decimal("0.001")):
        errors.setdefault(field, []).append("may have at most three decimal places")
        return None
    return number


def _count(value: object, field: str, errors: Errors, *, lo: int, hi: int) -> int | None:
    if value is None or value == "":
        return None
    try:
        if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
            raise ValueError
        number = int(str(value).strip()) if not isinstance(value, int | float) else int(value)
    except ValueError:
        errors.setdefault(field, []).append("must be a whole number")
        return None
    if not lo <= number <= hi:
        errors.setdefault(field, []).append(f"must be between {lo} and {hi}")
        return None
    return number


def parse_date(value: object, field: str, errors: Errors) -> date | None:
    """A date from a form string or a JSON value, within the stored-date range (lib.dates)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    else:
        try:
            day = date.fromisoformat(str(value).strip())
        except ValueError:
            errors.setdefault(field, []).append("must be a date (YYYY-MM-DD)")
            return None
    problem = date_problem(day)
    if problem:
        errors.setdefault(field, []).append(problem)
        return None
    return day


def _limit(text: str, field: str, maximum: int, errors: Errors, *, required: bool) -> str:
    problem = text_problem(text)
    if required and not text:
        errors.setdefault(field, []).append("is required")
    elif problem:
        errors.setdefault(field, []).append(problem)
    elif len(text) > maximum:
        errors.setdefault(field, []).append(f"must be at most {maximum} characters (it has {len(text)})")
    return text


def clean_regimen(data: Mapping[str, Any], *, today: date) -> dict[str, Any]:
    """A complete regimen from raw input; `ActionError` naming every bad field.

    `prescriber` is left as given (a clinician id or blank): whether it names someone on the
    patient's team is the action's question. Schedule fields that do not belong to the chosen
    schedule must be blank; a start date may not be in the future (a plan, not a medicine taken).
    """
    errors: Errors = {}
    unknown = sorted(set(data) - set(REGIMEN_FIELDS))
    for field in unknown:
        errors.setdefault(field, []).append("is not a regimen field")
    out: dict[str, Any] = {
        "name": _limit(_text(data.get("name")), "name", NAME_MAX_CHARS, errors, required=True),
        "strength": _decimal(data.get("strength"), "strength", errors, required=False),
        "strength_unit": _choice(data.get("strength_unit"), Unit.values, "strength_unit", errors, blank=True),
        "form": _choice(data.get("form"), Form.values, "form", errors, blank=True),
        "route": _choice(data.get("route"), Route.values, "route", errors, blank=True),
        "dose": _decimal(data.get("dose"), "dose", errors, required=True),
        "dose_unit": _choice(data.get("dose_unit"), Unit.values, "dose_unit", errors, blank=False),
        "schedule": _choice(data.get("schedule"), Schedule.values, "schedule", errors, blank=False),
        "times_per_day": _count(data.get("times_per_day"), "times_per_day", errors, lo=1, hi=TIMES_PER_DAY_MAX),
        "every_hours": _count(data.get("every_hours"), "every_hours", errors, lo=1, hi=24),
        "max_per_day": _count(data.get("max_per_day"), "max_per_day", errors, lo=1, hi=MAX_PER_DAY_MAX),
        "reason": _choice(data.get("reason"), Reason.values, "reason", errors, blank=False),
        "prescriber": data.get("prescriber") or None,
        "prescriber_name": _limit(
            _text(data.get("prescriber_name")), "prescriber_name", NAME_MAX_CHARS, errors, required=False
        ),
        "started_on": parse_date(data.get("started_on"), "started_on", errors) or today,
        "stopped_on": parse_date(data.get("stopped_on"), "stopped_on", errors),
        "notes": _limit(_text(data.get("notes")), "notes", NOTES_MAX_CHARS, errors, required=False),
    }
    if out["strength"] is not None and not out["strength_unit"] and "strength_unit" not in errors:
        errors.setdefault("strength_unit", []).append("is required with a strength")
    schedule = out["schedule"]
    needed = {"times_a_day": "times_per_day", "every_hours": "every_hours", "as_needed": "max_per_day"}.get(schedule)
    if needed and out[needed] is None and needed not in errors:
        errors.setdefault(needed, []).append(f"is required for the schedule {schedule!r}")
    for field in ("times_per_day", "every_hours"):
        if field != needed and out[field] is not None:
            errors.setdefault(field, []).append(f"must be blank for the schedule {schedule!r}")
    if schedule != "as_needed":
        out["max_per_day"] = None  # kept only where it means something
    if out["dose_unit"] == Unit.MCG_PER_HR and out["route"] not in ("", Route.TRANSDERMAL):
        errors.setdefault("dose_unit", []).append("mcg/hr is for patches (route: transdermal)")
    if out["started_on"] > today:
        errors.setdefault("started_on", []).append("may not be in the future")
    if out["stopped_on"] is not None and out["stopped_on"] < out["started_on"]:
        errors.setdefault("stopped_on", []).append("may not be before the start date")
    if out["prescriber"] is not None and out["prescriber_name"]:
        errors.setdefault("prescriber_name", []).append("give a team clinician or a name, not both")
    if errors:
        raise ActionError(errors)
    return out


def clean_side_effect(data: Mapping[str, Any], *, today: date) -> dict[str, Any]:
    """A side effect from raw input: kind, free text (required for "other"), severity 0–10, date."""
    errors: Errors = {}
    for field in sorted(set(data) - {"kind", "text", "severity", "regimen", "noted_on"}):
        errors.setdefault(field, []).append("is not a side-effect field")
    kind = _choice(data.get("kind"), SideEffectKind.values, "kind", errors, blank=False)
    text = _limit(_text(data.get("text")), "text", SIDE_EFFECT_TEXT_MAX_CHARS, errors, required=kind == "other")
    raw = data.get("severity")
    severity: int | None = None
    if raw is None or raw == "":
        errors.setdefault("severity", []).append("is required")
    else:
        severity = _count(raw, "severity", errors, lo=0, hi=10)
    noted_on = parse_date(data.get("noted_on"), "noted_on", errors) or today
    if noted_on > today:
        errors.setdefault("noted_on", []).append("may not be in the future")
    if errors:
        raise ActionError(errors)
    return {"kind": kind, "text": text, "severity": severity, "noted_on": noted_on, "regimen": data.get("regimen")}
