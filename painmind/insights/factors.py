"""Medicines as candidate "what helps me" factors: adherence and as-needed use per local day.

The day's values come from the dose log (`meds.summary.daily_factors`; the project rules are in
docs/meds-app.md "Medicines in 'what helps me'") and join the diary frame by patient and local
day. They then go through the same engine, judge, multiplicity and shrinkage as sleep or
activity (docs/cycle.md "When a finding is clear").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import pandas as pd

from painmind.meds.access import medicines_for_analysis
from painmind.meds.models import DoseLog, Regimen
from painmind.meds.summary import daily_factors

ADHERENCE = "adherence"
AS_NEEDED = "as_needed_doses"
# factor: unit as the clinician's technical table shows it (per 1 of it, as the engine fits).
MEDICINE_FACTORS: dict[str, str] = {ADHERENCE: "fraction of scheduled doses taken", AS_NEEDED: "dose"}
# Under every medicine finding, in every voice: a link is never advice to change a dose.
MEDICINE_NOTE = "Please talk to your prescriber before changing how you take a medicine."


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
