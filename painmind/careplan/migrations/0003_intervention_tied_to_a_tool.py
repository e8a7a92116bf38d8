"""An intervention may name the self-management tool it prescribes (issue 13) and how many uses
a week it asks for; a weekly count needs a tool."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('careplan', '0002_local_dates_end_in_on'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='intervention',
            name='tool',
            field=models.CharField(blank=True, choices=[('thought_records', 'Thought records'), ('pacing', 'Pacing plans'), ('relaxation', 'Relaxation sessions'), ('activities', 'Activities (behavioural activation)'), ('lifestyle', 'Lifestyle fields')], max_length=24),
        ),
        migrations.AddField(
            model_name='intervention',
            name='tool_per_week',
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.AddConstraint(
            model_name='intervention',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('tool', ''), _negated=True), ('tool_per_week__isnull', True), _connector='OR'), name='intervention_per_week_needs_tool'),
        ),
    ]
