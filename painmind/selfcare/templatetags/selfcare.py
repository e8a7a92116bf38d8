"""Template helpers for the self-management forms."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag
def field_errors(errors: dict[str, list[str]], group: str, index: int, name: str) -> list[str]:
    """The reasons for ``emotions.0.before`` and the like (the actions' dotted field names)."""
    return errors.get(f"{group}.{index}.{name}", [])
