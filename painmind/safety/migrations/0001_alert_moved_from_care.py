"""Alerts move from the `care` app to `safety` without touching the database.

The table keeps its name (`care_alert`), and so do its index and constraints: this migration
only tells Django's migration state that the model now belongs to `safety` (care/0005 removes
it from `care`'s state). The content type is relabelled so that anything referring to it
(permissions, admin history) follows the model.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def relabel_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="safety", model="alert").exists():
        ContentType.objects.filter(app_label="care", model="alert").update(app_label="safety")


def unlabel_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="care", model="alert").exists():
        ContentType.objects.filter(app_label="safety", model="alert").update(app_label="care")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("care", "0004_planchange_actor_discipline"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Alert",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(choices=[("self_harm", "Self-harm answer"), ("severe_band", "Severe score"), ("reliable_worsening", "Reliable worsening"), ("flare", "Pain flare"), ("silence", "No check-ins"), ("medication", "Medication safety")], max_length=32)),
                        ("severity", models.CharField(choices=[("critical", "Critical"), ("warning", "Warning")], max_length=16)),
                        ("key", models.CharField(max_length=64)),
                        ("title", models.CharField(max_length=200)),
                        ("detail", models.TextField(blank=True)),
                        ("source_type", models.CharField(blank=True, max_length=64)),
                        ("source_id", models.CharField(blank=True, max_length=64)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("acknowledged_at", models.DateTimeField(blank=True, null=True)),
                        ("acknowledgement_note", models.TextField(blank=True)),
                        ("resolved_at", models.DateTimeField(blank=True, null=True)),
                        ("notified_at", models.DateTimeField(blank=True, null=True)),
                        ("acknowledged_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("patient", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="alerts", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "care_alert",
                        "indexes": [models.Index(fields=["patient", "acknowledged_at", "resolved_at"], name="alert_patient_open")],
                        "constraints": [
                            models.UniqueConstraint(condition=models.Q(("acknowledged_at__isnull", True), ("resolved_at__isnull", True)), fields=("patient", "kind", "key"), name="alert_one_open_per_key"),
                            models.CheckConstraint(condition=models.Q(("acknowledged_at__isnull", True), ("acknowledged_by__isnull", False), _connector="OR"), name="alert_acknowledged_by_someone"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(relabel_content_type, unlabel_content_type),
    ]
