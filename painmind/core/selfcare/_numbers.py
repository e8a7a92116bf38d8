"""Reading a whole number within bounds, or a day, from form or API input, with the field's error written down."""

from __future__ import annotations

import math
from datetime import date


def whole_in_range(
    value: object, field: str, errors: dict[str, list[str]], lo: int, hi: int, *, required: bool
) -> int | None:
    """``value`` as an int in ``lo..hi``; None (with a message under ``field``) when it is not one.

    Empty is None, and "is required" when ``required``; ``True`` and ``"2.5"`` are not whole numbers.
    """
    if value is None or value == "":
        if required:
            errors.setdefault(field, []).append("is required")
        return None
    try:
        number = float(value.strip()) if isinstance(value, str) else float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = math.nan
    if isinstance(value, bool) or not math.isfinite(number) or number != int(number):
        errors.setdefault(field, []).append("must be a whole number")
        return None
    if not lo <= number <= hi:
        errors.setdefault(field, []).append(f"must be between {lo} and {hi}")
        return None
    return int(number)


def read_day(value: object, field: str, errors: dict[str, list[str]], *, default: date | None = None) -> date | None:
    """``value`` as a date (a date, or "YYYY-MM-DD"); ``default`` when empty; None (with a message
    under ``field``) when it is not one."""
    if value is None or value == "":
        return default
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        errors.setdefault(field, []).append("must be a date (YYYY-MM-DD)")
        return None
