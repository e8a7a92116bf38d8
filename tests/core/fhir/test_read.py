"""A Bundle read back into plain records; every problem named by entry and field."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from painmind.core.fhir import BundleError, read_bundle
from painmind.core.instruments import get_instrument
from tests.core.fhir.test_bundle import AT, BASE, build, full_data

QUESTIONNAIRE = "https://painmind.example.org/fhir/Questionnaire/phq9"
INSTRUMENTS = {i: get_instrument(i) for i in ("phq9", "peg", "gad7")}


def bundle() -> Any:
    return build(full_data(), base_url=BASE, timestamp=AT)


def test_round_trip_of_responses_and_checkins():
    got = read_bundle(bundle(), instruments=INSTRUMENTS)
    assert [(r.instrument.id, r.completed_at) for r in got.responses] == [("phq9", AT), ("peg", AT), ("phq9", AT)]
    # Written by hand from full_data(): PHQ-9 1,0,2,0,3,0,1,0,1 and difficulty 1.
    assert got.responses[0].answers == {
        "phq9-1": 1, "phq9-2": 0, "phq9-3": 2, "phq9-4": 0, "phq9-5": 3, "phq9-6": 0, "phq9-7": 1,
        "phq9-8": 0, "phq9-9": 1, "phq9-difficulty": 1,
    }  # fmt: skip
    assert "phq9-2" not in got.responses[2].answers  # blank stays blank
    (checkin,) = got.checkins
    assert checkin.recorded_at == datetime(2025, 1, 15, 20, 0, tzinfo=UTC)
    assert checkin.values == {"pain": 6, "mood": 4, "sleep_hours": 6.5, "activity_minutes": 30}
    # Scores are recomputed; the rest is not imported; all reported.
    kinds = sorted({(s.resource_type, s.reason.split(":")[0]) for s in got.skipped})
    assert ("Observation", "a score") in kinds
    assert {k for k, _ in kinds} == {"Patient", "Observation", "MedicationStatement", "Goal", "CarePlan"}


def test_errors_name_the_entry_and_field():
    b = bundle()
    b["entry"][1]["resource"]["questionnaire"] = "http://example.org/Questionnaire/nope"
    b["entry"][3]["resource"]["authored"] = "2025-01-15"  # a date without a time
    b["entry"][3]["resource"]["item"][0]["answer"][0] = {"valueInteger": 4}  # PEG item 1 is 0–10: fine
    b["entry"][5]["resource"]["item"][0]["answer"][0]["valueCoding"]["code"] = "LA0000-0"
    pain = next(
        i for i, e in enumerate(b["entry"]) if e["resource"].get("code", {}).get("text", "").startswith("Pain sev")
    )
    b["entry"][pain]["resource"]["valueInteger"] = 11
    with pytest.raises(BundleError) as caught:
        read_bundle(b, instruments=INSTRUMENTS)
    errors = caught.value.errors
    assert set(errors) == {
        "entry[1].resource.questionnaire",
        "entry[3].resource.authored",
        "entry[5].resource.item[0].answer[0].valueCoding",
        f"entry[{pain}].resource.valueInteger",
    }
    assert "between 0 and 10" in errors[f"entry[{pain}].resource.valueInteger"][0]
    assert str(caught.value).startswith("entry[1].resource.questionnaire: ")


def test_a_checkin_needs_pain_and_mood():
    b = bundle()
    b["entry"] = [
        e for e in b["entry"] if e["resource"].get("code", {}).get("text", "") != "Mood 0-10 (daily check-in)"
    ]
    with pytest.raises(BundleError) as caught:
        read_bundle(b, instruments=INSTRUMENTS)
    ((where, (message,)),) = caught.value.errors.items()
    assert where.endswith(".resource.effectiveDateTime")
    assert "has no mood" in message


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda b: b.update(resourceType="Patient"), "resourceType"),
        (lambda b: b.update(entry="x"), "entry"),
        (lambda b: b["entry"][1].pop("resource"), "entry[1].resource"),
        (lambda b: b["entry"][1]["resource"].update(status="in-progress"), "entry[1].resource.status"),
        (lambda b: b["entry"][1]["resource"]["item"].append({"linkId": "zz", "answer": [{"valueInteger": 1}]}),
         "entry[1].resource.item[10].linkId"),
        (lambda b: b["entry"][1]["resource"].update(questionnaire=QUESTIONNAIRE + "|9"),
         "entry[1].resource.questionnaire"),
    ],
)  # fmt: skip
def test_malformed(change, where):
    b = copy.deepcopy(bundle())
    change(b)
    with pytest.raises(BundleError) as caught:
        read_bundle(b, instruments=INSTRUMENTS)
    assert where in caught.value.errors


def test_a_foreign_observation_is_refused_with_the_accepted_codes():
    b = bundle()
    b["entry"].append({"resource": {"resourceType": "Observation", "status": "final",
                                    "code": {"coding": [{"system": "http://loinc.org", "code": "72133-2"}]},
                                    "effectiveDateTime": "2025-01-15T20:00:00Z", "valueInteger": 3}})  # fmt: skip
    with pytest.raises(BundleError) as caught:
        read_bundle(b, instruments=INSTRUMENTS)
    (message,) = caught.value.errors[f"entry[{len(b['entry']) - 1}].resource.code"]
    assert "pain (72514-3)" in message
    assert "mood (local code mood)" in message
