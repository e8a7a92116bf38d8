"""A patient's data as one FHIR R4 Bundle of type ``collection``."""

from __future__ import annotations

import uuid
from datetime import datetime

from painmind.core.fhir.plan import care_plan_resource, goal_resource
from painmind.core.fhir.records import PatientData
from painmind.core.fhir.resources import (
    checkin_observations,
    instant,
    patient_resource,
    questionnaire_response,
    score_observation,
)
from painmind.core.instruments import INSTRUMENT_IDS, get_instrument
from painmind.core.meds.fhir import medication_statement

# Resource ids are uuid5 names under this namespace: stable across exports of the same data,
# and they reveal nothing (not a row id, not an email).
ID_NAMESPACE = uuid.UUID("5a0f8a52-6f0e-4d53-9c35-0b0c1d7f6a11")


def resource_id(pseudonym: str, kind: str, key: str) -> str:
    """The id of one resource: uuid5 of the patient's pseudonym, the kind and the local key."""
    return str(uuid.uuid5(ID_NAMESPACE, f"{pseudonym}/{kind}/{key}"))


def patient_bundle(
    data: PatientData, *, base_url: str, timestamp: datetime, secondary_codes: bool = True
) -> dict[str, object]:
    """Build the Bundle: Patient, then per response its QuestionnaireResponse and score
    Observation, the check-ins' Observations, MedicationStatements, Goals and the CarePlan.

    Parameters
    ----------
    data
        The patient's records.
    base_url
        Where the resources' full URLs are rooted, e.g. ``"https://pm.example.org/fhir"``;
        every reference in the Bundle is relative to it.
    timestamp
        When the Bundle was assembled (aware).
    secondary_codes
        Emit LOINC codes found only in secondary sources (◐ in the instruments' data).
    """
    base = base_url.rstrip("/")
    pseudonym = data.patient.pseudonym
    entries: list[dict[str, object]] = []

    def add(resource: dict[str, object]) -> str:
        ref = f"{resource['resourceType']}/{resource['id']}"
        entries.append({"fullUrl": f"{base}/{ref}", "resource": resource})
        return ref

    subject = add(patient_resource(data.patient, resource_id(pseudonym, "patient", "")))
    for response in data.responses:
        qr = add(
            questionnaire_response(
                response, resource_id=resource_id(pseudonym, "response", response.key), subject=subject
            )
        )
        if response.total is not None:
            add(
                score_observation(
                    response,
                    resource_id=resource_id(pseudonym, "score", response.key),
                    subject=subject,
                    derived_from=qr,
                    secondary_codes=secondary_codes,
                )
            )
    for checkin in data.checkins:
        ids = {field: resource_id(pseudonym, f"checkin-{field}", checkin.key) for field in checkin.values}
        for observation in checkin_observations(checkin, resource_ids=ids, subject=subject):
            add(observation)
    for med in data.medications:
        add(
            medication_statement(
                med.item,
                subject=subject,
                status=med.status,
                date_asserted=med.date_asserted,
                # PROJECT RULE: only the patient is named as a source; a clinician who entered
                # the regimen is not a resource in this Bundle, so no dangling reference.
                information_source=subject if med.self_reported else None,
                resource_id=resource_id(pseudonym, "medication", med.key),
                reason=med.reason,
                note=med.note,
            )
        )
    goal_instruments = {g.measure: get_instrument(g.measure) for g in data.goals if g.measure in INSTRUMENT_IDS}
    goal_refs = [
        add(
            goal_resource(
                goal,
                resource_id=resource_id(pseudonym, "goal", goal.key),
                subject=subject,
                instruments=goal_instruments,
                secondary_codes=secondary_codes,
            )
        )
        for goal in data.goals
    ]
    if goal_refs or data.activities:
        add(
            care_plan_resource(
                data.activities,
                resource_id=resource_id(pseudonym, "careplan", ""),
                subject=subject,
                goal_refs=goal_refs,
            )
        )
    return {"resourceType": "Bundle", "type": "collection", "timestamp": instant(timestamp), "entry": entries}
