"""A person may delete their account (docs/privacy.md, "Deleting an account"): their audit events
stay, naming them by a keyed pseudonym instead of a key to their user row.

`patient` becomes nullable beside a new `patient_pseudonym` (exactly one of the two is set), and on
PostgreSQL the append-only trigger of migration 0002 now admits one UPDATE and nothing else: a
person replaced by their pseudonym (as patient: key cleared, pseudonym set, `detail` cleared; as
actor: key cleared, `actor_label` set to "deleted account <pseudonym>"), every other column
unchanged. DELETE stays refused, and so does any other UPDATE. A column added later is not
compared here, so a migration that adds one must add it to the list below.
"""

from __future__ import annotations

from typing import Any

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

FORWARD = """
CREATE OR REPLACE FUNCTION painmind_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND (NEW.id, NEW.at, NEW.actor_role, NEW.action, NEW.object_type, NEW.object_id, NEW.ip, NEW.via)
           IS NOT DISTINCT FROM (OLD.id, OLD.at, OLD.actor_role, OLD.action, OLD.object_type, OLD.object_id, OLD.ip, OLD.via)
       AND (
           (NEW.patient_id IS NOT DISTINCT FROM OLD.patient_id
            AND NEW.patient_pseudonym = OLD.patient_pseudonym AND NEW.detail = OLD.detail)
           OR (OLD.patient_id IS NOT NULL AND NEW.patient_id IS NULL
               AND OLD.patient_pseudonym = '' AND NEW.patient_pseudonym <> '' AND NEW.detail = '')
       )
       AND (
           (NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id AND NEW.actor_label = OLD.actor_label)
           OR (OLD.actor_id IS NOT NULL AND NEW.actor_id IS NULL AND left(NEW.actor_label, 16) = 'deleted account ')
       )
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit events are append-only';
END;
$$ LANGUAGE plpgsql;
"""
# Migration 0002's function, as it was.
BACKWARD = """
CREATE OR REPLACE FUNCTION painmind_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only';
END;
$$ LANGUAGE plpgsql;
"""


def forward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0014_shared_cache_table")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="patient_pseudonym",
            field=models.CharField(blank=True, max_length=32),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="patient",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="audit_events",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.CheckConstraint(
                condition=models.Q(models.Q(("patient__isnull", False), ("patient_pseudonym", "")))
                | models.Q(models.Q(("patient__isnull", True), ("patient_pseudonym__gt", ""))),
                name="auditevent_patient_or_pseudonym",
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
