"""The API's one error shape: ``{"detail": "...", "errors": [{"field": "...", "message": "..."}]}``.

`errors` lists each invalid field and why (422) and is empty for other errors. The handlers
that produce it for every exception are registered on the NinjaAPI in config/api.py.
"""

from __future__ import annotations

from typing import Any

from ninja import Schema


class ErrorOut(Schema):
    detail: str
    errors: list[dict[str, str]] = []


def error_body(detail: str, errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """The error shape for a message and, optionally, each field's reasons."""
    return {
        "detail": detail,
        "errors": [{"field": field, "message": msg} for field, msgs in (errors or {}).items() for msg in msgs],
    }


def field_name(loc: list[Any] | tuple[Any, ...]) -> str:
    """``pain`` from ninja's ``("body", "payload", "pain")``; ``since`` from ``("query", "since")``."""
    parts = [str(p) for p in loc if p not in ("body", "payload", "query", "path")]
    return ".".join(parts) or "body"
