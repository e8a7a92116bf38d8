# Every account made before django-allauth gets its address in allauth's table, primary and
# verified (the operator who made the account vouched for it): allauth checks uniqueness and
# e-mail changes there. Numbered after the token and audit migrations of the same day.
from django.db import migrations


def backfill(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    have = set(EmailAddress.objects.values_list("user_id", flat=True))
    EmailAddress.objects.bulk_create(
        EmailAddress(user_id=pk, email=email.lower(), primary=True, verified=True)
        for pk, email in User.objects.exclude(email="").values_list("pk", "email")
        if pk not in have
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_audit_refuses_truncate"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
