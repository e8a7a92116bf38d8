"""Alerts moved from `care` to `safety`, and the care plan from `care` to `careplan`, without losing data.

The move is state-only (safety/0001, careplan/0001, care/0005): the tables keep their names
(`care_alert`, `care_goal`, `care_intervention`, `care_planchange`) and only Django's idea of
which app owns them changes, plus the content types are relabelled. A mistake there (a missing
`db_table`, a `CreateModel` outside `SeparateDatabaseAndState`, a wrong field) would, on a real
server, create empty new tables or fail to migrate, and every existing alert and care plan would
look gone. So this test builds a database at the layout from before the move, with a row of every
kind in every moved table, migrates it to the newest layout, and reads every row back through the
current models.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps as current_apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import IntegrityError, connection, models, transaction
from django.db.migrations.executor import MigrationExecutor

from painmind.accounts.models import User
from painmind.careplan.models import Goal, Intervention, PlanChange
from painmind.safety.models import Alert

# The last migration of each project app before the move. Later migrations (in these apps or
# any other) are unapplied by going back here, so the test keeps working as more are added.
OLD_LAYOUT: dict[str, str | None] = {
    "accounts": "0004_consent_expiry_invites_share_links",
    "care": "0004_planchange_actor_discipline",
    "diary": "0004_response_newest_index",
    "insights": "0001_cycle_analysis_cache",
    "notify": "0001_reminder_preferences_and_claims",
    "safety": None,
    "careplan": None,
}
# Moved model (as named in the content type) -> the app that owns it now.
MOVED = {"alert": "safety", "goal": "careplan", "intervention": "careplan", "planchange": "careplan"}
CURRENT_MODELS: dict[str, type[models.Model]] = {
    "alert": Alert,
    "goal": Goal,
    "intervention": Intervention,
    "planchange": PlanChange,
}
# If a later migration renames a field of a moved model, map (model, old attname) -> new attname
# here so the value is still compared. Fields that no longer exist at all are skipped.
RENAMED: dict[tuple[str, str], str] = {
    ("goal", "target_date"): "target_on",  # careplan/0002: local dates end in _on
    ("intervention", "review_date"): "review_on",
}
# Values a later migration rewrites on purpose: (model, attname) -> {old value: new value}.
REWRITTEN: dict[tuple[str, str], dict[Any, Any]] = {
    # safety/0003: a patient's newest open self-harm alert takes the key later answers attach to.
    ("alert", "key"): {"phq9-item9": "self_harm"},
}

T0 = dt.datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=dt.UTC)


def _old_targets(executor: MigrationExecutor) -> list[tuple[str, str | None]]:
    """Every migrated app at the old layout: project apps as listed (an app added since did not
    exist then), Django's and third-party apps at their latest migration."""
    project_apps = {c.label for c in current_apps.get_app_configs() if c.name.startswith("painmind.")}
    targets: list[tuple[str, str | None]] = list(OLD_LAYOUT.items())
    for app in sorted(executor.loader.migrated_apps - set(OLD_LAYOUT)):
        if app in project_apps:
            targets.append((app, None))
        else:
            targets.extend(node for node in executor.loader.graph.leaf_nodes() if node[0] == app)
    return targets


def _create(model: Any, **values: Any) -> dict[str, Any]:
    """Create a row through a historical model; return what was written, by attname, with its id."""
    row = model.objects.create(**values)
    return {"id": row.pk, **values}


def _write_old_rows(old_apps: Any) -> dict[str, list[dict[str, Any]]]:
    OldUser = old_apps.get_model("accounts", "User")
    patient = OldUser.objects.create(
        email="pat@example.org", role="patient", discipline="", time_zone="Europe/London", country="GB", password="!"
    )
    clinician = OldUser.objects.create(
        email="cara@example.org",
        role="clinician",
        discipline="psychology",
        time_zone="Europe/Paris",
        country="FR",
        password="!",
    )
    Alert_ = old_apps.get_model("care", "Alert")
    Goal_ = old_apps.get_model("care", "Goal")
    Intervention_ = old_apps.get_model("care", "Intervention")
    PlanChange_ = old_apps.get_model("care", "PlanChange")
    alerts = [
        _create(
            Alert_,
            patient_id=patient.pk,
            kind="self_harm",
            severity="critical",
            key="phq9-item9",
            title="Self-harm answer on PHQ-9",
            detail="Item 9 answered “more than half the days”.",
            source_type="diary.response",
            source_id="42",
            created_at=T0,
            acknowledged_at=None,
            acknowledged_by_id=None,
            acknowledgement_note="",
            resolved_at=None,
            notified_at=T0 + dt.timedelta(minutes=2),
        ),
        _create(
            Alert_,
            patient_id=patient.pk,
            kind="flare",
            severity="warning",
            key="2026-03-02",
            title="Pain flare",
            detail="Pain 9/10 for three days.",
            source_type="diary.checkin",
            source_id="7",
            created_at=T0 + dt.timedelta(days=1),
            acknowledged_at=T0 + dt.timedelta(days=1, hours=3),
            acknowledged_by_id=clinician.pk,
            acknowledgement_note="Called; rescue plan agreed.",
            resolved_at=T0 + dt.timedelta(days=4),
            notified_at=None,
        ),
    ]
    goals = [
        _create(
            Goal_,
            patient_id=patient.pk,
            description="PEG ≤ 4.5 by 1 June",
            strategy="cbt",
            measure="peg",
            comparator="le",
            target=Decimal("4.5"),
            target_date=dt.date(2026, 6, 1),
            status="active",
            created_by_id=clinician.pk,
            created_at=T0,
            updated_at=T0 + dt.timedelta(hours=1),
        ),
        _create(
            Goal_,
            patient_id=patient.pk,
            description="Walk to the park and back",
            strategy="",
            measure="",
            comparator="",
            target=None,
            target_date=None,
            status="achieved",
            created_by_id=None,
            created_at=T0 + dt.timedelta(days=2),
            updated_at=T0 + dt.timedelta(days=3),
        ),
    ]
    interventions = [
        _create(
            Intervention_,
            patient_id=patient.pk,
            strategy="lifestyle",
            title="Graded walking",
            detail="Ten minutes a day, plus two each week.",
            owner_id=clinician.pk,
            owner_discipline="psychology",
            review_date=dt.date(2026, 4, 15),
            status="active",
            created_by_id=clinician.pk,
            created_at=T0,
            updated_at=T0 + dt.timedelta(days=1),
        ),
    ]
    plan_changes = [
        _create(
            PlanChange_,
            patient_id=patient.pk,
            at=T0,
            actor_id=clinician.pk,
            actor_label="cara@example.org",
            actor_role="clinician",
            actor_discipline="psychology",
            object_type="goal",
            object_id=goals[0]["id"],
            action="create",
            changes=[{"field": "target", "old": None, "new": "4.5"}, {"field": "measure", "old": "", "new": "peg"}],
        ),
        _create(
            PlanChange_,
            patient_id=patient.pk,
            at=T0 + dt.timedelta(days=1),
            actor_id=None,
            actor_label="pat@example.org",
            actor_role="patient",
            actor_discipline="",
            object_type="intervention",
            object_id=interventions[0]["id"],
            action="update",
            changes=[{"field": "status", "old": "planned", "new": "active", "note": {"why": ["ünïcode ✓", 1.5]}}],
        ),
    ]
    return {"alert": alerts, "goal": goals, "intervention": interventions, "planchange": plan_changes}


def _assert_rows_survived(name: str, written: list[dict[str, Any]]) -> int:
    """Every written row is there under the current model, field for field; returns fields compared."""
    model = CURRENT_MODELS[name]
    attnames = {f.attname for f in model._meta.concrete_fields}
    assert model._default_manager.count() == len(written), name
    compared = 0
    for values in written:
        row = model._default_manager.get(pk=values["id"])
        for old_name, written_value in values.items():
            current_name = RENAMED.get((name, old_name), old_name)
            if current_name not in attnames:
                continue  # dropped by a later migration
            rewrites = REWRITTEN.get((name, old_name), {})
            expected = rewrites.get(written_value, written_value) if rewrites else written_value
            assert getattr(row, current_name) == expected, f"{name} {values['id']}.{current_name}"
            compared += 1
    return compared


def _migrate_to_latest() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    executor.loader.build_graph()  # re-read what is applied now
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == [], "not fully migrated"


@pytest.mark.django_db(transaction=True)
def test_moved_models_keep_their_rows_and_content_types():
    executor = MigrationExecutor(connection)
    if not executor.loader.applied_migrations:
        pytest.skip("the test database was built without migrations (--nomigrations)")
    old_targets = _old_targets(executor)
    executor.migrate(old_targets)
    try:
        executor.loader.build_graph()  # re-read what is applied now
        old_apps = executor.loader.project_state([(app, name) for app, name in old_targets if name is not None]).apps

        # Content types and a permission as the old layout had them, to check they follow the models.
        OldContentType = old_apps.get_model("contenttypes", "ContentType")
        OldPermission = old_apps.get_model("auth", "Permission")
        content_type_ids = {}
        for model_name in MOVED:
            ct, _ = OldContentType.objects.get_or_create(app_label="care", model=model_name)
            content_type_ids[model_name] = ct.pk
        permission, _ = OldPermission.objects.get_or_create(
            content_type_id=content_type_ids["alert"], codename="view_alert", defaults={"name": "Can view alert"}
        )
        written = _write_old_rows(old_apps)
    finally:
        # Always back to the newest layout, so a failure here does not break the tests after it.
        _migrate_to_latest()

    # Every row, every field.
    for model_name, rows in written.items():
        compared = _assert_rows_survived(model_name, rows)
        assert compared > len(rows), f"only ids compared for {model_name}"

    # The content types were relabelled in place (same ids), none left behind under `care`.
    ContentType.objects.clear_cache()
    assert not ContentType.objects.filter(app_label="care", model__in=list(MOVED)).exists()
    for model_name, app_label in MOVED.items():
        ct = ContentType.objects.get(app_label=app_label, model=model_name)
        assert ct.pk == content_type_ids[model_name]
        assert ContentType.objects.get_for_model(CURRENT_MODELS[model_name]).pk == ct.pk
    assert Permission.objects.get(pk=permission.pk).content_type.app_label == "safety"

    # The ORM works on the moved tables: queries, relations, constraints, inserts.
    patient = User.objects.get(email="pat@example.org")
    clinician = User.objects.get(email="cara@example.org")
    open_alert, closed_alert = (row["id"] for row in written["alert"])
    assert list(Alert.objects.open().values_list("pk", flat=True)) == [open_alert]
    assert set(patient.alerts.values_list("pk", flat=True)) == {open_alert, closed_alert}
    assert Alert.objects.get(pk=closed_alert).acknowledged_by == clinician
    assert list(clinician.owned_interventions.values_list("pk", flat=True)) == [written["intervention"][0]["id"]]
    assert patient.plan_changes.count() == 2
    with pytest.raises(IntegrityError), transaction.atomic():  # the partial unique index survived the move
        Alert.objects.create(patient=patient, kind="self_harm", severity="critical", key="self_harm", title="Again")
    new_alert = Alert.objects.create(patient=patient, kind="silence", severity="warning", key="silence", title="Quiet")
    assert new_alert.pk > closed_alert
    assert set(Alert.objects.open().values_list("pk", flat=True)) == {open_alert, new_alert.pk}
    new_goal = Goal.objects.create(
        patient=patient, description="GAD-7 < 10", measure="gad7", comparator="lt", target=Decimal("10")
    )
    assert new_goal.pk > max(row["id"] for row in written["goal"])
    assert patient.goals.count() == 3


@pytest.mark.django_db
def test_models_and_migrations_agree():
    """`makemigrations --check` finds nothing to do: every model change has its migration."""
    call_command("makemigrations", check=True, dry_run=True, interactive=False, verbosity=0)
