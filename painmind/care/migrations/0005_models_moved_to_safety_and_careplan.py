"""Alerts moved to `safety` (safety/0001) and the care plan to `careplan` (careplan/0001).

State only: the tables stay, under their names, and now belong to those apps' models. This
removes the models from `care`'s migration state, after the new apps have taken them over.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("care", "0004_planchange_actor_discipline"),
        ("safety", "0001_alert_moved_from_care"),
        ("careplan", "0001_plan_moved_from_care"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Alert"),
                migrations.DeleteModel(name="Goal"),
                migrations.DeleteModel(name="Intervention"),
                migrations.DeleteModel(name="PlanChange"),
            ],
            database_operations=[],
        ),
    ]
