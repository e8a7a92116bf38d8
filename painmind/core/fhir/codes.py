"""Code systems and codes for PainMind's FHIR R4 resources (clinical-reference §4).

LOINC only where the reference gives a code; a local CodeSystem where it says none exists
(mood, §1.10) or gives none. Each LOINC code of an instrument carries its status mark (✅ read in
a primary source, ◐ secondary sources only) in the instrument's Questionnaire JSON; builders
drop the ◐ ones when asked (`secondary_codes=False`, the site setting
``PAINMIND_FHIR_SECONDARY_CODES``), leaving the local code alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from painmind.core.instruments import Instrument

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
GOAL_ACHIEVEMENT = "http://terminology.hl7.org/CodeSystem/goal-achievement"
# PainMind's own canonical base, the one its Questionnaires already use (core/instruments/data).
LOCAL_BASE = "https://painmind.example.org/fhir"
CHECKIN_SYSTEM = f"{LOCAL_BASE}/CodeSystem/checkin"  # PROJECT RULE: one code per check-in field
SCORE_SYSTEM = f"{LOCAL_BASE}/CodeSystem/score"  # PROJECT RULE: "<instrument>-total"
PSEUDONYM_SYSTEM = f"{LOCAL_BASE}/NamingSystem/patient-pseudonym"
SOURCE_URL = f"{LOCAL_BASE}/StructureDefinition/source"
VERIFIED = "✅"


@dataclass(frozen=True)
class DiaryCode:
    """How one check-in field travels: its codings and value type."""

    field: str
    display: str
    loinc: str | None  # only ✅ codes from the reference
    value: str  # "integer" | "quantity"
    unit: str = ""  # UCUM code for a quantity


# Pain NRS 72514-3 ✅ (§1.10 [S29], valueInteger as the reference recommends); sleep duration
# 93832-4 ✅ in hours (§1.10 [S30], §4.3). No LOINC exists in the reference for the others
# (mood: "no LOINC for a daily 0–10 mood rating", §1.10; 72133-2 is the MoCA, never used):
# they carry the local code only.
DIARY_CODES: tuple[DiaryCode, ...] = (
    DiaryCode("pain", "Pain severity 0-10 (daily check-in)", "72514-3", "integer"),
    DiaryCode("mood", "Mood 0-10 (daily check-in)", None, "integer"),
    DiaryCode("pain_interference", "Pain interference 0-10 (daily check-in)", None, "integer"),
    DiaryCode("anxiety", "Anxiety 0-10 (daily check-in)", None, "integer"),
    DiaryCode("stress", "Stress 0-10 (daily check-in)", None, "integer"),
    DiaryCode("sleep_hours", "Sleep duration last night", "93832-4", "quantity", "h"),
    DiaryCode("sleep_quality", "Sleep quality 0-10 (daily check-in)", None, "integer"),
    DiaryCode("activity_minutes", "Active time (daily check-in)", None, "quantity", "min"),
    DiaryCode("social", "Social contact 0-10 (daily check-in)", None, "integer"),
)
DIARY_BY_FIELD: dict[str, DiaryCode] = {c.field: c for c in DIARY_CODES}


def diary_coding(code: DiaryCode) -> dict[str, object]:
    """``Observation.code`` for a check-in field: the LOINC coding (if any) then the local one."""
    codings: list[dict[str, str]] = []
    if code.loinc is not None:
        codings.append({"system": LOINC, "code": code.loinc})
    codings.append({"system": CHECKIN_SYSTEM, "code": code.field, "display": code.display})
    return {"coding": codings, "text": code.display}


def code_marks(instrument: Instrument) -> dict[str, str]:
    """Every LOINC code an instrument's Questionnaire carries, with its status mark (the first
    character of its source extension: ✅, ◐ or ⚠; "" when it has none)."""
    return dict(_marks(instrument.fhir_json))


@cache
def _marks(fhir_json: str) -> tuple[tuple[str, str], ...]:
    marks: dict[str, str] = {}

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("system") == LOINC and isinstance(node.get("code"), str):
                sources = [e.get("valueString", "") for e in node.get("extension", []) if e.get("url") == SOURCE_URL]
                marks[node["code"]] = sources[0][:1] if sources else ""
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(fhir_json))
    return tuple(marks.items())


def usable_loinc(instrument: Instrument, code: str | None, *, secondary_codes: bool) -> str | None:
    """`code` if it may go out: always when ✅, and when ◐ only with `secondary_codes`."""
    if code is None:
        return None
    if secondary_codes:
        return code
    return code if code_marks(instrument).get(code) == VERIFIED else None


def score_coding(instrument: Instrument, *, secondary_codes: bool) -> dict[str, object]:
    """``Observation.code`` for an instrument's total: LOINC where usable, and always the local
    ``<instrument>-total`` code, so an import recognises it whatever the site's setting."""
    codings: list[dict[str, str]] = []
    loinc = usable_loinc(instrument, instrument.score_code, secondary_codes=secondary_codes)
    if loinc is not None:
        codings.append({"system": LOINC, "code": loinc})
    text = f"{instrument.title} total score"
    codings.append({"system": SCORE_SYSTEM, "code": f"{instrument.id}-total", "display": text})
    return {"coding": codings, "text": text}
