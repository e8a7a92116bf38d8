"""The FHIR R4 Bundle built from plain records (clinical-reference §4), validated with the R4B
models of fhir.resources, with codes checked against the reference's tables by hand."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from fhir.resources.R4B.bundle import Bundle

from painmind.core.fhir import (
    ActivityRecord,
    CheckInRecord,
    GoalRecord,
    MedicationRecord,
    PatientData,
    PatientRecord,
    ResponseRecord,
    patient_bundle,
)
from painmind.core.instruments import get_instrument
from painmind.core.meds.check import Item

AT = datetime(2025, 1, 15, 9, 30, tzinfo=UTC)
BASE = "https://pm.example.org/fhir"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"


def full_data(name: str | None = None) -> PatientData:
    phq9, peg = get_instrument("phq9"), get_instrument("peg")
    return PatientData(
        PatientRecord("pseudo-1", name),
        responses=[
            # Item 9 = 1 (positive), difficulty item (10th) = 1; total 1+0+2+0+3+0+1+0+1 = 8.
            ResponseRecord("7", phq9, (1, 0, 2, 0, 3, 0, 1, 0, 1, 1), AT, 8.0, "mild"),
            # PEG mean (4 + 5 + 6) / 3 = 5: a decimal scale (0–10 answers, no answer codes).
            ResponseRecord("8", peg, (4, 5, 6), AT, 5.0, ""),
            ResponseRecord("9", phq9, (1, None, 2, 0, 3, 0, 1, 0, 1, None), AT, 8.9, "mild", prorated=True),
        ],
        checkins=[
            CheckInRecord(
                "3",
                datetime(2025, 1, 15, 20, 0, tzinfo=UTC),
                {"pain": 6, "mood": 4, "sleep_hours": 6.5, "activity_minutes": 30},
            )
        ],
        medications=[
            MedicationRecord(
                "2",
                Item(drug="oxycodone ER", dose=10, unit="mg", times_per_day=2, started_on=date(2025, 1, 1)),
                "active",
                date_asserted=AT,
            )
        ],
        goals=[
            GoalRecord("4", "PHQ-9 below 5 (remission)", "active", "phq9", "lt", 5.0, date(2025, 6, 30)),
            GoalRecord("5", "Pain at most 4", "achieved", "pain", "le", 4.0),
            GoalRecord("6", "Walk every day", "stopped"),
        ],
        activities=[ActivityRecord("Graded walking", "lifestyle", "active")],
    )


def build(data: PatientData, **options: Any) -> Any:
    return patient_bundle(data, **options)


def resources(bundle: Any, kind: str) -> list[Any]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_bundle_with_every_kind_of_data_validates_as_r4b():
    bundle = build(full_data(), base_url=BASE, timestamp=AT)
    model = Bundle.model_validate(bundle)
    # Nothing dropped or coerced by the model: its dump equals what was built.
    assert json.loads(model.model_dump_json()) == bundle
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds == (
        ["Patient"] + ["QuestionnaireResponse", "Observation"] * 3 + ["Observation"] * 4
        + ["MedicationStatement", "Goal", "Goal", "Goal", "CarePlan"]
    )  # fmt: skip
    assert bundle["type"] == "collection"
    for entry in bundle["entry"]:
        r = entry["resource"]
        assert entry["fullUrl"] == f"{BASE}/{r['resourceType']}/{r['id']}"


def test_patient_is_a_pseudonym_and_a_name_only_when_asked():
    (bare,) = resources(build(full_data(), base_url=BASE, timestamp=AT), "Patient")
    assert set(bare) == {"resourceType", "id", "identifier"}
    assert bare["identifier"][0]["value"] == "pseudo-1"
    (named,) = resources(build(full_data("Pat Example"), base_url=BASE, timestamp=AT), "Patient")
    assert named["name"] == [{"text": "Pat Example"}]


def test_phq9_response_uses_la_codes_and_the_canonical_url():
    bundle = build(full_data(), base_url=BASE, timestamp=AT)
    qr = resources(bundle, "QuestionnaireResponse")[0]
    assert qr["questionnaire"] == "https://painmind.example.org/fhir/Questionnaire/phq9|1"
    assert qr["status"] == "completed"
    assert qr["authored"] == "2025-01-15T09:30:00Z"
    # §1.1 answer list: 0 LA6568-5, 1 LA6569-3, 2 LA6570-1, 3 LA6571-9; difficulty 1 = LA6573-5.
    codes = [i["answer"][0]["valueCoding"]["code"] for i in qr["item"]]
    assert codes == ["LA6569-3", "LA6568-5", "LA6570-1", "LA6568-5", "LA6571-9", "LA6568-5", "LA6569-3",
                     "LA6568-5", "LA6569-3", "LA6573-5"]  # fmt: skip
    # A blank item is left out, not sent empty.
    prorated = resources(bundle, "QuestionnaireResponse")[2]
    assert len(prorated["item"]) == 8


def test_total_observation_follows_the_reference_pattern():
    bundle = build(full_data(), base_url=BASE, timestamp=AT)
    qr = resources(bundle, "QuestionnaireResponse")[0]
    total = resources(bundle, "Observation")[0]
    assert total["code"]["coding"][0] == {"system": LOINC, "code": "44261-6"}  # §4.2
    assert total["category"][0]["coding"][0]["code"] == "survey"
    assert total["valueInteger"] == 8
    assert total["interpretation"] == [{"text": "mild"}]
    assert total["derivedFrom"] == [{"reference": f"QuestionnaireResponse/{qr['id']}"}]
    peg_total = resources(bundle, "Observation")[1]
    assert peg_total["code"]["coding"][0]["code"] == "91147-9"  # §1.5 mean score
    peg_qr = resources(bundle, "QuestionnaireResponse")[1]
    # R4 Observation has no valueDecimal: a mean is a Quantity in {score} (§4.2, §4.3).
    assert peg_total["valueQuantity"] == {"value": 5, "unit": "score", "system": UCUM, "code": "{score}"}
    assert [i["answer"][0] for i in peg_qr["item"]] == [{"valueInteger": 4}, {"valueInteger": 5}, {"valueInteger": 6}]
    prorated = resources(bundle, "Observation")[2]
    assert prorated["valueQuantity"]["value"] == 8.9
    assert "prorated" in prorated["note"][0]["text"]


def test_secondary_codes_can_be_left_out():
    bundle = build(full_data(), base_url=BASE, timestamp=AT, secondary_codes=False)
    peg_total = resources(bundle, "Observation")[1]
    # 91147-9 is ◐ (§1.5): only the local code remains; PHQ-9's ✅ 44261-6 stays.
    assert [c["system"] for c in peg_total["code"]["coding"]] == ["https://painmind.example.org/fhir/CodeSystem/score"]
    assert resources(bundle, "Observation")[0]["code"]["coding"][0]["code"] == "44261-6"


def test_diary_values_use_loinc_where_the_reference_gives_one():
    bundle = build(full_data(), base_url=BASE, timestamp=AT)
    diary = resources(bundle, "Observation")[3:]
    by_code = {o["code"]["coding"][-1]["code"]: o for o in diary}
    assert by_code["pain"]["code"]["coding"][0] == {"system": LOINC, "code": "72514-3"}  # §1.10
    assert by_code["pain"]["valueInteger"] == 6
    assert by_code["sleep_hours"]["code"]["coding"][0] == {"system": LOINC, "code": "93832-4"}  # §1.10
    assert by_code["sleep_hours"]["valueQuantity"]["value"] == 6.5
    assert by_code["sleep_hours"]["valueQuantity"]["code"] == "h"
    # No LOINC for mood (§1.10): the local code only, never 72133-2 (the MoCA).
    assert [c["system"] for c in by_code["mood"]["code"]["coding"]] == [
        "https://painmind.example.org/fhir/CodeSystem/checkin"
    ]
    assert by_code["activity_minutes"]["valueQuantity"]["code"] == "min"


def test_care_plan_references_its_goals():
    bundle = build(full_data(), base_url=BASE, timestamp=AT)
    goals = resources(bundle, "Goal")
    (plan,) = resources(bundle, "CarePlan")
    assert plan["intent"] == "plan"
    assert plan["status"] == "active"
    assert plan["goal"] == [{"reference": f"Goal/{g['id']}"} for g in goals]
    assert plan["activity"][0]["detail"]["status"] == "in-progress"
    remission = goals[0]["target"][0]
    assert remission["measure"]["coding"][0] == {"system": LOINC, "code": "44261-6"}
    assert remission["detailQuantity"] == {
        "value": 5, "comparator": "<", "unit": "score", "system": "http://unitsofmeasure.org", "code": "{score}",
    }  # fmt: skip
    assert remission["dueDate"] == "2025-06-30"
    assert goals[1]["lifecycleStatus"] == "completed"
    assert goals[1]["achievementStatus"]["coding"][0]["code"] == "achieved"
    assert goals[2]["lifecycleStatus"] == "cancelled"
    assert "target" not in goals[2]


def test_ids_are_stable_and_reveal_no_row_id():
    one = build(full_data(), base_url=BASE, timestamp=AT)
    two = build(full_data(), base_url=BASE, timestamp=AT)
    assert one == two
    ids = [e["resource"]["id"] for e in one["entry"]]
    assert len(set(ids)) == len(ids)
    assert all(len(i) == 36 for i in ids)  # uuids
