"""`generate_cohort`: its argument checks and the seeded simulation."""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import numpy.typing as npt
import pandas as pd

from painmind.core.synth.params import (
    B_STD,
    DEFAULT_VARIABLES,
    MAX_RADIUS,
    RESID_CORR,
    RESID_LOG_SD,
    SLEEP_HOURS,
    SPEC,
    WEEKDAY,
)
from painmind.core.synth.truth import CohortTruth, SynthCohort
from painmind.core.timeutil import local_to_utc_seconds

__all__ = ["generate_cohort"]

FloatArray = npt.NDArray[np.float64]


def _frozen(a: FloatArray) -> FloatArray:
    a = np.array(a, dtype=np.float64)
    a.flags.writeable = False
    return a


def _require(ok: bool, message: str) -> None:
    if not ok:
        raise ValueError(message)


def _int(name: str, value: object, lo: int, hi: int | None = None) -> int:
    ok = isinstance(value, numbers.Integral) and not isinstance(value, bool)
    number = int(value) if isinstance(value, numbers.Integral) and ok else None
    if number is None or number < lo or (hi is not None and number > hi):
        bounds = f"[{lo}, {hi}]" if hi is not None else f">= {lo}"
        raise ValueError(f"{name} must be an integer {bounds}, got {value!r}")
    return number


def _real(name: str, value: object, hi: float = np.inf) -> float:
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool)
    number = float(value) if isinstance(value, numbers.Real) and ok else np.nan
    if not 0.0 <= number < hi:
        raise ValueError(f"{name} must be a finite number in [0, {hi}), got {value!r}")
    return number


def generate_cohort(
    n_patients: int,
    n_days: int,
    *,
    variables: Sequence[str] = DEFAULT_VARIABLES,
    prompts_per_day: int = 1,
    missing_day_rate: float = 0.1,
    missing_prompt_rate: float = 0.0,
    missing_value_rate: float = 0.0,
    weekday_amplitude: float = 0.2,
    coef_sd: float = 0.08,
    realistic: bool = True,
    start: date = date(2026, 1, 5),
    tz: str = "Europe/London",
    id_prefix: str = "p",
    burn_in: int = 50,
    rng: np.random.Generator | int | None = None,
) -> SynthCohort:
    """Simulate a cohort of daily diaries (or EMA) with known lag-1 VAR dynamics.

    Parameters
    ----------
    n_patients, n_days : int
        At least 1.  Patient ids are ``f"{id_prefix}{i:05d}"``, i = 0..n-1 (wider
        zero padding beyond 100,000 patients keeps them sortable).
    variables : sequence of str
        Non-empty, duplicate-free subset of :data:`DEFAULT_VARIABLES`, any order;
        sets the column order and the order of every truth axis.
    prompts_per_day : int
        k in 1..24.  k = 1: one evening prompt at 20:00 local (normal jitter,
        SD 30 min, clipped to +-90 min).  k > 1: equal slots over 08:00-22:00
        local, each jittered uniformly by up to 40% of a slot (max 45 min).
    missing_day_rate : float in [0, 1)
        Each patient-day is dropped whole with this probability.
    missing_prompt_rate : float in [0, 1)
        Each remaining prompt is then dropped with this probability (at k = 1
        this is simply extra day-level missingness).
    missing_value_rate : float in [0, 1)
        Each emitted value other than pain and mood is set to NaN independently.
    weekday_amplitude : float >= 0
        Peak weekday effect in standardized units; 0 switches it off.
    coef_sd : float >= 0
        SD of the per-entry person deviation B_i - B (standardized units).  A
        B_i whose spectral radius exceeds 0.9 is rescaled to radius 0.9 (not
        redrawn); the truth holds the rescaled matrix.
    realistic : bool
        True: variables rounded to integers and clipped to [0, 10] (activity to
        [0, 1440]), sleep_hours rounded to 0.25 h in [0, 24].  False: the
        continuous, unclipped latent values.
    start : datetime.date
        Local date of day 1.
    tz : str
        IANA zone; local prompt times are converted to UTC with ``zoneinfo``.
    burn_in : int >= 0
        Unrecorded prompts simulated first so the series starts near stationarity.
    rng : numpy.random.Generator, int or None
        Random source or seed.

    Returns
    -------
    SynthCohort
        ``data`` has at most ``n_patients * n_days * prompts_per_day`` rows.
        ``sleep_hours`` (per row) = person mean N(7, 0.8) h clipped to [4, 10]
        + 0.45 h per standardized unit of that row's latent sleep_quality
        deviation + N(0, 0.6) h noise; outside the dynamics and the truth.

    Examples
    --------
    >>> cohort = generate_cohort(3, 14, rng=0)
    >>> list(cohort.data.columns[:5])
    ['patient_id', 'recorded_at', 'local_date', 'beep', 'pain']
    >>> cohort.truth.coef.shape
    (3, 7, 7)
    >>> cohort.truth.edge("pain", "mood").shape  # pain(t-1) -> mood(t), per patient
    (3,)
    """
    n = _int("n_patients", n_patients, 1)
    n_days = _int("n_days", n_days, 1)
    kp = _int("prompts_per_day", prompts_per_day, 1, 24)
    burn_in = _int("burn_in", burn_in, 0)
    p_day = _real("missing_day_rate", missing_day_rate, 1.0)
    p_prompt = _real("missing_prompt_rate", missing_prompt_rate, 1.0)
    p_value = _real("missing_value_rate", missing_value_rate, 1.0)
    amplitude = _real("weekday_amplitude", weekday_amplitude)
    coef_sd = _real("coef_sd", coef_sd)
    _require(
        isinstance(variables, Sequence) and not isinstance(variables, str),
        f"variables must be a sequence of names, got {variables!r}",
    )
    names = tuple(variables)
    unknown = [v for v in names if v not in SPEC]
    _require(
        bool(names) and not unknown,
        f"variables must be a non-empty subset of {DEFAULT_VARIABLES}; unknown: {unknown}",
    )
    _require(len(set(names)) == len(names), f"variables has duplicates: {names}")
    _require(
        isinstance(start, date) and not isinstance(start, datetime),
        f"start must be a datetime.date, got {start!r}",
    )
    _require(isinstance(id_prefix, str), f"id_prefix must be a str, got {id_prefix!r}")
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValueError(f"tz must be an IANA time zone name, got {tz!r}") from None
    gen = np.random.default_rng(rng)

    idx = [DEFAULT_VARIABLES.index(v) for v in names]
    k = len(names)
    vmax, cmean, bsd, scale, lo, hi = (np.array([SPEC[v][c] for v in names]) for c in range(6))
    b_mean = B_STD[np.ix_(idx, idx)]
    corr = RESID_CORR[np.ix_(idx, idx)]
    b = b_mean + coef_sd * gen.standard_normal((n, k, k))
    radius = np.abs(np.linalg.eigvals(b)).max(axis=-1)
    b *= np.minimum(1.0, MAX_RADIUS / np.maximum(radius, 1e-12))[:, None, None]
    mu = np.clip(cmean + bsd * gen.standard_normal((n, k)), lo, hi)
    resid = np.exp(RESID_LOG_SD * gen.standard_normal((n, k)))  # standardized
    hours_mu = np.clip(SLEEP_HOURS[0] + SLEEP_HOURS[1] * gen.standard_normal(n), 4, 10)
    weekday = np.asarray(WEEKDAY[:, idx] * amplitude * scale, dtype=np.float64)
    sq = names.index("sleep_quality") if "sleep_quality" in names else None
    columns = names + (("sleep_hours",) if sq is not None else ())

    n_steps = n_days * kp
    drop = gen.random((n, n_days, 1)) < p_day
    keep = ~(drop | (gen.random((n, n_days, kp)) < p_prompt)).reshape(n, n_steps)
    # Rows are patient-major, so each simulated step is scattered straight into
    # its final output row; dropped prompts go to a scratch column 0 instead of
    # being masked out, which is cheaper than boolean selection every step.
    row = np.where(keep, np.cumsum(keep).reshape(n, n_steps), 0).T.copy()
    out = np.empty((len(columns), int(keep.sum()) + 1))
    chol_t = np.linalg.cholesky(corr).T
    level = mu + weekday[:, None, :]  # (7, n, k): mu_i + w for each weekday
    weekday_of_step = (start.weekday() + np.arange(n_steps) // kp) % 7
    z = np.zeros((n, k))  # deviation from mu_i + w(t), standardized units
    for s in range(-burn_in, n_steps):
        shock = (gen.standard_normal((n, k)) @ chol_t) * resid
        z = (b @ z[:, :, None])[:, :, 0] + shock
        if s >= 0:
            raw = z * scale
            raw += level[weekday_of_step[s]]
            out[:k, row[s]] = raw.T
            if sq is not None:
                hours = SLEEP_HOURS[3] * gen.standard_normal(n)
                hours += hours_mu + SLEEP_HOURS[2] * z[:, sq]
                out[k, row[s]] = hours
    vals = out[:, 1:]

    if kp == 1:
        jitter = np.clip(1800.0 * gen.standard_normal((n, n_days, 1)), -5400, 5400)
        sec = 72_000.0 + jitter
    else:
        slot = 50_400.0 / kp
        jitter = gen.uniform(-1.0, 1.0, (n, n_days, kp)) * min(0.4 * slot, 2700.0)
        sec = 28_800.0 + (np.arange(kp) + 0.5) * slot + jitter
    utc = local_to_utc_seconds(sec, start, zone).reshape(n, n_steps)[keep]
    pid, step = np.nonzero(keep)
    if realistic:
        np.clip(np.rint(vals[:k], out=vals[:k]), 0.0, vmax[:, None], out=vals[:k])
        if sq is not None:
            vals[k] = np.clip(np.rint(vals[k] * 4.0) / 4.0, 0.0, 24.0)
    if p_value > 0.0:
        for j, name in enumerate(columns):
            if name not in ("pain", "mood"):
                vals[j, gen.random(vals.shape[1]) < p_value] = np.nan

    width = max(5, len(str(n - 1)))
    ids = np.array([f"{id_prefix}{i:0{width}d}" for i in range(n)], dtype=object)
    day_us = 86_400_000_000 * ((start - date(1970, 1, 1)).days + np.arange(n_days))
    data = pd.DataFrame(vals.T, columns=list(columns), copy=False)
    data.insert(0, "beep", (step % kp + 1).astype(np.int64))
    data.insert(0, "local_date", day_us[step // kp].view("datetime64[us]"))
    recorded = pd.Series((utc * 1_000_000).view("datetime64[us]"), copy=False)
    data.insert(0, "recorded_at", recorded.dt.tz_localize("UTC"))
    data.insert(0, "patient_id", pd.Series(ids[pid], dtype="str", copy=False))

    ratio = scale[:, None] / scale[None, :]  # B_raw = D B_std D^-1, elementwise
    truth = CohortTruth(
        variables=names,
        coef_mean=_frozen(b_mean * ratio),
        coef=_frozen(b * ratio),
        coef_mean_std=_frozen(b_mean),
        coef_std=_frozen(b),
        person_means=_frozen(mu),
        residual_sd=_frozen(resid * scale),
        weekday_effect=_frozen(weekday),
        patient_ids=tuple(ids.tolist()),
        residual_corr=_frozen(corr),
    )
    return SynthCohort(data=data, truth=truth)
