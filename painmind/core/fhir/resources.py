"""Patient, QuestionnaireResponse and Observations as FHIR R4 dicts (clinical-reference §4.2–4.3).

Pure functions: plain records in (`records`), JSON-ready dicts out, validated against the R4B
models of ``fhir.resources`` in the tests. References are relative (``Patient/<id>``) and
resolve within the Bundle (`bundle.patient_bundle` gives every entry a full URL on one base).
"""

from __future__ import annotations

from datetime import datetime

from painmind.core.fhir.codes import (
    DIARY_BY_FIELD,
    LOINC,
    OBSERVATION_CATEGORY,
    PSEUDONYM_SYSTEM,
    UCUM,
    diary_coding,
    score_coding,
)
from painmind.core.fhir.records import CheckInRecord, PatientRecord, ResponseRecord
from painmind.core.instruments import Instrument

# §4.2/§4.3: patient-reported scores and diary values are "survey" observations (project
# decision in the reference for diary data).
SURVEY = [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey"}]}]


def instant(value: datetime) -> str:
    """An aware datetime as FHIR dateTime, UTC written ``Z`` as in the reference's examples (§4.2)."""
    if value.tzinfo is None:
        raise ValueError("a FHIR dateTime needs a time zone")
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def canonical(instrument: Instrument) -> str:
    """The Questionnaire an answer set follows: its canonical URL and version (§4.2)."""
    return f"{instrument.questionnaire()['url']}|{instrument.version}"


def patient_resource(patient: PatientRecord, resource_id: str) -> dict[str, object]:
    """The Patient: a pseudonymous identifier, and the name only when the record has one.

    PROJECT RULE (docs/exchange.md, FHIR): nothing else identifying (no email, birth date,
    address) leaves in a Bundle.
    """
    resource: dict[str, object] = {
        "resourceType": "Patient",
        "id": resource_id,
        "identifier": [{"system": PSEUDONYM_SYSTEM, "value": patient.pseudonym}],
    }
    if patient.name:
        resource["name"] = [{"text": patient.name}]
    return resource


def _answer(instrument: Instrument, link_id: str, value: int) -> dict[str, object]:
    item = instrument.item(link_id)
    option = next((o for o in item.options if o.value == value), None)
    if option is not None and option.code is not None:
        # §4.2: answer.valueCoding = the LOINC LA code (US Core / US BH examples).
        return {"valueCoding": {"system": LOINC, "code": option.code, "display": option.display}}
    return {"valueInteger": value}  # no answer code (0–10 items, licensed wording): the number


def questionnaire_response(response: ResponseRecord, *, resource_id: str, subject: str) -> dict[str, object]:
    """A completed questionnaire (§4.2): one item per answered question, blanks left out."""
    instrument = response.instrument
    items = [
        {"linkId": item.link_id, "answer": [_answer(instrument, item.link_id, value)]}
        for item, value in zip(instrument.items, response.answers, strict=True)
        if value is not None
    ]
    return {
        "resourceType": "QuestionnaireResponse",
        "id": resource_id,
        "questionnaire": canonical(instrument),
        "status": "completed",
        "subject": {"reference": subject},
        "authored": instant(response.completed_at),
        "author": {"reference": subject},
        "item": items,
    }


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


def score_observation(
    response: ResponseRecord, *, resource_id: str, subject: str, derived_from: str, secondary_codes: bool = True
) -> dict[str, object]:
    """The total as an Observation derived from its QuestionnaireResponse (§4.2)."""
    if response.total is None:
        raise ValueError("a response without a total has no score Observation")
    total = _number(response.total)
    resource: dict[str, object] = {
        "resourceType": "Observation",
        "id": resource_id,
        "status": "final",
        "category": SURVEY,
        "code": score_coding(response.instrument, secondary_codes=secondary_codes),
        "subject": {"reference": subject},
        "effectiveDateTime": instant(response.completed_at),
    }
    # valueInteger is allowed by base R4 (§4.2). R4 Observation has no valueDecimal, so a mean
    # (PEG, §4.3 "valueDecimal or valueQuantity") or a prorated total is a Quantity in the UCUM
    # unit {score} (§4.2 [S16]). PROJECT RULE: a mean is always a Quantity, even when whole.
    if response.instrument.aggregate == "sum" and isinstance(total, int):
        resource["valueInteger"] = total
    else:
        resource["valueQuantity"] = {"value": total, "unit": "score", "system": UCUM, "code": "{score}"}
    if response.band:
        resource["interpretation"] = [{"text": response.band}]
    if response.prorated:  # §4.2: "if you prorated the total, add a note … saying so"
        resource["note"] = [{"text": "Total prorated for blank items."}]
    resource["derivedFrom"] = [{"reference": derived_from}]
    return resource


def checkin_observations(
    checkin: CheckInRecord, *, resource_ids: dict[str, str], subject: str
) -> list[dict[str, object]]:
    """One Observation per filled check-in field (§4.3), in `DIARY_CODES` order.

    `resource_ids` maps each field in ``checkin.values`` to its resource id.
    """
    unknown = sorted(set(checkin.values) - set(DIARY_BY_FIELD))
    if unknown:
        raise ValueError(f"unknown check-in field(s): {', '.join(unknown)}")
    out: list[dict[str, object]] = []
    for field, code in DIARY_BY_FIELD.items():
        if field not in checkin.values:
            continue
        value = checkin.values[field]
        resource: dict[str, object] = {
            "resourceType": "Observation",
            "id": resource_ids[field],
            "status": "final",
            "category": SURVEY,
            "code": diary_coding(code),
            "subject": {"reference": subject},
            "effectiveDateTime": instant(checkin.recorded_at),
            "performer": [{"reference": subject}],
        }
        if code.value == "quantity":
            resource["valueQuantity"] = {"value": _number(value), "unit": code.unit, "system": UCUM, "code": code.unit}
        else:
            resource["valueInteger"] = int(value)
        out.append(resource)
    return out


__all__ = [
    "canonical",
    "checkin_observations",
    "instant",
    "patient_resource",
    "questionnaire_response",
    "score_observation",
]
