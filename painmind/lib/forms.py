"""Helpers shared by the web forms of every app."""

from __future__ import annotations

from django import forms


def add_action_errors(form: forms.Form, errors: dict[str, list[str]], rename: dict[str, str] | None = None) -> None:
    """Show an action's field errors on the form: on the field of that name (or `rename[name]`),
    else at the top of the form."""
    for field, reasons in errors.items():
        name = (rename or {}).get(field, field)
        for reason in reasons:
            form.add_error(name if name in form.fields else None, reason)
