"""Each regimen as a FHIR R4 MedicationStatement (clinical-reference §4.4), validated with the
fhir.resources R4B model, through the API."""

from __future__ import annotations

import json
from datetime import timedelta

from django.utils import timezone
from fhir.resources.R4B.medicationstatement import MedicationStatement

from painmind.accounts.audit import Actor
from painmind.accounts.models import AuditEvent
from painmind.meds.actions import do_add_regimen, do_stop_regimen

OXY = {
    "name": "Oxycodone ER",
    "dose": "10",
    "dose_unit": "mg",
    "schedule": "times_a_day",
    "times_per_day": 2,
    "reason": "pain",
}


def validated(resource: dict[str, object]) -> dict[str, object]:
    model = MedicationStatement.model_validate(resource)
    assert json.loads(model.model_dump_json()) == resource  # nothing dropped or coerced
    return resource


def test_self_reported_and_clinician_entered_statements_validate(client, pat, cara, olga, token_for):
    today = timezone.localdate(timezone=pat.tzinfo)
    mine = do_add_regimen(Actor(user=pat, via="web"), pat, {**OXY, "started_on": str(today - timedelta(days=3))})
    theirs = do_add_regimen(
        Actor(user=cara, via="web"), pat, {**OXY, "name": "Diazepam", "dose": "5", "times_per_day": 1}
    )
    do_stop_regimen(Actor(user=pat, via="web"), mine)
    h = token_for(cara)
    stopped = validated(client.get(f"/api/v1/meds/regimens/{mine.pk}/fhir", headers=h).json())
    assert stopped["resourceType"] == "MedicationStatement"
    assert stopped["status"] == "stopped"  # stop date today: from stopped_on on (§4.4 status codes)
    assert stopped["subject"] == {"reference": f"Patient/{pat.pk}"}
    assert stopped["informationSource"] == {"reference": f"Patient/{pat.pk}"}
    active = validated(client.get(f"/api/v1/meds/regimens/{theirs.pk}/fhir", headers=h).json())
    assert active["status"] == "active"
    assert active["informationSource"] == {"reference": f"Practitioner/{cara.pk}"}
    assert AuditEvent.objects.filter(actor=cara, action="export", object_type="regimen").count() == 2
    assert client.get(f"/api/v1/meds/regimens/{mine.pk}/fhir", headers=token_for(olga)).status_code == 404
