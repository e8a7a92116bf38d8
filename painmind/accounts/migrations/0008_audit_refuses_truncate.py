"""On PostgreSQL, refuse TRUNCATE of the audit log too (a statement-level trigger).

Only the table's owner may empty it, and only in a session that says so first
(``SET painmind.audit_truncate = 'on'``): an operator erasing a site on purpose, or Django's test
flush (conftest sets it). The owner could drop the trigger anyway, so that exemption weakens
nothing; the serving role should not be the owner (README, production steps; `painmind check`
warns when it is, painmind.W011). A stray or injected TRUNCATE alone is refused for every role.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION painmind_audit_no_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('painmind.audit_truncate', true) = 'on'
       AND pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'USAGE') THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit events are append-only: TRUNCATE refused';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER accounts_auditevent_no_truncate
    BEFORE TRUNCATE ON accounts_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION painmind_audit_no_truncate();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS accounts_auditevent_no_truncate ON accounts_auditevent;
DROP FUNCTION IF EXISTS painmind_audit_no_truncate();
"""


def forward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0007_api_token_expiry")]
    operations = [migrations.RunPython(forward, backward)]
