"""Reading care-plan input: form strings and JSON values alike, into checked model values.

Each `clean_*` collects every field's reasons before raising one `ActionError`, so a form shows
all its problems at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from painmind.accounts.models import User
from painmind.careplan.models import Comparator, GoalStatus, InterventionStatus, Strategy
from painmind.core.careplan import Measure, format_value
from painmind.core.selfcare.tools import PER_WEEK_MAX, PER_WEEK_MIN, TIED_STRATEGIES, TOOL_LABELS
from painmind.lib.dates import date_problem
from painmind.lib.errors import ActionError

DESCRIPTION_MAX_CHARS = 200
TITLE_MAX_CHARS = 200
DETAIL_MAX_CHARS = 2000


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


DECIMAL_LIMIT = Decimal(100000)


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
    # Goal.target is stored with 6 digits, one after the point; beyond that quantize overflows.
    if abs(number) >= DECIMAL_LIMIT:
        errors.setdefault(field, []).append(f"must be between -{DECIMAL_LIMIT} and {DECIMAL_LIMIT}")
        return None
    if number != number.quantize(Decimal("0.1")):
        errors.setdefault(field, []).append("may have at most one decimal place")
        return None
    return number.quantize(Decimal("0.1"))


def _date(value: object, field: str, errors: dict[str, list[str]]) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        value = value.isoformat()
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
        "target_on": _date(data.get("target_on"), "target_on", errors),
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
        "review_on": _date(data.get("review_on"), "review_on", errors),
        "status": _choice(
            data.get("status") or InterventionStatus.PLANNED, InterventionStatus.values, "status", errors, blank=False
        ),
    }
    _clean_tool(data, out, errors)
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


def _whole(value: object, field: str, low: int, high: int, errors: dict[str, list[str]]) -> int | None:
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return None
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        errors.setdefault(field, []).append("must be a whole number")
        return None
    try:
        number = int(value.strip()) if isinstance(value, str) else int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        errors.setdefault(field, []).append("must be a whole number")
        return None
    if not low <= number <= high:
        errors.setdefault(field, []).append(f"must be between {low} and {high}")
        return None
    return number


def _clean_tool(data: Mapping[str, object], out: dict[str, Any], errors: dict[str, list[str]]) -> None:
    """The tied tool and its weekly count (PROJECT RULES, core.selfcare.tools): a tool only on a
    CBT or lifestyle intervention; a weekly count 1–21, only with a tool."""
    out["tool"] = _choice(data.get("tool"), list(TOOL_LABELS), "tool", errors, blank=True)
    out["tool_per_week"] = _whole(data.get("tool_per_week"), "tool_per_week", PER_WEEK_MIN, PER_WEEK_MAX, errors)
    if out["tool"] and out["strategy"] and out["strategy"] not in TIED_STRATEGIES and "strategy" not in errors:
        labels = " or ".join(Strategy(s).label for s in TIED_STRATEGIES)
        errors.setdefault("tool", []).append(f"only a {labels} intervention can be tied to a tool")
    if out["tool_per_week"] is not None and not out["tool"] and "tool" not in errors:
        errors.setdefault("tool_per_week", []).append("needs a tool (choose one, or leave the weekly count empty)")
