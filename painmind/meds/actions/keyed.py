"""Client-keyed writes, as the diary's check-ins (`painmind.diary.actions.idempotency`, which
`meds` may not import: the two apps sit side by side): the unique (patient, client_id) index
decides, so a retry, or two racing each other, never stores a second row."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

from django.db import IntegrityError, models, transaction

from painmind.lib.errors import ActionError

M = TypeVar("M", bound=models.Model)


def parse_client_id(value: uuid.UUID | str | None) -> uuid.UUID | None:
    if isinstance(value, uuid.UUID):
        return value
    if value is None or value == "":
        return None
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise ActionError({"client_id": ["must be a UUID"]}) from None


def save_once(
    obj: M, *, stored: Callable[[], M | None], replay: Callable[[M], M], after: Callable[[M], object]
) -> tuple[M, bool]:
    """Save `obj` and run `after` in one transaction; on a used client key return `replay(earlier)`."""
    try:
        with transaction.atomic():
            obj.save()
            after(obj)
    except IntegrityError:
        earlier = stored()
        if earlier is None:
            raise
        return replay(earlier), False
    return obj, True
