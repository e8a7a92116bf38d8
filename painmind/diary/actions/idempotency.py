"""Client-keyed writes: a retried submission returns the first one and never duplicates it."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Protocol, TypeVar

from django.db import IntegrityError, transaction


class ClientKeyed(Protocol):
    client_id: uuid.UUID | None

    def save(self) -> None: ...


M = TypeVar("M", bound=ClientKeyed)


def parse_client_id(value: uuid.UUID | str | None) -> uuid.UUID | None:
    """The client's key as a UUID; ValueError when it is not one."""
    if value is None or isinstance(value, uuid.UUID):
        return value
    return uuid.UUID(str(value))


def save_once(
    obj: M,
    *,
    stored: Callable[[], M | None],
    replay: Callable[[M], M],
    side_effects: Callable[[M], object],
) -> tuple[M, bool]:
    """Save `obj` and run its side effects in one transaction, unless its client key was used.

    `stored` finds the earlier object with the same key; `replay` returns it when the content
    matches and raises a conflict otherwise. Two retries racing each other both reach the
    insert; the unique (patient, client_id) index admits one, and the other is replayed.
    Returns ``(object, created)``.
    """
    if obj.client_id is not None:
        earlier = stored()
        if earlier is not None:
            return replay(earlier), False
    try:
        with transaction.atomic():
            obj.save()
            side_effects(obj)
    except IntegrityError:
        earlier = stored() if obj.client_id is not None else None
        if earlier is None:
            raise
        return replay(earlier), False
    return obj, True
