"""One regimen as a FHIR R4 MedicationStatement (clinical-reference §4.4), as a plain dict.

The reference gives the RxNorm system for ``medicationCodeableConcept`` but no codes, and
PainMind never invents a code: the medicine goes in ``text`` only (docs/meds.md). Units use
UCUM. The result validates against ``fhir.resources.R4B.medicationstatement.MedicationStatement``
(tests); this module itself needs nothing beyond the standard library.

Examples
--------
>>> from datetime import date
>>> from painmind.core.meds.check import Item
>>> ms = medication_statement(
...     Item(drug="oxycodone ER", dose=10, unit="mg", times_per_day=2, started_on=date(2026, 1, 5)),
...     subject="Patient/42", status="active", date_asserted=date(2026, 1, 5), information_source="Patient/42",
... )
>>> ms["medicationCodeableConcept"], ms["dosage"][0]["timing"]
({'text': 'oxycodone ER'}, {'repeat': {'frequency': 2, 'period': 1, 'periodUnit': 'd'}})
"""

from __future__ import annotations

import re
from datetime import date, datetime

from painmind.core.meds._items import RATE_UNIT, Item, validate_item

# MedicationStatement.status, R4 (clinical-reference §4.4 [S50b]).
STATUS_CODES: tuple[str, ...] = (
    "active",
    "completed",
    "entered-in-error",
    "intended",
    "stopped",
    "on-hold",
    "unknown",
    "not-taken",
)
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"  # §4.4: the system to use once codes exist
UCUM = "http://unitsofmeasure.org"
_UCUM_CODE = {"mg": "mg", "g": "g", "mcg": "ug", RATE_UNIT: "ug/h"}
_REFERENCE = re.compile(r"^[A-Z][A-Za-z]+/[A-Za-z0-9\-.]{1,64}$")


def status_for(item: Item, on: date) -> str:
    """Return the status a regimen has on a day: ``intended``, ``active`` or ``stopped``.

    PROJECT RULE (docs/meds.md): before ``started_on`` → ``intended``; from ``stopped_on`` on →
    ``stopped`` (PainMind records that a medicine was stopped, not whether a planned course ran
    to its end, so it never guesses ``completed``); otherwise ``active``.
    """
    if item.started_on is not None and item.started_on > on:
        return "intended"
    if item.stopped_on is not None and item.stopped_on <= on:
        return "stopped"
    return "active"


def medication_statement(
    item: Item,
    *,
    subject: str,
    status: str,
    date_asserted: date | datetime | None = None,
    information_source: str | None = None,
    resource_id: str | None = None,
    reason: str | None = None,
    note: str | None = None,
) -> dict[str, object]:
    """Build a FHIR R4 MedicationStatement for one regimen.

    Parameters
    ----------
    item
        The regimen (validated again here; a bad one raises ``MedsInputError``).
    subject
        Reference to the patient, ``"Patient/<id>"``.
    status
        One of :data:`STATUS_CODES` (see :func:`status_for`).
    date_asserted
        When the statement was made; an aware datetime or a date.
    information_source
        Who reported it: ``"Patient/<id>"`` for self-report (§4.4), ``"Practitioner/<id>"``…
    resource_id
        The resource ``id``.
    reason, note
        Free text for ``reasonCode[0].text`` ("pain", "mood"…) and ``note[0].text``.

    Returns
    -------
    dict
        JSON-ready; keys in FHIR's element order.

    Raises
    ------
    ValueError
        For an unknown status, a malformed reference or a naive datetime.
    """
    item = validate_item(item, 1)
    if status not in STATUS_CODES:
        raise ValueError(f"status: must be one of {', '.join(STATUS_CODES)}")
    for name, ref in (("subject", subject), ("information_source", information_source)):
        if ref is not None and not _REFERENCE.match(ref):
            raise ValueError(f"{name}: must be a reference like 'Patient/123'")
    resource: dict[str, object] = {"resourceType": "MedicationStatement"}
    if resource_id is not None:
        resource["id"] = resource_id
    resource["status"] = status
    # No RxNorm code: the reference names the system but gives no codes, and we never invent one.
    resource["medicationCodeableConcept"] = {"text": item.drug}
    resource["subject"] = {"reference": subject}
    period = {k: d.isoformat() for k, d in (("start", item.started_on), ("end", item.stopped_on)) if d is not None}
    if period:
        resource["effectivePeriod"] = period
    if date_asserted is not None:
        resource["dateAsserted"] = _date_time(date_asserted)
    if information_source is not None:
        resource["informationSource"] = {"reference": information_source}
    if reason:
        resource["reasonCode"] = [{"text": reason}]
    if note:
        resource["note"] = [{"text": note}]
    resource["dosage"] = [_dosage(item)]
    return resource


def _date_time(value: date | datetime) -> str:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("date_asserted: a datetime must carry its time zone")
        text = value.isoformat()
        # UTC as "Z", the form the reference's examples use (§4.2).
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    return value.isoformat()


def _quantity(value: float, unit: str) -> dict[str, object]:
    return {"value": _num(value), "unit": unit, "system": UCUM, "code": _UCUM_CODE[unit]}


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _dosage(item: Item) -> dict[str, object]:
    dosage: dict[str, object] = {"text": dosage_text(item)}
    repeat: dict[str, object] | None = None
    if item.times_per_day is not None:
        if float(item.times_per_day).is_integer():
            repeat = {"frequency": int(item.times_per_day), "period": 1, "periodUnit": "d"}
        else:  # Timing.repeat.frequency is a positiveInt: 1.5 a day becomes once every 16 h.
            repeat = {"frequency": 1, "period": round(24 / item.times_per_day, 6), "periodUnit": "h"}
    elif item.every_hours is not None:
        repeat = {"frequency": 1, "period": _num(item.every_hours), "periodUnit": "h"}
    if repeat is not None:
        dosage["timing"] = {"repeat": repeat}
    dosage["asNeededBoolean"] = item.as_needed
    if item.unit == RATE_UNIT:
        dosage["doseAndRate"] = [{"rateQuantity": _quantity(item.dose, item.unit)}]
    else:
        dosage["doseAndRate"] = [{"doseQuantity": _quantity(item.dose, item.unit)}]
    if item.as_needed and item.max_per_day is not None:
        dosage["maxDosePerPeriod"] = {
            "numerator": _quantity(item.dose * item.max_per_day, item.unit),
            "denominator": {"value": 1, "unit": "day", "system": UCUM, "code": "d"},
        }
    return dosage


def dosage_text(item: Item) -> str:
    """Return the regimen in words: ``"10 mg 2 times a day"``, ``"25 mcg/hr patch"``…"""
    dose = f"{item.dose:g} {item.unit}"
    if item.unit == RATE_UNIT:
        text = f"{dose} patch" + (f", changed every {item.every_hours:g} hours" if item.every_hours else "")
        return text
    if item.as_needed:
        parts = [f"{dose} as needed"]
        if item.every_hours is not None:
            parts.append(f"no more often than every {item.every_hours:g} hours")
        if item.max_per_day is not None:
            parts.append(f"at most {item.max_per_day:g} doses a day")
        return ", ".join(parts)
    if item.times_per_day is not None:
        return f"{dose} {item.times_per_day:g} times a day" if item.times_per_day != 1 else f"{dose} once a day"
    return f"{dose} every {item.every_hours:g} hours"
