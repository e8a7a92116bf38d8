"""`painmind check --database default` (and every `migrate`, so every `painmind serve`): warn
when the role serving PainMind owns the audit log, and so could switch its triggers off."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Tags, Warning, register
from django.db import DatabaseError, connections

AUDIT_TABLE = "accounts_auditevent"


def serving_role_owns_audit_log(alias: str = "default") -> bool | None:
    """True when the connected role owns the audit table (or is a superuser); None off PostgreSQL
    or before the table exists."""
    conn = connections[alias]
    if conn.vendor != "postgresql":
        return None
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT pg_has_role(current_user, c.relowner, 'USAGE') FROM pg_class c WHERE c.oid = to_regclass(%s)",
            [AUDIT_TABLE],
        )
        row = cursor.fetchone()
    return None if row is None else bool(row[0])


@register(Tags.database)
def check_audit_log_owner(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    for alias in databases or []:
        try:
            owns = serving_role_owns_audit_log(alias)
        except DatabaseError:
            continue  # unreachable: Django's own database checks say so
        if owns:
            messages.append(
                Warning(
                    "The database role in DATABASE_URL owns the audit log (or is a superuser), so serving "
                    "as it could switch off the triggers that keep the log append-only (expected while migrating).",
                    hint="Migrate as an owner role and serve as a role that may only insert into and read "
                    "accounts_auditevent (README: Running in production on PostgreSQL).",
                    id="painmind.W011",
                )
            )
    return messages
