from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # The site's cache lives in the database (settings.CACHES: one cache for every process, so
    # a used TOTP code is remembered across gunicorn workers). `createcachetable` makes the
    # table of each database cache configured, and leaves one that exists.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0013_user_welcomed_at"),
    ]

    operations = [
        migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=False),
    ]
