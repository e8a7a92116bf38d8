"""The care plan's models move from the `care` app to `careplan` without touching the database.

Tables, indexes and constraints keep their names (`care_goal`, `care_intervention`,
`care_planchange`); this migration only moves the models in Django's migration state (care/0005
removes them from `care`'s) and relabels their content types.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MODELS = ("goal", "intervention", "planchange")
STRATEGIES = [("multidisciplinary", "Multidisciplinary care"), ("cbt", "Cognitive-behavioural therapy"), ("medication", "Medication"), ("lifestyle", "Lifestyle")]


def relabel_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label="careplan", model=model).exists():
            ContentType.objects.filter(app_label="care", model=model).update(app_label="careplan")


def unlabel_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label="care", model=model).exists():
            ContentType.objects.filter(app_label="careplan", model=model).update(app_label="care")


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
                    name="Goal",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("description", models.CharField(max_length=200)),
                        ("strategy", models.CharField(blank=True, choices=STRATEGIES, max_length=24)),
                        ("measure", models.CharField(blank=True, max_length=32)),
                        ("comparator", models.CharField(blank=True, choices=[("lt", "<"), ("le", "≤"), ("ge", "≥"), ("gt", ">")], max_length=2)),
                        ("target", models.DecimalField(blank=True, decimal_places=1, max_digits=6, null=True)),
                        ("target_date", models.DateField(blank=True, null=True)),
                        ("status", models.CharField(choices=[("active", "Active"), ("achieved", "Achieved"), ("not_achieved", "Not achieved"), ("stopped", "Stopped")], default="active", max_length=16)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("created_by", models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("patient", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="goals", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "care_goal",
                        "ordering": ["target_date", "id"],
                        "indexes": [models.Index(fields=["patient", "status"], name="care_goal_patient_2fb148_idx")],
                        "constraints": [models.CheckConstraint(condition=models.Q(models.Q(("comparator", ""), ("measure", ""), ("target__isnull", True)), models.Q(models.Q(("measure", ""), _negated=True), models.Q(("comparator", ""), _negated=True), ("target__isnull", False)), _connector="OR"), name="goal_measure_comparator_target_together")],
                    },
                ),
                migrations.CreateModel(
                    name="Intervention",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("strategy", models.CharField(choices=STRATEGIES, max_length=24)),
                        ("title", models.CharField(max_length=200)),
                        ("detail", models.TextField(blank=True)),
                        ("owner_discipline", models.CharField(blank=True, max_length=24)),
                        ("review_date", models.DateField(blank=True, null=True)),
                        ("status", models.CharField(choices=[("planned", "Planned"), ("active", "Active"), ("paused", "Paused"), ("completed", "Completed"), ("stopped", "Stopped")], default="planned", max_length=16)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("created_by", models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("owner", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="owned_interventions", to=settings.AUTH_USER_MODEL)),
                        ("patient", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="interventions", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "care_intervention",
                        "ordering": ["review_date", "id"],
                        "indexes": [models.Index(fields=["patient", "status", "review_date"], name="care_interv_patient_0a7b91_idx")],
                    },
                ),
                migrations.CreateModel(
                    name="PlanChange",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("actor_label", models.CharField(max_length=254)),
                        ("actor_role", models.CharField(blank=True, max_length=16)),
                        ("actor_discipline", models.CharField(blank=True, max_length=24)),
                        ("object_type", models.CharField(max_length=16)),
                        ("object_id", models.PositiveBigIntegerField()),
                        ("action", models.CharField(max_length=16)),
                        ("changes", models.JSONField(default=list)),
                        ("actor", models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("patient", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="plan_changes", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "care_planchange",
                        "ordering": ["-at", "-id"],
                        "indexes": [models.Index(fields=["patient", "-at"], name="care_planch_patient_41e1ac_idx")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(relabel_content_types, unlabel_content_types),
    ]
