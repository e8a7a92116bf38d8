"""Helpers shared by the web forms of every app."""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError

from painmind.lib.dates import date_problem


def add_action_errors(form: forms.Form, errors: dict[str, list[str]], rename: dict[str, str] | None = None) -> None:
    """Show an action's field errors on the form: on the field of that name (or `rename[name]`),
    else at the top of the form."""
    for field, reasons in errors.items():
        name = (rename or {}).get(field, field)
        for reason in reasons:
            form.add_error(name if name in form.fields else None, reason)


def _in_range(value: date) -> None:
    problem = date_problem(value)
    if problem:
        raise ValidationError(f"The date {problem}.")


class DayField(forms.DateField):
    """A date within the stored-date range (`painmind.lib.dates`), refused on the field otherwise."""

    default_validators = [_in_range]
