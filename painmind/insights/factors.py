"""Medicines, lifestyle fields and tool use as candidate "what helps me" factors, per local day.

The day's values come from the dose log (`meds.summary.daily_factors`; the project rules are in
docs/meds-app.md "Medicines in 'what helps me'") and join the diary frame by patient and local
day. They then go through the same engine, judge, multiplicity and shrinkage as sleep or
activity (docs/cycle.md "When a finding is clear"). Lifestyle fields and tool use (issue 13)
come from the self-management app through `core.selfcare.factor_sources` (a sibling app that
insights may not import; its missing-day rules are in docs/selfcare.md).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import pandas as pd

from painmind.core.selfcare import lifestyle
from painmind.core.selfcare.factor_sources import factor_rows
from painmind.meds.access import medicines_for_analysis
from painmind.meds.models import DoseLog, Regimen
from painmind.meds.summary import daily_factors

ADHERENCE = "adherence"
AS_NEEDED = "as_needed_doses"
# factor: unit as the clinician's technical table shows it (per 1 of it, as the engine fits).
MEDICINE_FACTORS: dict[str, str] = {ADHERENCE: "fraction of scheduled doses taken", AS_NEEDED: "dose"}
# Under every medicine finding, in every voice: a link is never advice to change a dose.
MEDICINE_NOTE = "Please talk to your prescriber before changing how you take a medicine."


# Lifestyle fields and tool use: factor → (per, unit). Minutes are spoken of per 30 (as the
# diary's activity minutes); counts, ratings and 0/1 tool use per 1.
SELFCARE_FACTORS: dict[str, tuple[float, str]] = {
    **{name: (f.per, f.unit) for name, f in lifestyle.NUMERIC.items()},
    "role_done": (1.0, "share of the usual role done"),
    lifestyle.RELAXATION_DONE: (1.0, "session done (1) or not (0)"),
    lifestyle.THOUGHT_RECORD_DONE: (1.0, "record written (1) or not (0)"),
    lifestyle.PACING_QUOTA_MET: (1.0, "quota met (1) or not (0)"),
}
SELFCARE_COLUMNS = tuple(SELFCARE_FACTORS)


def selfcare_frame(patient_ids: Iterable[int]) -> pd.DataFrame:
    """One row per patient and local day with any lifestyle or tool-use value, as medicine_frame."""
    records = [{"patient_id": str(pid), "local_on": day, **values} for pid, day, values in factor_rows(patient_ids)]
    frame = pd.DataFrame.from_records(records, columns=["patient_id", "local_on", *SELFCARE_COLUMNS])
    frame[list(SELFCARE_COLUMNS)] = frame[list(SELFCARE_COLUMNS)].astype("float64")
    # Several sources may give one day (a lifestyle entry and a relaxation session): one row.
    frame = frame.groupby(["patient_id", "local_on"], as_index=False).first()
    frame["local_on"] = pd.to_datetime(frame["local_on"])
    return frame


def with_selfcare_factors(diary: pd.DataFrame, patient_ids: Iterable[int]) -> pd.DataFrame:
    """The diary frame with lifestyle and tool-use columns joined on; only check-in days kept
    (as with_medicine_factors)."""
    extra = selfcare_frame(patient_ids)
    return diary.merge(extra, on=["patient_id", "local_on"], how="left", validate="one_to_one")


def rescale(row: dict[str, Any]) -> dict[str, Any]:
    """A stored "what helps" row of a lifestyle or tool-use factor: its unit, and the estimate per
    `per` of it (the engine fits per 1; the SE stays per 1, as the engine stores it)."""
    factor = row.get("factor")
    if factor not in SELFCARE_FACTORS:
        return row
    per, unit = SELFCARE_FACTORS[factor]
    k = per / float(row.get("per") or 1.0)
    scaled = {c: row[c] * k for c in ("coef", "ci_low", "ci_high") if isinstance(row.get(c), int | float)}
    return {**row, **scaled, "per": per, "unit": unit}


def medicine_frame(patient_ids: Iterable[int]) -> pd.DataFrame:
    """One row per patient and local day with a dose tick: ``patient_id`` (str, as the diary
    frame), ``local_on`` (datetime64) and the factor columns (NaN where the rule says missing)."""
    regimens, doses = medicines_for_analysis(list(patient_ids))
    by_patient: dict[int, tuple[list[Regimen], list[DoseLog]]] = defaultdict(lambda: ([], []))
    for r in regimens:
        by_patient[r.patient_id][0].append(r)
    for d in doses:
        by_patient[d.patient_id][1].append(d)
    rows = [
        (str(pid), day, f.adherence, f.as_needed)
        for pid, (regs, ticks) in by_patient.items()
        for day, f in daily_factors(regs, ticks).items()
    ]
    frame = pd.DataFrame.from_records(rows, columns=["patient_id", "local_on", ADHERENCE, AS_NEEDED])
    frame[[ADHERENCE, AS_NEEDED]] = frame[[ADHERENCE, AS_NEEDED]].astype("float64")
    frame["local_on"] = pd.to_datetime(frame["local_on"])
    return frame


def with_medicine_factors(diary: pd.DataFrame, patient_ids: Iterable[int]) -> pd.DataFrame:
    """The diary frame with the medicine factor columns joined on (patient, local day).

    Only check-in days are kept: a pair needs the outcome on the factor's day too (the model
    adjusts for yesterday's pain or mood), so a tick on a day without a check-in adds no pair."""
    meds = medicine_frame(patient_ids)
    return diary.merge(meds, on=["patient_id", "local_on"], how="left", validate="one_to_one")


def relabel(row: dict[str, Any]) -> dict[str, Any]:
    """A stored "what helps" row of a medicine factor: its unit, and the engine's generic words
    ("your adherence was 1 unit higher") replaced by the plain label and the prescriber line."""
    factor = row.get("factor")
    if factor not in MEDICINE_FACTORS:
        return row
    generic = f"your {factor.replace('_', ' ')} was 1 unit higher"
    plain = {
        ADHERENCE: "you took your regular medicines as planned (all scheduled doses rather than none)",
        AS_NEEDED: "you took 1 more as-needed dose",
    }[factor]
    text = str(row.get("text", "")).replace(generic, plain)
    return {**row, "unit": MEDICINE_FACTORS[factor], "text": f"{text} {MEDICINE_NOTE}"}
