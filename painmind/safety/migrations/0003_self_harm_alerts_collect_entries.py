"""Open self-harm alerts raised before answers were attached (each keyed by its response) join the
new scheme: each gets an entry for the response behind it, and each patient's newest open one
takes the key `self_harm`, so that the next positive answer attaches to it. Older open ones keep
their keys and stay open until a clinician acknowledges them: nothing is closed here."""

import re

from django.db import migrations

ANSWERED = re.compile(r"answered (\d)$")  # the old titles: "PHQ-9 item 9 (...) answered 2"


def forwards(apps, schema_editor):
    Alert = apps.get_model("safety", "Alert")
    AlertEntry = apps.get_model("safety", "AlertEntry")
    newest_seen = set()
    open_self_harm = Alert.objects.filter(
        kind="self_harm", acknowledged_at__isnull=True, resolved_at__isnull=True
    ).order_by("patient_id", "-created_at", "-id")
    for alert in open_self_harm:
        match = ANSWERED.search(alert.title)
        level = int(match.group(1)) if match else 0  # "left blank: risk unknown" ranks 0
        if alert.level != level:
            alert.level = level
            alert.save(update_fields=["level"])
        if alert.source_type and not AlertEntry.objects.filter(alert=alert).exists():
            AlertEntry.objects.create(
                alert=alert,
                source_type=alert.source_type,
                source_id=alert.source_id,
                level=level,
                title=alert.title,
                occurred_at=alert.created_at,
            )
        if alert.patient_id not in newest_seen:
            newest_seen.add(alert.patient_id)
            if alert.key != "self_harm":
                alert.key = "self_harm"
                alert.save(update_fields=["key"])


class Migration(migrations.Migration):
    dependencies = [("safety", "0002_alert_entries_notices_screenings")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
