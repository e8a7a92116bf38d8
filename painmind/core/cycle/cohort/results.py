"""The results of cohort pooling: one edge (`PooledEstimate`) and every edge (`CohortFit`)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["CohortFit", "PooledEstimate"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class PooledEstimate:
    """Random-effects summary of one edge; all NaN (``n`` kept) when ``n < 2``.

    ``df`` is that of the reference distribution: ``n - 1`` with Hartung-Knapp, ``inf`` for
    the normal interval.
    """

    estimate: float
    se: float
    p: float
    ci_low: float
    ci_high: float
    tau2: float
    tau: float
    n: int
    method: str
    df: float


@dataclass(frozen=True, eq=False)
class CohortFit:
    """Per-edge cohort estimates; every array is read-only and indexed ``[to, from]``.

    Attributes
    ----------
    variables : tuple of str, length k
    n_patients : int
        Patients with ``ok`` that contributed to at least one edge.
    estimate, se, p, ci_low, ci_high, tau, tau2 : ndarray of float64, shape (k, k)
        NaN where fewer than 2 patients contributed.
    n : ndarray of int64, shape (k, k)
        Patients per edge.
    shrunk : ndarray of float64, shape (n_all, k, k)
        Empirical-Bayes estimates (see :func:`shrink`); NaN where the patient is not ok,
        the entry was excluded, or the edge could not be pooled.
    shrunk_se : ndarray of float64, shape (n_all, k, k)
        Their prediction-error SDs, ``sqrt(tau2 s2 / (tau2 + s2) + (s2 / (tau2 + s2))**2 Var(mu))``
        with ``Var(mu) = 1 / sum(w)`` (Raudenbush & Bryk 2002); NaN where ``shrunk`` is.
    bias_corrected : bool
        Whether the per-patient estimates were bias-corrected before pooling (:func:`pool_fits`).
    method : str
        Human-readable description of estimator and interval.
    """

    variables: tuple[str, ...]
    n_patients: int
    estimate: FloatArray
    se: FloatArray
    p: FloatArray
    ci_low: FloatArray
    ci_high: FloatArray
    tau: FloatArray
    tau2: FloatArray
    n: NDArray[np.int64]
    shrunk: FloatArray
    shrunk_se: FloatArray
    method: str
    bias_corrected: bool = False

    def to_json(self) -> dict[str, object]:
        """JSON-ready dict; ``edges`` runs over ``to`` then ``from`` in ``variables`` order; NaN becomes None."""
        keys = ("estimate", "se", "p", "ci_low", "ci_high", "tau")
        edges = [
            {"from": src, "to": to, **{f: _num(getattr(self, f)[i, j]) for f in keys}, "n_patients": int(self.n[i, j])}
            for i, to in enumerate(self.variables)
            for j, src in enumerate(self.variables)
        ]
        return {"n_patients": self.n_patients, "method": self.method, "bias_corrected": self.bias_corrected,
                "edges": edges}  # fmt: skip


def _num(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None
