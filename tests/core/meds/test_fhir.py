"""MedicationStatement (clinical-reference §4.4), validated with fhir.resources' R4B model."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from fhir.resources.R4B.medicationstatement import MedicationStatement

from painmind.core.meds.check import Item, MedsInputError
from painmind.core.meds.fhir import STATUS_CODES, medication_statement, status_for

UCUM = "http://unitsofmeasure.org"


def validated(resource: dict[str, object]) -> dict[str, object]:
    """Round-trip through the R4B model: it rejects unknown elements, wrong types and missing
    required elements; the dump must equal what we built (nothing dropped or coerced)."""
    model = MedicationStatement.model_validate(resource)
    assert json.loads(model.model_dump_json()) == resource
    return resource


def test_status_codes_are_the_r4_value_set():
    # §4.4 [S50b]: active | completed | entered-in-error | intended | stopped | on-hold | unknown | not-taken
    assert set(STATUS_CODES) == {
        "active", "completed", "entered-in-error", "intended", "stopped", "on-hold", "unknown", "not-taken",
    }  # fmt: skip


def test_scheduled_self_reported_regimen():
    item = Item(drug="Oxycodone ER", dose=10, unit="mg", times_per_day=2, started_on=date(2026, 1, 5))
    ms = medication_statement(
        item,
        subject="Patient/42",
        status="active",
        date_asserted=datetime(2026, 1, 5, 9, 30, tzinfo=UTC),
        information_source="Patient/42",
        resource_id="ms-1",
        reason="pain",
        note="with food",
    )
    assert validated(ms) == {
        "resourceType": "MedicationStatement",
        "id": "ms-1",
        "status": "active",
        "medicationCodeableConcept": {"text": "Oxycodone ER"},
        "subject": {"reference": "Patient/42"},
        "effectivePeriod": {"start": "2026-01-05"},
        "dateAsserted": "2026-01-05T09:30:00Z",
        "informationSource": {"reference": "Patient/42"},
        "reasonCode": [{"text": "pain"}],
        "note": [{"text": "with food"}],
        "dosage": [
            {
                "text": "10 mg 2 times a day",
                "timing": {"repeat": {"frequency": 2, "period": 1, "periodUnit": "d"}},
                "asNeededBoolean": False,
                "doseAndRate": [{"doseQuantity": {"value": 10, "unit": "mg", "system": UCUM, "code": "mg"}}],
            }
        ],
    }


def test_as_needed_with_maximum_and_interval():
    item = Item(drug="tramadol", dose=50, unit="mg", as_needed=True, every_hours=6, max_per_day=4)
    ms = validated(medication_statement(item, subject="Patient/7", status="active"))
    dosage = ms["dosage"][0]  # type: ignore[index]
    assert dosage == {
        "text": "50 mg as needed, no more often than every 6 hours, at most 4 doses a day",
        "timing": {"repeat": {"frequency": 1, "period": 6, "periodUnit": "h"}},
        "asNeededBoolean": True,
        "doseAndRate": [{"doseQuantity": {"value": 50, "unit": "mg", "system": UCUM, "code": "mg"}}],
        # 4 doses × 50 mg = 200 mg per 1 day
        "maxDosePerPeriod": {
            "numerator": {"value": 200, "unit": "mg", "system": UCUM, "code": "mg"},
            "denominator": {"value": 1, "unit": "day", "system": UCUM, "code": "d"},
        },
    }


def test_fentanyl_patch_is_a_rate_in_ucum_micrograms_per_hour():
    item = Item(drug="fentanyl patch", dose=25, unit="mcg/hr", every_hours=72,
                started_on=date(2026, 11, 1), stopped_on=date(2026, 12, 1))  # fmt: skip
    ms = validated(medication_statement(item, subject="Patient/7", status="stopped", date_asserted=date(2026, 12, 1)))
    assert ms["effectivePeriod"] == {"start": "2026-11-01", "end": "2026-12-01"}
    assert ms["dateAsserted"] == "2026-12-01"
    dosage = ms["dosage"][0]  # type: ignore[index]
    assert dosage["doseAndRate"] == [{"rateQuantity": {"value": 25, "unit": "mcg/hr", "system": UCUM, "code": "ug/h"}}]
    assert dosage["text"] == "25 mcg/hr patch, changed every 72 hours"


def test_fractional_times_a_day_becomes_an_interval():
    # frequency is a positiveInt in FHIR: 1.5 a day = once every 16 hours.
    ms = validated(medication_statement(Item(drug="morphine", dose=10, unit="mg", times_per_day=1.5),
                                        subject="Patient/1", status="active"))  # fmt: skip
    assert ms["dosage"][0]["timing"] == {"repeat": {"frequency": 1, "period": 16, "periodUnit": "h"}}  # type: ignore[index]


def test_micrograms_use_the_ucum_code_ug():
    ms = validated(medication_statement(Item(drug="fentanyl buccal", dose=100, unit="mcg", every_hours=4),
                                        subject="Patient/1", status="active"))  # fmt: skip
    dose = ms["dosage"][0]["doseAndRate"][0]["doseQuantity"]  # type: ignore[index]
    assert dose == {"value": 100, "unit": "mcg", "system": UCUM, "code": "ug"}


def test_never_a_medication_code():
    # The reference gives the RxNorm system but no codes: the medicine is text only.
    ms = medication_statement(
        Item(drug="Cymbalta", dose=60, unit="mg", times_per_day=1), subject="Patient/1", status="active"
    )
    assert "coding" not in json.dumps(ms)


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2026, 1, 4), "intended"),
        (date(2026, 1, 5), "active"),
        (date(2026, 1, 31), "active"),
        (date(2026, 2, 1), "stopped"),
    ],
)
def test_status_for(on, expected):
    item = Item(
        drug="morphine", dose=10, unit="mg", times_per_day=1, started_on=date(2026, 1, 5), stopped_on=date(2026, 2, 1)
    )
    assert status_for(item, on) == expected
    validated(medication_statement(item, subject="Patient/1", status=status_for(item, on)))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"status": "taking"}, "status: must be one of active"),
        ({"subject": "42"}, "subject: must be a reference like 'Patient/123'"),
        ({"information_source": "the patient"}, "information_source: must be a reference"),
        ({"date_asserted": datetime(2026, 1, 5, 9, 30)}, "date_asserted: a datetime must carry its time zone"),  # noqa: DTZ001
    ],
)
def test_bad_arguments(kwargs, message):
    args = {"subject": "Patient/1", "status": "active", **kwargs}
    with pytest.raises(ValueError, match=message):
        medication_statement(Item(drug="morphine", dose=10, unit="mg", times_per_day=1), **args)


def test_bad_item_is_rejected():
    with pytest.raises(MedsInputError, match="dose: must be greater than 0"):
        medication_statement(
            Item(drug="morphine", dose=0, unit="mg", times_per_day=1), subject="Patient/1", status="active"
        )


def test_aware_non_utc_date_asserted_keeps_its_offset():
    tz = timezone(timedelta(hours=1))
    when = datetime(2026, 3, 1, 8, 0, tzinfo=tz)
    item = Item(drug="morphine", dose=10, unit="mg", times_per_day=1)
    ms = validated(medication_statement(item, subject="Patient/1", status="active", date_asserted=when))
    assert ms["dateAsserted"] == "2026-03-01T08:00:00+01:00"
