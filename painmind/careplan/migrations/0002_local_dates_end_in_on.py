"""Local calendar dates end in _on (docs/development.md, naming): target_date -> target_on,
review_date -> review_on. The API keeps its field names (careplan/api.py translates)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('careplan', '0001_plan_moved_from_care'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='goal',
            options={'ordering': ['target_on', 'id']},
        ),
        migrations.AlterModelOptions(
            name='intervention',
            options={'ordering': ['review_on', 'id']},
        ),
        migrations.RemoveIndex(
            model_name='intervention',
            name='care_interv_patient_0a7b91_idx',
        ),
        migrations.RenameField(
            model_name='goal',
            old_name='target_date',
            new_name='target_on',
        ),
        migrations.RenameField(
            model_name='intervention',
            old_name='review_date',
            new_name='review_on',
        ),
        migrations.AddIndex(
            model_name='intervention',
            index=models.Index(fields=['patient', 'status', 'review_on'], name='care_interv_patient_0a7b91_idx'),
        ),
    ]
