# Ends stored beyond 2100 (a consent "until 9999-12-31T23:59:59-12:00" is year 10000 on
# PostgreSQL and cannot be read back) rewritten with UPDATEs only: painmind/accounts/repair.py.
from django.db import migrations


def repair(apps, schema_editor):
    from painmind.accounts.repair import end_dates_beyond_2100

    end_dates_beyond_2100(
        apps.get_model("accounts", "Consent"), apps.get_model("accounts", "Invite"), apps.get_model("accounts", "ShareLink")
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0010_invite_codes_keyed_and_limited")]

    operations = [migrations.RunPython(repair, migrations.RunPython.noop)]
