"""What a valid medicine item is, and the one-line errors for one that is not.

The CLI, the Django ``meds`` app and ``check()`` all go through :func:`validate_item`, so an
item valid on one path is valid on all. Errors name the item (1-based), the drug when known,
the field and the reason: ``item 2 (tramadol): dose: must be greater than 0``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date

from painmind.core.meds._model import Catalogue
from painmind.core.meds.catalogue import default_catalogue

# Accepted spellings → canonical unit. Mass units convert to mg for the MME sum; mcg/hr is a
# patch's release rate (clinical-reference §2.1: fentanyl is dosed in mcg/hr, never via mg/day).
UNITS: dict[str, str] = {
    "mg": "mg",
    "g": "g",
    "mcg": "mcg",
    "ug": "mcg",
    "µg": "mcg",
    "μg": "mcg",
    "mcg/hr": "mcg/hr",
    "mcg/h": "mcg/hr",
    "ug/hr": "mcg/hr",
    "ug/h": "mcg/hr",
    "µg/hr": "mcg/hr",
    "µg/h": "mcg/hr",
    "μg/hr": "mcg/hr",
    "μg/h": "mcg/hr",
}
TO_MG: dict[str, float] = {"mg": 1.0, "g": 1000.0, "mcg": 0.001}
RATE_UNIT = "mcg/hr"
DRUG_MAX_CHARS = 200
FIELDS = (
    "drug",
    "dose",
    "unit",
    "times_per_day",
    "every_hours",
    "as_needed",
    "max_per_day",
    "started_on",
    "stopped_on",
    "taken_last_7_days",
)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class MedsInputError(ValueError):
    """A bad medicine item; the message is one line naming the item, the field and the reason.

    Attributes ``item`` (1-based, None for the input as a whole), ``drug``, ``field`` (None when
    the whole item or input is wrong) and ``reason`` carry the parts for forms and APIs.
    """

    def __init__(self, item: int | None, drug: str | None, field: str | None, reason: str) -> None:
        self.item, self.drug, self.field, self.reason = item, drug, field, reason
        parts = ["input" if item is None else f"item {item}" + (f" ({drug})" if drug else "")]
        if field:
            parts.append(field)
        super().__init__(": ".join([*parts, reason]))


@dataclass(frozen=True)
class Item:
    """One medicine as prescribed (and, for as-needed ones, as logged).

    Attributes
    ----------
    drug
        What the person typed ("Oxycodone ER", "fentanyl patch").
    dose
        Amount per dose in ``unit``; for ``mcg/hr`` the patch's release rate.
    unit
        ``mg``, ``g``, ``mcg`` (also ``ug``, ``µg``) or ``mcg/hr`` (also ``mcg/h``…).
    times_per_day, every_hours
        The schedule: give one of them (``every_hours`` = 24 / doses a day). A ``mcg/hr`` patch
        needs neither (it releases continuously); ``every_hours`` then is the change interval.
    as_needed, max_per_day
        An as-needed medicine gives ``max_per_day`` (most doses in a day) or ``every_hours``
        (no closer than), or both (the smaller number of doses counts).
    started_on, stopped_on
        Calendar dates. A medicine counts from ``started_on`` and no longer counts from
        ``stopped_on`` (the day it was stopped) on.
    taken_last_7_days
        As-needed doses the dose log shows over the 7 days up to the check date.
    """

    drug: str
    dose: float
    unit: str
    times_per_day: float | None = None
    every_hours: float | None = None
    as_needed: bool = False
    max_per_day: float | None = None
    started_on: date | None = None
    stopped_on: date | None = None
    taken_last_7_days: float | None = None


def parse_items(raw: object, *, catalogue: Catalogue | None = None) -> list[Item]:
    """Turn parsed JSON (a list of objects) into validated :class:`Item` objects.

    Parameters
    ----------
    raw
        A list of JSON objects with the fields of :class:`Item`; dates as ``"YYYY-MM-DD"``.
    catalogue
        Used to check drug-specific units (a fentanyl patch in mcg/hr, oxycodone not in mcg/hr);
        the shipped catalogue when None.

    Raises
    ------
    MedsInputError
        At the first problem: not a list, not an object, unknown field, missing drug/dose/unit,
        a dose that is not a number or not > 0, an unknown unit, a bad date, or a contradictory
        schedule. The message is one line naming the item, drug, field and reason.
    """
    if not isinstance(raw, list | tuple):
        raise MedsInputError(None, None, None, "must be a JSON list of medicines")
    return [_from_json(n, entry, catalogue) for n, entry in enumerate(raw, start=1)]


def _from_json(n: int, entry: object, catalogue: Catalogue | None) -> Item:
    if not isinstance(entry, Mapping):
        raise MedsInputError(n, None, None, "must be a JSON object")
    drug = entry.get("drug")
    name = drug.strip() if isinstance(drug, str) and drug.strip() else None
    for key in entry:
        if key not in FIELDS:
            raise MedsInputError(n, name, str(key), f"unknown field (known: {', '.join(FIELDS)})")
    if name is None:
        raise MedsInputError(n, None, "drug", "is required" if drug in (None, "") else "must be a medicine name")

    def number(field: str) -> float | None:
        value = entry.get(field)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise MedsInputError(n, name, field, "must be a number")
        return float(value)

    def day(field: str) -> date | None:
        value = entry.get(field)
        if value is None:
            return None
        if not isinstance(value, str) or not _ISO_DATE.match(value):
            raise MedsInputError(n, name, field, "must be a date YYYY-MM-DD")
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise MedsInputError(n, name, field, "must be a date YYYY-MM-DD") from None

    for required in ("dose", "unit"):
        if entry.get(required) in (None, ""):
            raise MedsInputError(n, name, required, "is required")
    unit = entry["unit"]
    if not isinstance(unit, str):
        raise MedsInputError(n, name, "unit", f"unknown unit (use one of {', '.join(sorted(set(UNITS.values())))})")
    as_needed = entry.get("as_needed", False)
    if not isinstance(as_needed, bool):
        raise MedsInputError(n, name, "as_needed", "must be true or false")
    item = Item(
        drug=name,
        dose=number("dose") or 0.0,
        unit=unit,
        times_per_day=number("times_per_day"),
        every_hours=number("every_hours"),
        as_needed=as_needed,
        max_per_day=number("max_per_day"),
        started_on=day("started_on"),
        stopped_on=day("stopped_on"),
        taken_last_7_days=number("taken_last_7_days"),
    )
    return validate_item(item, n, catalogue)


def validate_item(item: Item, n: int, catalogue: Catalogue | None = None) -> Item:
    """Check one item and return it with its unit in canonical form.

    ``n`` is the item's 1-based position, for the error message. Raises :class:`MedsInputError`.
    """
    name = item.drug.strip() if isinstance(item.drug, str) else ""
    if not name:
        raise MedsInputError(n, None, "drug", "is required")
    if len(name) > DRUG_MAX_CHARS:
        raise MedsInputError(n, None, "drug", f"must be at most {DRUG_MAX_CHARS} characters")

    def fail(field: str, reason: str) -> MedsInputError:
        return MedsInputError(n, name, field, reason)

    if isinstance(item.dose, bool) or not isinstance(item.dose, int | float) or not math.isfinite(item.dose):
        raise fail("dose", "must be a number")
    if item.dose <= 0:
        raise fail("dose", "must be greater than 0")
    unit = UNITS.get(item.unit.strip().lower().replace(" ", "")) if isinstance(item.unit, str) else None
    if unit is None:
        raise fail("unit", f"unknown unit {item.unit!r} (use one of {', '.join(sorted(set(UNITS.values())))})")
    for field in ("times_per_day", "every_hours", "max_per_day"):
        value = getattr(item, field)
        if value is not None and (not math.isfinite(value) or value <= 0):
            raise fail(field, "must be greater than 0")
    taken = item.taken_last_7_days
    if taken is not None and (not math.isfinite(taken) or taken < 0):
        raise fail("taken_last_7_days", "must be 0 or more")
    if item.started_on and item.stopped_on and item.stopped_on < item.started_on:
        raise fail("stopped_on", f"is before started_on ({item.started_on.isoformat()})")
    _check_schedule(item, unit, fail)
    per_day = max(
        item.times_per_day or 0.0, item.max_per_day or 0.0, 24.0 / item.every_hours if item.every_hours else 1.0
    )
    if not math.isfinite(item.dose * TO_MG.get(unit, 1.0) * per_day * 1000):
        # Keeps every derived amount (and the JSON) finite; no real dose comes near this.
        raise fail("dose", "is too large")

    med = (catalogue or default_catalogue()).lookup(name)
    if med is not None and med.factor_unit == RATE_UNIT and unit != RATE_UNIT:
        raise fail("unit", f"{med.generic} is counted from the patch strength in mcg/hr, not {unit}")
    if med is not None and med.factor_unit == "mg/day" and unit == RATE_UNIT:
        raise fail("unit", f"mcg/hr is a patch rate; {med.generic} is dosed in mg")
    return replace(item, drug=name, dose=float(item.dose), unit=unit)


def _check_schedule(item: Item, unit: str, fail: Callable[[str, str], MedsInputError]) -> None:
    if unit == RATE_UNIT:
        # A patch releases continuously: its strength is already per hour.
        for field in ("times_per_day", "max_per_day", "taken_last_7_days"):
            if getattr(item, field) is not None:
                raise fail(field, "contradicts unit mcg/hr (a patch releases continuously)")
        if item.as_needed:
            raise fail("as_needed", "contradicts unit mcg/hr (a patch releases continuously)")
        return
    if item.as_needed:
        if item.times_per_day is not None:
            raise fail("times_per_day", "contradicts as_needed (give max_per_day or every_hours)")
        if item.max_per_day is None and item.every_hours is None:
            raise fail("max_per_day", "is required for an as-needed medicine (or every_hours)")
        return
    if item.max_per_day is not None:
        raise fail("max_per_day", "is only for as-needed medicines (set as_needed to true)")
    if item.taken_last_7_days is not None:
        raise fail("taken_last_7_days", "is only for as-needed medicines (set as_needed to true)")
    if item.times_per_day is not None and item.every_hours is not None:
        raise fail("every_hours", "contradicts times_per_day (give one of them)")
    if item.times_per_day is None and item.every_hours is None:
        raise fail("times_per_day", "is required (or every_hours, or as_needed with max_per_day)")
