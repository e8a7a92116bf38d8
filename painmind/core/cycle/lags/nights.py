"""Day-level variables in experience sampling: their own equation runs across the night.

A day-level variable has one value per day, repeated on every prompt (morning sleep quality).
Within-day pairs (mlVAR ``dayvar``/``beepvar``: beep b-1 -> b of one day) hold it unchanged, so
as an outcome it would be "predicted" exactly and make the person not estimable.  It enters
instead as analytics-reference §1 item 2 asks, through an explicit cross-night equation: its
value on day d+1 (first observed prompt) on every variable at the last observed prompt of day d,
for consecutive days only.  As a predictor it stays in the within-day equations (the day's
value at prompt b-1 with the other variables at prompt b: last night's sleep with today's mood).

:func:`fit_with_day_level` fits both and files the day-level rows of the cross-night fit into
the within-day result; q-values are recomputed across the merged k x k coefficients.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from painmind.core.cycle.kernel import bh_qvalues, fit_patients
from painmind.core.cycle.kernel.diagnostics import spectral_radius
from painmind.core.cycle.kernel.statuses import flags_of
from painmind.core.cycle.lags.frame import build_pairs
from painmind.core.cycle.result import CycleInputError, Panel, PatientFits
from painmind.core.cycle.result.panel import Pairs, frozen

__all__ = ["cross_night_pairs", "day_level", "fit_with_day_level"]

_ROW_FIELDS = ("coef", "se", "t", "p", "ci_low", "ci_high", "std_coef")


def day_level(data: pd.DataFrame, *, id_col: str, day_col: str, variables: Sequence[str]) -> tuple[str, ...]:
    """The variables with one value per person-day: constant within every day, observed twice on some day."""
    keys = [data[id_col].astype(str), data[day_col]]
    out = []
    for v in variables:
        col = pd.to_numeric(data[v], errors="coerce")
        grouped = col.groupby(keys)
        if (grouped.nunique() <= 1).all() and (grouped.count() >= 2).any():
            out.append(v)
    return tuple(out)


def cross_night_pairs(data: pd.DataFrame, *, id_col: str, day_col: str, beep_col: str, **kw: Any) -> Panel:
    """Pairs (last observed prompt of day d -> first observed prompt of day d+1), consecutive days only.

    `kw` goes to :func:`build_pairs` (``variables``, ``day_format``).  Each night becomes a "day"
    with two prompts: the evening before (prompt 0) and the morning after (prompt 1).
    """
    variables = list(kw.pop("variables"))
    probe = build_pairs(data, id_col=id_col, variables=variables, day_col=day_col, beep_col=beep_col, **kw)
    del probe  # validates the columns, days and prompts with build_pairs' own messages
    frame = data[[id_col, day_col, beep_col, *variables]].copy()
    frame = frame[frame[variables].apply(pd.to_numeric, errors="coerce").notna().any(axis=1)]
    if pd.api.types.is_numeric_dtype(frame[day_col].dtype):
        day = frame[day_col].astype("int64")
    else:
        day = pd.to_datetime(frame[day_col], format=kw.get("day_format") or "ISO8601").map(pd.Timestamp.toordinal)
    frame = frame.assign(_day=day.to_numpy(), _id=frame[id_col].astype(str)).sort_values(["_id", "_day", beep_col])
    group = frame.groupby(["_id", "_day"], sort=False)
    evening = frame.loc[group[beep_col].idxmax()].assign(_night=lambda f: f["_day"], _slot=0)
    morning = frame.loc[group[beep_col].idxmin()].assign(_night=lambda f: f["_day"] - 1, _slot=1)
    nights = pd.concat([evening, morning], ignore_index=True)
    return build_pairs(nights, id_col="_id", variables=variables, day_col="_night", beep_col="_slot")


def _filled(panel: Panel, cols: list[int]) -> Panel:
    """`panel` with the outcome side of `cols` replaced by fixed pseudo-random numbers.

    The within-day fit only needs the other variables' equations; a day-level outcome would be
    an exact fit there and void the person.  Equations are separate OLS fits on shared
    regressors, so the other equations do not change; the filled rows are overwritten after.
    """
    y = np.array(panel.y)
    y[:, cols] = np.random.default_rng(0).standard_normal((len(y), len(cols)))
    pairs = Pairs(frozen(y), panel.x, panel.time, panel.patient, panel._arrays().slot)
    return dataclasses.replace(panel, _pairs=pairs, _held=None, _grid=None, _cache={})


def fit_with_day_level(
    data: pd.DataFrame, *, id_col: str, day_col: str, beep_col: str, variables: Sequence[str],
    day_format: str | None = None, **fit_kw: Any,
) -> PatientFits:  # fmt: skip
    """Within-day VAR(1) with the day-level variables' own equations across the night.

    ``fit_kw`` goes to :func:`fit_patients` (``trend``, ``min_pairs``, ``n_threads``).  Rows
    ``[:, D, :]`` of a day-level variable D come from the cross-night fit, with its own pairs
    and df; every other row from the within-day fit, whose status, pairs and df the result
    keeps.  When a person's cross-night equation cannot be fitted (too few consecutive days),
    D's row is NaN and the message says so; the rest of the person's network stands.
    """
    names = tuple(variables)
    daily = day_level(data, id_col=id_col, day_col=day_col, variables=names)
    within = build_pairs(
        data, id_col=id_col, variables=names, day_col=day_col, beep_col=beep_col, day_format=day_format
    )
    if not daily:
        return fit_patients(within, **fit_kw)
    cols = [names.index(v) for v in daily]
    fits = fit_patients(_filled(within, cols), **fit_kw)
    night = fit_patients(
        cross_night_pairs(data, id_col=id_col, day_col=day_col, beep_col=beep_col, variables=names,
                          day_format=day_format),
        **fit_kw,
    )  # fmt: skip
    if night.patient_ids != fits.patient_ids:
        raise CycleInputError("day-level variables: the cross-night pairs lost a person")  # not reachable
    merged: dict[str, Any] = {}
    for name in _ROW_FIELDS:
        arr = np.array(getattr(fits, name))
        arr[:, cols, :] = getattr(night, name)[:, cols, :]
        merged[name] = arr
    for name in ("intercept", "trend"):
        if getattr(fits, name) is not None:
            arr = np.array(getattr(fits, name))
            arr[:, cols] = getattr(night, name)[:, cols]
            merged[name] = arr
    resid = np.array(fits.resid_corr)
    resid[:, cols, :], resid[:, :, cols] = night.resid_corr[:, cols, :], night.resid_corr[:, :, cols]
    merged["resid_corr"] = resid
    n, k = len(fits.patient_ids), len(names)
    merged["q"] = bh_qvalues(merged["p"].reshape(n, k * k)).reshape(n, k, k)
    # Diagnostics of the merged network: the within-day fit's rows of a day-level variable were a
    # placeholder; its residuals have no within-day neighbours (one cross-night pair per night).
    lb_q, lb_p = np.array(fits.lb_q), np.array(fits.lb_p)
    lb_q[:, cols], lb_p[:, cols] = np.nan, np.nan
    radius = np.full(n, np.nan)
    done = fits.ok & night.ok
    radius[done] = spectral_radius(merged["coef"][done])
    unstable, autocorr, flag_words = flags_of(names, radius, lb_p, done)
    merged |= {"lb_q": lb_q, "lb_p": lb_p, "spectral_radius": radius, "non_stationary": unstable,
               "residual_autocorrelation": autocorr}  # fmt: skip
    message = [
        flag_words.get(i, "") if ok else text for i, (ok, text) in enumerate(zip(fits.ok, fits.message, strict=True))
    ]
    for i in np.flatnonzero(fits.ok & ~night.ok):
        message[i] = f"{', '.join(daily)} across the night: {night.message[i]}"
    merged["message"] = tuple(message)
    for arr in merged.values():
        if isinstance(arr, np.ndarray):
            if arr.dtype.kind == "f":
                arr[~fits.ok] = np.nan
            arr.flags.writeable = False
    return dataclasses.replace(fits, **merged)
