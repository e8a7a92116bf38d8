"""Template helpers for the self-management forms."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag
def field_errors(errors: dict[str, list[str]], group: str, index: int, name: str) -> list[str]:
    """The reasons for ``emotions.0.before`` and the like (the actions' dotted field names)."""
    return errors.get(f"{group}.{index}.{name}", [])


@register.filter
def get_item(mapping: dict[str, object], key: str) -> object:
    """``mapping[key]`` in a template, or None."""
    return mapping.get(key) if hasattr(mapping, "get") else None
