"""The one rule for every date PainMind stores (a project rule, docs/development.md "Dates"):

- **Years 1900 to 2100.** A diary, a questionnaire, a filter or a goal outside them is a typing
  mistake, and the databases disagree about them (PostgreSQL stores 9999-12-31 at -12:00 as
  year 10000, which Python cannot read back; `date.min` overflows on any time-zone shift).
- **Ends at most a year ahead** (`MAX_AHEAD`, 366 days so a year from a leap day fits): a
  consent's or an invitation's chosen end, a share link. Longer than that is "until revoked".

`check_date` and `check_end` raise `ActionError` naming the field, so the API answers 422 with
that field and a form shows it on the field.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from painmind.lib.errors import ActionError

MIN_YEAR = 1900
MAX_YEAR = 2100
MAX_AHEAD = timedelta(days=366)


def date_problem(value: date | datetime) -> str | None:
    """Why `value` is outside the stored-date range, or None when it is inside."""
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        return f"must be between the years {MIN_YEAR} and {MAX_YEAR}"
    if isinstance(value, datetime) and value.tzinfo is not None:
        # An offset can carry a time just inside the range out of it once stored in UTC.
        try:
            utc_year = (value - value.utcoffset()).year if value.utcoffset() else value.year  # type: ignore[operator]
        except OverflowError:
            return f"must be between the years {MIN_YEAR} and {MAX_YEAR}"
        if not MIN_YEAR <= utc_year <= MAX_YEAR:
            return f"must be between the years {MIN_YEAR} and {MAX_YEAR}"
    return None


def check_date(value: date | datetime | None, field: str) -> None:
    """ActionError on `field` when `value` is outside years `MIN_YEAR`–`MAX_YEAR`; None passes."""
    if value is None:
        return
    problem = date_problem(value)
    if problem:
        raise ActionError({field: [problem]})


def check_end(value: datetime | None, field: str, *, now: datetime) -> None:
    """ActionError on `field` when a chosen end is more than `MAX_AHEAD` after `now`; None passes."""
    if value is None:
        return
    check_date(value, field)
    if value - now > MAX_AHEAD:
        raise ActionError({field: [f"must be at most {MAX_AHEAD.days} days ahead"]})
