"""Turn stored check-ins into the engine's input and its output into what pages show."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

import pandas as pd

from painmind.core.cycle import CycleInputError, analyze
from painmind.diary.models import CheckIn
from painmind.insights.factors import (
    MEDICINE_FACTORS,
    SELFCARE_COLUMNS,
    relabel,
    rescale,
    with_medicine_factors,
    with_selfcare_factors,
)

# The cycle itself: yesterday's pain and mood → today's (design.md glossary).
CYCLE_VARIABLES = ("pain", "mood")
# Candidate "what helps me" factors: each is modelled on its own next to the outcome, so a
# factor the person rarely records does not cost the others any days.
FACTOR_COLUMNS = ("sleep_quality", "sleep_hours", "activity_minutes", "social", "stress", "anxiety")
# From the dose log (insights.factors, issue 12): adherence and as-needed doses per day.
MEDICINE_COLUMNS = tuple(MEDICINE_FACTORS)
# From the self-management app (insights.factors, issue 13): lifestyle fields and tool use.
# 2: detrended fits, last night's sleep with that day, findings judged together (issue 11).
# 3: medicine adherence and as-needed doses as candidate factors (issue 12).
# 4: lifestyle fields and tool use (relaxation, thought records, pacing quota) (issue 13).
ENGINE_VERSION = "4"
# The kernel estimates from 20 pairs (the clinician's technical table); a sentence to the person
# needs core.cycle.judge.MIN_PAIRS (50).
MIN_PAIRS = 20


def diary_frame(patient_ids: Iterable[int]) -> pd.DataFrame:
    """One row per patient and local day: several check-ins on a day are averaged.

    The diary is analyzed as a daily diary (previous calendar day → next day); averaging keeps
    a second check-in on the same day from being treated as a new day.
    """
    columns = ["patient_id", "local_on", *CYCLE_VARIABLES, *FACTOR_COLUMNS]
    rows = CheckIn.objects.filter(patient_id__in=list(patient_ids)).values_list(*columns)
    frame = pd.DataFrame.from_records(list(rows), columns=columns)
    if frame.empty:
        return frame
    values = frame[[*CYCLE_VARIABLES, *FACTOR_COLUMNS]].astype("float64")
    frame = pd.concat([frame[["patient_id", "local_on"]], values], axis=1)
    daily = frame.groupby(["patient_id", "local_on"], as_index=False).mean()
    daily["patient_id"] = daily["patient_id"].astype(str)
    daily["local_on"] = pd.to_datetime(daily["local_on"])
    return daily


def analyze_patients(patient_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Cycle and "what helps me" for each patient, in one batched engine run."""
    ids = list(patient_ids)
    frame = diary_frame(ids)
    out: dict[int, dict[str, Any]] = {}
    if frame.empty:
        return {pid: _empty(0) for pid in ids}
    frame = with_selfcare_factors(with_medicine_factors(frame, ids), ids)
    present = [c for c in (*FACTOR_COLUMNS, *MEDICINE_COLUMNS, *SELFCARE_COLUMNS) if frame[c].notna().any()]
    try:
        result = analyze(
            frame,
            id_col="patient_id",
            variables=CYCLE_VARIABLES,
            time_col="local_on",
            min_pairs=MIN_PAIRS,
            trend=True,  # a steady improvement is not a cross-lag (analytics-reference §1 item 4)
            helps=True,
            helps_factors=present,
            cohort=False,
        )
    except CycleInputError:
        counts = frame.groupby("patient_id").size()
        return {pid: _empty(int(counts.get(str(pid), 0))) for pid in ids}
    fits = result.fits
    helps = result.helps or []
    # One pass for every patient's span (a filter per patient would rescan the frame each time).
    days = frame.groupby("patient_id")["local_on"]
    n_days: dict[Any, Any] = days.size().to_dict()
    first: dict[Any, Any] = days.min().dt.date.to_dict()
    last: dict[Any, Any] = days.max().dt.date.to_dict()
    for i, key in enumerate(fits.patient_ids):
        out[int(key)] = {
            "fit": fits.patient_json(i),
            "df": float(fits.df[i]) if fits.status[i] == "ok" else None,
            "helps": [rescale(relabel(_finite(asdict(f)))) for f in helps[i]] if i < len(helps) else [],
            "n_days": int(n_days[key]),
            "first_day": first[key].isoformat(),
            "last_day": last[key].isoformat(),
        }
    for pid in ids:
        out.setdefault(pid, _empty(0))
    return out


def _finite(row: dict[str, Any]) -> dict[str, Any]:
    # JSON (and PostgreSQL's jsonb) has no NaN: a number that could not be estimated is null.
    return {k: None if isinstance(v, float) and not math.isfinite(v) else v for k, v in row.items()}


def _empty(n_days: int) -> dict[str, Any]:
    return {
        "fit": {
            "status": "insufficient_data",
            "message": "No check-ins yet.",
            "n_obs": n_days,
            "n_pairs": 0,
            "edges": [],
        },
        "helps": [],
        "n_days": n_days,
        "first_day": None,
        "last_day": None,
    }
