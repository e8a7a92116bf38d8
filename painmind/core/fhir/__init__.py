"""FHIR R4 out and in, as plain dicts (clinical-reference §4; docs/exchange.md, "FHIR").

Pure Python: records (`records`) in, JSON-ready resources and a Bundle out (`patient_bundle`),
and a Bundle back to records (`read_bundle`). Validation against the R4B models of
``fhir.resources`` happens at the app boundary and in the tests, not here.

Examples
--------
>>> from datetime import UTC, datetime
>>> from painmind.core.fhir import CheckInRecord, PatientData, PatientRecord, patient_bundle, read_bundle
>>> at = datetime(2025, 1, 15, 20, 0, tzinfo=UTC)
>>> data = PatientData(PatientRecord("p-1"), checkins=[CheckInRecord("1", at, {"pain": 6, "mood": 4})])
>>> bundle = patient_bundle(data, base_url="https://pm.example.org/fhir", timestamp=at)
>>> [e["resource"]["resourceType"] for e in bundle["entry"]]
['Patient', 'Observation', 'Observation']
>>> bundle["entry"][1]["resource"]["code"]["coding"][0]
{'system': 'http://loinc.org', 'code': '72514-3'}
>>> read_bundle(bundle, instruments={}).checkins[0].values
{'pain': 6, 'mood': 4}
"""

from __future__ import annotations

from painmind.core.fhir.bundle import patient_bundle, resource_id
from painmind.core.fhir.codes import CHECKIN_SYSTEM, DIARY_CODES, LOCAL_BASE, SCORE_SYSTEM
from painmind.core.fhir.read import (
    BundleContents,
    BundleError,
    ImportedCheckIn,
    ImportedResponse,
    Skipped,
    read_bundle,
)
from painmind.core.fhir.records import (
    ActivityRecord,
    CheckInRecord,
    GoalRecord,
    MedicationRecord,
    PatientData,
    PatientRecord,
    ResponseRecord,
)

__all__ = [
    "CHECKIN_SYSTEM",
    "DIARY_CODES",
    "LOCAL_BASE",
    "SCORE_SYSTEM",
    "ActivityRecord",
    "BundleContents",
    "BundleError",
    "CheckInRecord",
    "GoalRecord",
    "ImportedCheckIn",
    "ImportedResponse",
    "MedicationRecord",
    "PatientData",
    "PatientRecord",
    "ResponseRecord",
    "Skipped",
    "patient_bundle",
    "read_bundle",
    "resource_id",
]
