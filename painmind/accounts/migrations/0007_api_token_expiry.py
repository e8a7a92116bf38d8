"""API tokens get an expiry: existing tokens expire 90 days after they were made (the default
`PAINMIND_TOKEN_DAYS`), so the permanent tokens every sign-in used to mint end on their own."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import migrations, models

EXISTING_TOKEN_DAYS = 90


def set_expiry(apps: Any, schema_editor: Any) -> None:
    ApiToken = apps.get_model("accounts", "ApiToken")
    for token in ApiToken.objects.filter(expires_at__isnull=True).only("pk", "created_at").iterator():
        ApiToken.objects.filter(pk=token.pk).update(expires_at=token.created_at + timedelta(days=EXISTING_TOKEN_DAYS))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_user_country_from_a_list")]

    operations = [
        migrations.AddField(model_name="apitoken", name="expires_at", field=models.DateTimeField(null=True)),
        migrations.RunPython(set_expiry, migrations.RunPython.noop),
        migrations.AlterField(model_name="apitoken", name="expires_at", field=models.DateTimeField()),
        migrations.AddIndex(
            model_name="apitoken",
            index=models.Index(fields=["user", "revoked_at"], name="accounts_ap_user_id_f995a6_idx"),
        ),
        migrations.AddConstraint(
            model_name="apitoken",
            constraint=models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")), name="api_token_expires_later"
            ),
        ),
    ]
