"""Who is acting, and the audit trail of what they did with a patient's data."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from django.db import connections, router
from django.db.models import CharField
from django.http import HttpRequest

from painmind.accounts.lockout import client_address
from painmind.accounts.models import AuditAction, AuditEvent

if TYPE_CHECKING:
    from painmind.accounts.models import ShareLink, User

# "link": someone holding a patient's share link, signed in or not (see ShareLink).
Via = Literal["web", "api", "cli", "link", "admin"]


@dataclass(frozen=True)
class Actor:
    """The person (or the operator at the command line) behind a read or write.

    Views build one from the request; access and action functions take it instead of the
    request, so they work the same from the web, the API and the CLI.
    """

    user: User | None
    via: Via
    ip: str | None = None
    # Set (with user=None, via="link") for a view through a share link: access admits it for
    # that link's patient and scopes only, while the link is active.
    share_link: ShareLink | None = None

    @classmethod
    def from_request(cls, request: HttpRequest, via: Via) -> Actor:
        user = request.user if request.user.is_authenticated else None
        return cls(user=user, via=via, ip=client_ip(request))

    @classmethod
    def cli(cls, user: User | None = None) -> Actor:
        return cls(user=user, via="cli")

    @classmethod
    def for_link(cls, request: HttpRequest, link: ShareLink) -> Actor:
        """Whoever opened a share link: anonymous even if signed in, known by the link's label."""
        return cls(user=None, via="link", ip=client_ip(request), share_link=link)

    @property
    def label(self) -> str:
        if self.share_link is not None:
            return f'share link "{self.share_link.label}"'
        return self.user.email if self.user is not None else "operator (command line)"


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as the audit trail stores it: the same rule as sign-in lockouts
    (`painmind.accounts.lockout.client_address`), so X-Forwarded-For counts only when
    PAINMIND_TRUST_X_FORWARDED_FOR is on, and then only its last entry, the one our proxy wrote;
    the entries before it come from the client and could name anyone."""
    return client_address(request)


def record(
    actor: Actor,
    patient: User,
    action: AuditAction,
    object_type: str,
    *,
    object_id: object = "",
    detail: str = "",
) -> AuditEvent | None:
    """Store one audit event, unless the actor is the patient themselves."""
    events = record_many(actor, [patient], action, object_type, object_id=object_id, detail=detail)
    return events[0] if events else None


def _event(
    actor: Actor, action: AuditAction, object_type: str, *, object_id: object, detail: str, patient: User | None = None
) -> AuditEvent:
    """The audit event that `actor` doing `action` on `object_type` of `patient` leaves."""
    return AuditEvent(
        actor=actor.user,
        actor_label=actor.label,
        actor_role=actor.user.role if actor.user is not None else "",
        patient=patient,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        detail=detail[:200],
        ip=actor.ip,
        via=actor.via,
    )


def record_many(
    actor: Actor,
    patients: Iterable[User],
    action: AuditAction,
    object_type: str,
    *,
    object_id: object = "",
    detail: str = "",
) -> list[AuditEvent]:
    """Store one audit event per patient (one query), skipping the actor's own data."""
    own_id = actor.user.pk if actor.user is not None else None
    events = [
        _event(actor, action, object_type, object_id=object_id, detail=detail, patient=patient)
        for patient in patients
        if patient.pk != own_id
    ]
    if events:
        AuditEvent.objects.bulk_create(events)
    return events


def record_many_at_once(
    actor: Actor,
    patients: Sequence[User],
    action: AuditAction,
    object_type: str,
    *,
    object_id: object = "",
    detail: str = "",
) -> None:
    """What `record_many` stores, written by one INSERT … SELECT over the patients' ids.

    Every column but the patient is the same in all the events, so the database repeats one row
    of values over the list of ids instead of Django building and sending an instance per
    patient (~50 ms for the clinician panel's 1,000 patients, docs/panel.md). On a backend other
    than PostgreSQL or SQLite it is `record_many`. The events are not returned.
    """
    own_id = actor.user.pk if actor.user is not None else None
    ids = [p.pk for p in patients if p.pk != own_id]
    if not ids:
        return
    conn = connections[router.db_for_write(AuditEvent)]
    if conn.vendor == "postgresql":
        source, patient_column = "unnest(%s::bigint[]) WITH ORDINALITY AS p(id, n) ORDER BY p.n", "p.id"
        ids_param: list[int] | str = ids
    elif conn.vendor == "sqlite":
        source, patient_column = "json_each(%s) AS p ORDER BY p.key", "p.value"
        ids_param = json.dumps(ids)
    else:
        record_many(actor, patients, action, object_type, object_id=object_id, detail=detail)
        return
    event = _event(actor, action, object_type, object_id=object_id, detail=detail)
    columns, values, params = [], [], []
    for f in AuditEvent._meta.concrete_fields:
        if f.primary_key:
            continue
        columns.append(conn.ops.quote_name(f.column))
        if f.attname == "patient_id":
            values.append(patient_column)
            continue
        params.append(f.get_db_prep_save(f.pre_save(event, add=True), conn))
        # PostgreSQL reads an untyped value in a SELECT list as text, which it will not store
        # in an inet or timestamp column: say the type (text goes into varchar as it is).
        needs_cast = conn.vendor == "postgresql" and not isinstance(f, CharField)
        values.append(f"CAST(%s AS {f.db_type(conn)})" if needs_cast else "%s")
    table = conn.ops.quote_name(AuditEvent._meta.db_table)
    # Only names from the model's metadata are formatted in; every value is a parameter.
    sql = f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)} FROM {source}"  # noqa: S608
    with conn.cursor() as cursor:
        cursor.execute(sql, [*params, ids_param])
