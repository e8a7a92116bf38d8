"""The 409 answer shared by the diary's client-keyed writes (check-ins, questionnaire responses)."""

from __future__ import annotations

from typing import Any

from ninja import Status

from painmind.lib.api import ErrorOut


class ConflictOut(ErrorOut):
    existing_id: int


def conflict(what: str, existing_id: int, *, message: str | None = None) -> Status[Any]:
    """409 for a client_id reused with different content; the first submission stands.
    `message` replaces the default reason ("already used for a different <what>")."""
    message = message or f"already used for a different {what}"
    return Status(
        409,
        {
            "detail": f"This client_id was {message}.",
            "errors": [{"field": "client_id", "message": message}],
            "existing_id": existing_id,
        },
    )
