"""The pooling functions: one set of estimates, empirical-Bayes shrinkage, and every edge of a cohort."""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from painmind.core.cycle.cohort.bias import corrected_var
from painmind.core.cycle.cohort.estimators import pool_columns
from painmind.core.cycle.cohort.results import CohortFit, PooledEstimate
from painmind.core.cycle.result import PatientFits

__all__ = ["pool_cohort", "pool_fits", "pool_fits_by_group", "pool_random_effects", "shrink"]

FloatArray = NDArray[np.float64]
_TINY = np.finfo(np.float64).tiny  # variances below this overflow 1 / v


def _describe(method: str, hartung_knapp: bool, level: float) -> str:
    tau = "REML" if method == "reml" else "DerSimonian-Laird"
    ci = "Hartung-Knapp-Sidik-Jonkman CI (t, n-1 df)" if hartung_knapp else "Wald CI (normal)"
    return f"{tau} random effects; {level:.4g} {ci}"


def _check_options(method: object, hartung_knapp: object, level: object) -> float:
    if method not in ("reml", "dl"):
        raise ValueError(f"method must be 'reml' or 'dl', got {method!r}")
    if not isinstance(hartung_knapp, bool):
        raise ValueError(f"hartung_knapp must be a bool, got {hartung_knapp!r}")
    if isinstance(level, bool) or not isinstance(level, numbers.Real) or not 0.0 < float(level) < 1.0:
        raise ValueError(f"level must be a number in (0, 1), got {level!r}")
    return float(level)


def _valid(estimates: FloatArray, variances: FloatArray) -> NDArray[np.bool_]:
    return np.isfinite(estimates) & np.isfinite(variances) & (variances >= _TINY)


def _pairs(estimates: ArrayLike, variances: ArrayLike) -> tuple[FloatArray, FloatArray]:
    b, v = np.asarray(estimates, dtype=np.float64), np.asarray(variances, dtype=np.float64)
    if b.ndim != 1 or b.shape != v.shape:
        raise ValueError(f"estimates and variances must be 1-D of equal length, got {b.shape} and {v.shape}")
    return b, v


def pool_random_effects(
    estimates: ArrayLike,
    variances: ArrayLike,
    *,
    method: Literal["reml", "dl"] = "reml",
    hartung_knapp: bool = True,
    level: float = 0.95,
) -> PooledEstimate:
    """Random-effects meta-analysis of one set of estimates.

    Parameters
    ----------
    estimates, variances : array_like, shape (n,)
        Per-patient estimates ``b_i`` and their sampling variances ``s_i**2`` (not SEs).
        Pairs with a non-finite value or a variance <= 0 are left out.
    method : {"reml", "dl"}
        Estimator of ``tau**2``: restricted maximum likelihood or DerSimonian-Laird.
    hartung_knapp : bool
        Hartung-Knapp-Sidik-Jonkman SE with t(n-1) quantiles (unmodified; see the docstring of
        :mod:`painmind.core.cycle.cohort`); False gives the Wald SE with normal quantiles.
    level : float in (0, 1)
        Confidence level of ``ci_low``/``ci_high``.

    Returns
    -------
    PooledEstimate
        ``p`` is two-sided for ``mu = 0``.  Fewer than 2 usable pairs give NaN fields
        (``n`` still counts them); this never raises.

    Examples
    --------
    >>> res = pool_random_effects([0.0, 2.0, 4.0], [1.0, 1.0, 1.0])
    >>> res.estimate, round(res.tau2, 6), round(res.se, 4), res.df
    (2.0, 3.0, 1.1547, 2.0)
    """
    level = _check_options(method, hartung_knapp, level)
    b, v = _pairs(estimates, variances)
    res, n = pool_columns(b[:, None], v[:, None], _valid(b, v)[:, None], method=method,
                           hartung_knapp=hartung_knapp, level=level)  # fmt: skip
    fields = {key: float(value[0]) for key, value in res.items()}
    return PooledEstimate(tau=math.sqrt(fields["tau2"]), n=int(n[0]), method=_describe(method, hartung_knapp, level),
                          **fields)  # fmt: skip


def shrink(estimates: ArrayLike, variances: ArrayLike, pooled: PooledEstimate) -> FloatArray:
    """Empirical-Bayes (BLUP) per-patient estimates ``mu + tau2 / (tau2 + s_i**2) * (b_i - mu)``.

    Parameters
    ----------
    estimates, variances : array_like, shape (n,)
        As for :func:`pool_random_effects`.
    pooled : PooledEstimate
        Usually ``pool_random_effects(estimates, variances)``.

    Returns
    -------
    ndarray of float64, shape (n,)
        NaN for excluded pairs and everywhere if ``pooled`` is NaN; all ``mu`` if tau2 = 0.

    Examples
    --------
    >>> b, v = [0.0, 2.0, 4.0], [1.0, 1.0, 1.0]
    >>> shrink(b, v, pool_random_effects(b, v)).round(6).tolist()  # tau2 = 3: 3/4 of the way to b_i
    [0.5, 2.0, 3.5]
    """
    b, v = _pairs(estimates, variances)
    mu, tau2 = pooled.estimate, pooled.tau2
    with np.errstate(invalid="ignore", divide="ignore"):  # excluded pairs (s_i = 0) are masked below
        out: FloatArray = np.where(_valid(b, v), mu + tau2 / (tau2 + v) * (b - mu), np.nan)
    return out


def pool_cohort(
    coef: ArrayLike,
    se: ArrayLike,
    ok: ArrayLike,
    variables: Sequence[str],
    *,
    method: Literal["reml", "dl"] = "reml",
    hartung_knapp: bool = True,
    level: float = 0.95,
) -> CohortFit:
    """Pool per-patient lag coefficients edge by edge (all edges at once).

    Parameters
    ----------
    coef, se : array_like of float, shape (n, k, k)
        Per-patient coefficients and their standard errors, indexed ``[patient, to, from]``.
    ok : array_like of bool, shape (n,)
        Patients whose fit may be used.  Within those, an entry enters its edge only if
        coef and se are finite and se > 0.
    variables : sequence of str, length k
    method, hartung_knapp, level
        As for :func:`pool_random_effects`.

    Returns
    -------
    CohortFit
        Edges with fewer than 2 patients are NaN (None in JSON); this never raises.

    Examples
    --------
    >>> coef = np.array([[[0.0]], [[2.0]], [[4.0]]])
    >>> fit = pool_cohort(coef, np.ones_like(coef), np.array([True, True, False]), ["pain"])
    >>> fit.n[0, 0], fit.estimate[0, 0], fit.shrunk.shape
    (np.int64(2), np.float64(1.0), (3, 1, 1))
    """
    level = _check_options(method, hartung_knapp, level)
    b = np.asarray(coef, dtype=np.float64)
    s = np.asarray(se, dtype=np.float64)
    good = np.asarray(ok)
    if b.ndim != 3 or b.shape[1] != b.shape[2] or s.shape != b.shape:
        raise ValueError(f"coef and se must both have shape (n, k, k), got {b.shape} and {s.shape}")
    n_all, k = b.shape[0], b.shape[1]
    if good.dtype != np.bool_ or good.shape != (n_all,):
        raise ValueError(f"ok must be a bool array of shape ({n_all},), got {good.dtype} {good.shape}")
    names = tuple(variables) if not isinstance(variables, str) else ()
    if len(names) != k or len(set(names)) != k or not all(isinstance(x, str) for x in names):
        raise ValueError(f"variables must be {k} distinct names, got {variables!r}")

    y = b.reshape(n_all, k * k)
    with np.errstate(over="ignore"):  # a huge SE squares to inf and is then left out
        v = s.reshape(n_all, k * k) ** 2
    valid = _valid(y, v) & (s.reshape(n_all, k * k) > 0.0) & good[:, None]
    res, n = pool_columns(y, v, valid, method=method, hartung_knapp=hartung_knapp, level=level)
    with np.errstate(invalid="ignore", divide="ignore"):  # excluded entries (s = 0) are masked here
        keep = res["tau2"] / (res["tau2"] + v)
        shrunk = np.where(valid, res["estimate"] + keep * (y - res["estimate"]), np.nan)
        # Prediction-error variance of the BLUP, mu estimated (Raudenbush & Bryk 2002, eq. 3.62):
        # tau2 s2 / (tau2 + s2) + (s2 / (tau2 + s2))**2 Var(mu), Var(mu) = 1 / sum(w) (model-based).
        var_mu = 1.0 / np.where(valid, 1.0 / (v + res["tau2"]), 0.0).sum(0)
        shrunk_se = np.where(valid, np.sqrt(keep * v + (1.0 - keep) ** 2 * var_mu), np.nan)

    def grid(a: FloatArray) -> FloatArray:
        out = np.array(a.reshape((*a.shape[:-1], k, k)), dtype=np.float64)
        out.flags.writeable = False
        return out

    counts = n.reshape(k, k)
    counts.flags.writeable = False
    arrays: dict[str, Any] = {key: grid(res[key]) for key in ("estimate", "se", "p", "ci_low", "ci_high", "tau2")}
    return CohortFit(variables=names, n_patients=int(valid.any(1).sum()), tau=grid(np.sqrt(res["tau2"])), n=counts,
                     shrunk=grid(shrunk), shrunk_se=grid(shrunk_se), method=_describe(method, hartung_knapp, level),
                     **arrays)  # fmt: skip


def pool_fits(
    fits: PatientFits,
    *,
    bias_correction: bool = True,
    method: Literal["reml", "dl"] = "reml",
    hartung_knapp: bool = True,
    level: float = 0.95,
) -> CohortFit:
    """Pool the fits of :func:`fit_patients` over the ``ok`` patients, bias-corrected first.

    With `bias_correction` (the default), each patient's lag matrix is corrected for its
    small-sample bias before pooling (Nicholls & Pope 1988, iterated, with Kilian's 1998
    stationarity adjustment; :mod:`painmind.core.cycle.cohort.bias`), its sampling variance is
    taken at the cohort-mean dynamics (so that weights do not follow the noise in the patient's
    own estimate), and the shrunken per-patient estimates are shrunk from the corrected values.  Without it this is
    :func:`pool_cohort` on the OLS estimates.

    Examples
    --------
    >>> from painmind.core.cycle import fit_patients, pairs_from_dense
    >>> rng = np.random.default_rng(0)
    >>> panel = pairs_from_dense(rng.normal(size=(4, 60, 2)), patient_ids=list("abcd"), variables=["pain", "mood"])
    >>> fit = pool_fits(fit_patients(panel))
    >>> fit.bias_corrected, fit.shrunk.shape
    (True, (4, 2, 2))
    """
    coef, se = fits.coef, fits.se
    if bias_correction:
        coef, se = corrected_var(coef, se, fits.resid_corr, n_pairs=fits.n_pairs.astype(np.float64), df=fits.df,
                                 ok=fits.ok, trend=fits.trend is not None)  # fmt: skip
    fit = pool_cohort(coef, se, fits.ok, fits.variables, method=method, hartung_knapp=hartung_knapp, level=level)
    if not bias_correction:
        return fit
    return replace(fit, bias_corrected=True, method=fit.method + "; per-patient bias correction (Nicholls-Pope 1988)")


def pool_fits_by_group(
    fits: PatientFits,
    groups: ArrayLike,
    *,
    bias_correction: bool = True,
    method: Literal["reml", "dl"] = "reml",
    hartung_knapp: bool = True,
    level: float = 0.95,
) -> dict[str, FloatArray]:
    """:func:`pool_fits` of each group of patients as its own cohort, all groups at once.

    ``groups`` gives each patient's group, ``0 .. g - 1``.  Returns arrays of shape (g, k, k) by
    name: ``estimate``, ``se``, ``p``, ``ci_low``, ``ci_high``, ``tau2`` and ``n`` (as float); each
    group's values are those of ``pool_fits`` on that group's patients alone (the bias correction is
    per patient, the SEs at the group's mean dynamics, every edge of every group pooled by one
    :func:`pool_columns`).  For simulation studies of many cohorts (``cohort/simulate.py``).
    """
    level = _check_options(method, hartung_knapp, level)
    group = np.asarray(groups)
    n_all, k = fits.coef.shape[0], fits.coef.shape[1]
    if group.shape != (n_all,) or not np.issubdtype(group.dtype, np.integer) or (n_all and group.min() < 0):
        raise ValueError(f"groups must be {n_all} non-negative integers")
    coef, se = fits.coef, fits.se
    if bias_correction:
        coef, se = corrected_var(coef, se, fits.resid_corr, n_pairs=fits.n_pairs.astype(np.float64), df=fits.df,
                                 ok=fits.ok, trend=fits.trend is not None, groups=group)  # fmt: skip
    n_groups = int(group.max()) + 1 if n_all else 0
    order = np.argsort(group, kind="stable")
    counts = np.bincount(group, minlength=n_groups)
    place = np.arange(n_all) - np.repeat(np.cumsum(counts) - counts, counts)  # rank within the group
    size = int(counts.max()) if n_all else 0
    y, s = np.full((size, n_groups, k * k), np.nan), np.full((size, n_groups, k * k), np.nan)
    y[place, group[order]] = coef[order].reshape(-1, k * k)
    s[place, group[order]] = se[order].reshape(-1, k * k)
    good = np.zeros((size, n_groups), dtype=bool)
    good[place, group[order]] = fits.ok[order]
    y, s = y.reshape(size, -1), s.reshape(size, -1)
    with np.errstate(over="ignore", invalid="ignore"):
        v = s**2
    valid = _valid(y, v) & (s > 0.0) & np.repeat(good, k * k, axis=1)
    res, n = pool_columns(y, v, valid, method=method, hartung_knapp=hartung_knapp, level=level)
    out = {key: res[key].reshape(n_groups, k, k) for key in ("estimate", "se", "p", "ci_low", "ci_high", "tau2")}
    out["n"] = n.reshape(n_groups, k, k).astype(np.float64)
    return out
