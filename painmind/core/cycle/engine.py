"""`analyze`: lag pairs → per-patient fits → cohort pooling, on this machine or on Dask.

Both engines cut the patients into the same contiguous groups (patients sorted by id) and fit
each group with the batched kernel; the local engine runs the groups in turn (reporting
progress), the Dask engine runs them on workers. Per-patient results do not depend on which
other patients share a group, so the two engines agree; the cohort step then runs once on the
gathered per-patient estimates.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import time
from itertools import pairwise
from typing import Any, Literal

import numpy as np
import pandas as pd

from painmind.core.checkin import LAST_NIGHT
from painmind.core.cycle.cohort import pool_fits
from painmind.core.cycle.helps import Finding, what_helps
from painmind.core.cycle.kernel import PatientFits, concat_fits, fit_patients
from painmind.core.cycle.lags import DEFAULT_VARIABLES, CycleInputError, build_pairs
from painmind.core.cycle.lags.nights import cross_night_pairs, day_level, fit_with_day_level
from painmind.core.cycle.result import CycleResult

Progress = Callable[[int, int], None]
# Patients per group: large enough for the batched kernel to amortise, small enough that a
# progress bar moves and a Dask task stays well under a worker's memory.
GROUP_PATIENTS = 20_000
# Lifestyle and coping variables a diary may hold (design.md, strategy 4 "lifestyle").
HELPS_FACTORS = ("sleep_quality", "sleep_hours", "activity_minutes", "social", "stress", "anxiety")


def _groups(data: pd.DataFrame, id_col: str, size: int) -> list[pd.DataFrame]:
    ids = data[id_col].astype(str)
    order = np.sort(ids.unique())
    if len(order) == 0:
        raise CycleInputError("the data has no rows")
    rank = pd.Series(np.arange(len(order)), index=order)
    group = rank.loc[ids].to_numpy() // size
    frame = data.assign(**{id_col: ids}).sort_values(id_col, kind="stable")
    sorted_group = np.sort(group, kind="stable")
    bounds = [0, *(np.flatnonzero(np.diff(sorted_group)) + 1).tolist(), len(frame)]
    return [frame.iloc[start:end] for start, end in pairwise(bounds) if end > start]


def fit_group(
    frame: pd.DataFrame, options: dict[str, Any], helps: bool
) -> tuple[PatientFits, list[list[Finding]] | None]:
    """Fit one group of whole patients (a Dask task, or one step of the local engine)."""
    variables: tuple[str, ...] = options["variables"]
    factors = tuple(f for f in options["helps_factors"] if f not in variables) if helps else ()
    panel = build_pairs(
        frame,
        id_col=options["id_col"],
        variables=(*variables, *factors),
        time_col=options["time_col"],
        day_col=options["day_col"],
        beep_col=options["beep_col"],
        day_boundary=options["day_boundary"],
        day_format=options["day_format"],
        same_day=[v for v in options["same_day"] if v in (*variables, *factors)],
    )
    # A factor recorded on fewer days must not cost the network model any pairs.
    model_panel = panel.select(variables) if factors else panel
    fit_kw = {"trend": options["trend"], "min_pairs": options["min_pairs"], "n_threads": options.get("n_threads")}
    day_col, beep_col = options["day_col"], options["beep_col"]
    if day_col and beep_col and day_level(frame, id_col=options["id_col"], day_col=day_col, variables=variables):
        # A day-level variable's own equation runs across the night (core.cycle.lags.nights).
        fits = fit_with_day_level(
            frame, id_col=options["id_col"], day_col=day_col, beep_col=beep_col, variables=variables,
            day_format=options["day_format"], **fit_kw,
        )  # fmt: skip
    else:
        fits = fit_patients(model_panel, **fit_kw)
    if not helps:
        return fits, None
    candidates = [v for v in panel.variables if v not in options["helps_outcomes"]]
    daily: tuple[str, ...] = ()
    nights = None
    if day_col and beep_col and (daily := day_level(frame, id_col=options["id_col"], day_col=day_col,
                                                     variables=panel.variables)):  # fmt: skip
        # A test with a day-level variable runs across the night (core.cycle.helps).
        try:
            nights = cross_night_pairs(
                frame, id_col=options["id_col"], day_col=day_col, beep_col=beep_col, variables=list(panel.variables),
                day_format=options["day_format"],
            )  # fmt: skip
        except CycleInputError:  # not a single pair of consecutive days: no day-level test is estimable
            candidates = [v for v in candidates if v not in daily]
            daily = ()
    findings = what_helps(
        panel,
        outcomes=options["helps_outcomes"],
        factors=candidates,
        min_pairs=options["min_pairs"],
        same_day=[v for v in options["same_day"] if v in panel.variables],
        trend=options["trend"],  # "what helps" is detrended whenever the network is
        day_level=daily,
        nights=nights,
    )
    return fits, findings


def analyze(
    data: pd.DataFrame,
    *,
    id_col: str,
    variables: Sequence[str] = DEFAULT_VARIABLES,
    time_col: str | None = None,
    day_col: str | None = None,
    beep_col: str | None = None,
    day_boundary: time = time(4, 0),
    day_format: str | None = None,
    trend: bool = False,
    min_pairs: int = 20,
    helps: bool = False,
    helps_outcomes: Sequence[str] = ("pain", "mood"),
    helps_factors: Sequence[str] = HELPS_FACTORS,
    cohort: bool = True,
    engine: Literal["local", "dask"] = "local",
    scheduler: str | None = None,
    group_patients: int = GROUP_PATIENTS,
    progress: Progress | None = None,
    same_day: Sequence[str] | None = None,
) -> CycleResult:
    """Estimate every patient's lag-1 network and, across patients, the cohort's.

    Parameters
    ----------
    data : DataFrame
        Long format: one row per observation with `id_col`, the time columns and `variables`.
    engine : {"local", "dask"}
        "dask" fits the patient groups on a Dask cluster: the one at `scheduler` (an address
        such as ``tcp://10.0.0.5:8786``) or, without one, a local cluster of 2 processes.
    progress : callable(done, total), optional
        Called with patients done so far after each group.
    helps : bool
        Also answer "what helps me": each of `helps_factors` present in the data against each
        of `helps_outcomes` (core.cycle.helps), on pairs complete for just that factor and outcome.
    same_day : sequence of str, optional
        Variables whose value on a day describes the night before it, paired with the outcome of
        that same day (:func:`build_pairs`).  Default: the check-in's last-night variables
        (``core.checkin.LAST_NIGHT``: sleep hours and quality) when the data has no prompt numbers.

    Returns
    -------
    CycleResult
        Per-patient fits (and "what helps me" findings with ``helps=True``), the cohort
        pooling over patients with status ``ok`` (``cohort=False`` skips it).

    Raises
    ------
    CycleInputError
        Missing columns, non-numeric values, no rows or no valid lag pairs at all.
    """
    missing = [c for c in (id_col, time_col, day_col, beep_col, *variables) if c is not None and c not in data.columns]
    if missing:
        raise CycleInputError(f"column(s) not in the data: {', '.join(missing)}")
    ids = data[id_col]
    if (blank := (ids.isna() | ids.astype(str).str.strip().eq("")).to_numpy()).any():
        # astype(str) below would make a missing id the person "nan".
        raise CycleInputError(f"id column {id_col!r} has a missing or blank value (row {data.index[blank][0]!r})")
    if group_patients < 1:
        raise CycleInputError("group_patients must be at least 1")
    if same_day is None:
        same_day = () if beep_col is not None else LAST_NIGHT
    elif isinstance(same_day, str):
        raise CycleInputError(f"same_day must be a sequence of column names, got {same_day!r}")
    elif unknown := [v for v in same_day if v not in variables and not (helps and v in helps_factors)]:
        raise CycleInputError(f"same_day: {', '.join(unknown)} not among the variables analysed")
    options = {
        "id_col": id_col,
        "same_day": tuple(same_day),
        "variables": tuple(variables),
        "time_col": time_col,
        "day_col": day_col,
        "beep_col": beep_col,
        "day_boundary": day_boundary,
        "day_format": day_format,
        "trend": trend,
        "helps_outcomes": tuple(o for o in helps_outcomes if o in variables),
        "helps_factors": tuple(f for f in helps_factors if f in data.columns),
        "min_pairs": min_pairs,
    }
    groups = _groups(data, id_col, group_patients)
    total = sum(g[id_col].nunique() for g in groups)
    if engine == "dask":
        parts = _run_dask(groups, options=options, helps=helps, scheduler=scheduler, total=total, progress=progress)
    elif engine == "local":
        parts = []
        done = 0
        for group in groups:
            parts.append(fit_group(group, options, helps))
            done += group[id_col].nunique()
            if progress is not None:
                progress(done, total)
    else:
        raise CycleInputError(f"engine must be 'local' or 'dask', not {engine!r}")
    fits = concat_fits([fits for fits, _ in parts])
    if not fits.ok.any() and len(fits.patient_ids) and int(fits.n_pairs.sum()) == 0:
        raise CycleInputError("no valid lag pairs: check the time, day and prompt columns")
    findings = [f for _, part in parts for f in (part or [])] if helps else None
    pooled = pool_fits(fits) if cohort else None  # per-patient bias-corrected first (cohort/bias.py)
    return CycleResult(variables=fits.variables, fits=fits, cohort=pooled, helps=findings)


def _run_dask(
    groups: list[pd.DataFrame],
    *,
    options: dict[str, Any],
    helps: bool,
    scheduler: str | None,
    total: int,
    progress: Progress | None,
) -> list[tuple[PatientFits, list[list[Finding]] | None]]:
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
        )
    client = Client(cluster if cluster is not None else scheduler)
    try:
        # One thread per task: the workers are the parallelism, not the kernel's threads.
        worker_options = {**options, "n_threads": 1}
        futures = [client.submit(fit_group, client.scatter(g), worker_options, helps, pure=False) for g in groups]
        index = {f.key: i for i, f in enumerate(futures)}
        results: list[Any] = [None] * len(futures)
        done = 0
        for future in as_completed(futures):
            results[index[future.key]] = future.result()
            done += len(results[index[future.key]][0].patient_ids)
            if progress is not None:
                progress(done, total)
        return results
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
