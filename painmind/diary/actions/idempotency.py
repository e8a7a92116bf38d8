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
    side_effects: Callable[[M], object] | None,
) -> tuple[M, bool]:
    """Save `obj` and run its side effects in one transaction, unless its client key was used.

    The insert comes first and the unique (patient, client_id) index decides: a new entry costs
    no lookup, and a retry (or two racing each other) fails to insert, after which `stored`
    finds the earlier object and `replay` returns it when the content matches or raises a
    conflict. Without side effects, outside any transaction, the insert is the whole write:
    one statement with no BEGIN and COMMIT around it (on SQLite the database's one write lock
    is held for that statement only). Inside a caller's transaction it is a savepoint, so a
    refused insert does not spoil the caller's transaction. Returns ``(object, created)``.
    """
    try:
        if side_effects is None and not transaction.get_connection().in_atomic_block:
            obj.save()
        else:
            with transaction.atomic():
                obj.save()
                if side_effects is not None:
                    side_effects(obj)
    except IntegrityError:
        earlier = stored() if obj.client_id is not None else None
        if earlier is None:
            raise
        return replay(earlier), False
    return obj, True
