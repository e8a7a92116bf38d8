"""On PostgreSQL, refuse UPDATE and DELETE of audit events in the database itself.

TRUNCATE is refused too, by migration 0008 (only the owner who asks first may).
SQLite has no equivalent that allows a test flush, so there the model layer refuses.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION painmind_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER accounts_auditevent_append_only
    BEFORE UPDATE OR DELETE ON accounts_auditevent
    FOR EACH ROW EXECUTE FUNCTION painmind_audit_append_only();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS accounts_auditevent_append_only ON accounts_auditevent;
DROP FUNCTION IF EXISTS painmind_audit_append_only();
"""


def forward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_users_consent_tokens_audit")]
    operations = [migrations.RunPython(forward, backward)]
