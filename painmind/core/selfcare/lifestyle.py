"""Optional daily lifestyle fields (issue 13): what each is, its limits, and the checks.

The seed names regular exercise, a balanced diet and stress reduction; clinical-reference §9
gives no numbers for these fields, so every limit below is a **project rule** (docs/selfcare.md
"Lifestyle"). A person chooses which *groups* of fields they keep (none by default), so the
check-in stays a 3-tap default; an entry is one per person and local day.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    low: int
    high: int
    per: float  # the step "what helps me" speaks of ("30 more minutes", "1 more drink")
    unit: str  # singular; "" for a 0–10 rating


# PROJECT RULE: the limits (a day has 1,440 minutes; counts capped well above any real day).
NUMERIC: dict[str, Field] = {
    f.name: f
    for f in (
        Field("exercise_minutes", "Exercise (minutes)", 0, 1440, 30.0, "minute"),
        Field("meals", "Meals", 0, 10, 1.0, "meal"),
        Field("fruit_veg_portions", "Fruit and vegetable portions", 0, 30, 1.0, "portion"),
        Field("caffeine_drinks", "Caffeine drinks", 0, 30, 1.0, "drink"),
        Field("alcohol_drinks", "Alcohol drinks", 0, 50, 1.0, "drink"),
        Field("outdoors_minutes", "Time outdoors (minutes)", 0, 1440, 30.0, "minute"),
        Field("with_others_minutes", "Time with others (minutes)", 0, 1440, 30.0, "minute"),
        Field("loneliness", "Loneliness (0–10)", 0, 10, 1.0, "point"),
    )
}
KIND_MAX_CHARS = 60
ROLE_DONE = {"none": 0.0, "some": 0.5, "all": 1.0}  # the factor: the share of the usual role done
# The groups a person chooses from, in the order the form shows them.
GROUPS: dict[str, tuple[str, ...]] = {
    "exercise": ("exercise_kind", "exercise_minutes"),
    "meals": ("meals", "fruit_veg_portions"),
    "caffeine": ("caffeine_drinks",),
    "alcohol": ("alcohol_drinks",),
    "outdoors": ("outdoors_minutes",),
    "social": ("with_others_minutes", "loneliness"),
    "role": ("role_done",),
}
GROUP_LABELS = {
    "exercise": "Exercise (kind and minutes)",
    "meals": "Meals and fruit-and-vegetable portions",
    "caffeine": "Caffeine drinks",
    "alcohol": "Alcohol drinks",
    "outdoors": "Time outdoors",
    "social": "Time with others and loneliness",
    "role": "Work or usual role done",
}
FIELDS = tuple(f for group in GROUPS.values() for f in group)
# "What helps me" factors: every numeric field, and the usual role as 0 / 0.5 / 1.
FACTORS = (*NUMERIC, "role_done")

# Tool use per day as "what helps me" factors (docs/selfcare.md "Tool use as factors").
RELAXATION_DONE = "relaxation_done"
THOUGHT_RECORD_DONE = "thought_record_done"
PACING_QUOTA_MET = "pacing_quota_met"
TOOL_FACTORS = (RELAXATION_DONE, THOUGHT_RECORD_DONE, PACING_QUOTA_MET)


class LifestyleError(Exception):
    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__(str(errors))


def clean_groups(value: object) -> list[str]:
    """The chosen groups, in GROUPS order; unknown names refused."""
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise LifestyleError({"fields": ["must be a list of group names"]})
    unknown = [v for v in value if v not in GROUPS]
    if unknown:
        raise LifestyleError({"fields": [f"unknown: {', '.join(unknown)} (choose from: {', '.join(GROUPS)})"]})
    return [g for g in GROUPS if g in value]


def clean_entry(data: Mapping[str, Any]) -> dict[str, Any]:
    """One day's values: every field of FIELDS, None (text: "") where not given (an empty field
    is missing, never 0). Raw form strings and typed JSON values are both taken; bools are refused."""
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(data) - set(FIELDS))
    for name in unknown:
        errors[name] = ["is not a lifestyle field"]
    out: dict[str, Any] = {**dict.fromkeys(NUMERIC), "exercise_kind": "", "role_done": ""}
    for name, spec in NUMERIC.items():
        raw = data.get(name)
        if raw is None or (isinstance(raw, str) and raw.strip() == ""):
            continue
        if isinstance(raw, bool) or (isinstance(raw, float) and not raw.is_integer()):
            errors[name] = ["must be a whole number"]
            continue
        try:
            value = int(raw.strip()) if isinstance(raw, str) else int(raw)
        except (TypeError, ValueError):
            errors[name] = ["must be a whole number"]
            continue
        if not spec.low <= value <= spec.high:
            errors[name] = [f"must be between {spec.low} and {spec.high}"]
            continue
        out[name] = value
    kind = data.get("exercise_kind")
    if kind is not None:
        if not isinstance(kind, str):
            errors["exercise_kind"] = ["must be text"]
        elif len(kind.strip()) > KIND_MAX_CHARS:
            errors["exercise_kind"] = [f"must be at most {KIND_MAX_CHARS} characters"]
        else:
            out["exercise_kind"] = kind.strip()
    role = data.get("role_done")
    if role is not None and role != "":
        if role not in ROLE_DONE:
            errors["role_done"] = [f"must be one of: {', '.join(ROLE_DONE)}"]
        else:
            out["role_done"] = role
    if errors:
        raise LifestyleError(errors)
    return out


def factor_values(entry: Mapping[str, Any]) -> dict[str, float | None]:
    """The day's "what helps me" values: each numeric field, the role as 0 / 0.5 / 1; None where
    the entry leaves it empty (missing, not 0)."""
    out: dict[str, float | None] = {n: None if entry.get(n) is None else float(entry[n]) for n in NUMERIC}
    role = entry.get("role_done")
    out["role_done"] = ROLE_DONE.get(role) if isinstance(role, str) else None
    return out
