"""What a synthetic cohort holds: the data (`SynthCohort`) and the ground truth used (`CohortTruth`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = ["CohortTruth", "SynthCohort"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class CohortTruth:
    """Ground truth actually used to simulate a :class:`SynthCohort`.

    ``k = len(variables)``; coefficient matrices are indexed ``[to, from]``.
    Arrays are read-only.  ``coef_mean`` is the population mean, not the sample
    mean of ``coef`` (that differs by sampling noise and any stability shrink).

    Attributes
    ----------
    variables : tuple of str
    coef_mean, coef_mean_std : ndarray, shape (k, k)
        Cohort-mean B in raw and standardized units.
    coef, coef_std : ndarray, shape (n_patients, k, k)
        Per-patient B_i in raw and standardized units; spectral radius <= 0.9.
    person_means : ndarray, shape (n_patients, k)
        mu_i, raw units (weekly average, excluding the weekday effect).
    residual_sd : ndarray, shape (n_patients, k)
        Per-patient innovation SD, raw units.
    weekday_effect : ndarray, shape (7, k)
        w added on each weekday (Monday = row 0), raw units, shared by everyone.
    patient_ids : tuple of str
    residual_corr : ndarray, shape (k, k)
        Innovation correlation matrix R, shared by everyone.
    """

    variables: tuple[str, ...]
    coef_mean: FloatArray
    coef: FloatArray
    coef_mean_std: FloatArray
    coef_std: FloatArray
    person_means: FloatArray
    residual_sd: FloatArray
    weekday_effect: FloatArray
    patient_ids: tuple[str, ...]
    residual_corr: FloatArray

    def _index(self, name: str, arg: str) -> int:
        if name not in self.variables:
            raise ValueError(f"{arg}={name!r} is not one of {self.variables}")
        return self.variables.index(name)

    def edge(self, source: str, target: str) -> FloatArray:
        """Per-patient raw-unit coefficient of ``source`` (t-1) on ``target`` (t).

        Returns an array of shape (n_patients,); ValueError for unknown names.
        """
        return self.coef[:, self._index(target, "target"), self._index(source, "source")]

    def cycle_gain(self) -> FloatArray:
        """Per-patient ``(pain->mood) * (mood->pain)``, shape (n_patients,).

        Unit-free (the raw scales cancel); positive means a self-reinforcing
        pain-mood loop.  ValueError if pain or mood was not simulated.
        """
        if "pain" not in self.variables or "mood" not in self.variables:
            raise ValueError("cycle_gain needs both 'pain' and 'mood' in variables")
        return self.edge("pain", "mood") * self.edge("mood", "pain")


@dataclass(frozen=True, eq=False)
class SynthCohort:
    """Simulated observations plus the truth that generated them.

    ``data`` is long format, one row per emitted observation, sorted by
    ``patient_id`` then ``recorded_at``, with a RangeIndex.  Columns:
    ``patient_id`` (str), ``recorded_at`` (datetime64[us, UTC]), ``local_date``
    (naive datetime64[us], local midnight in ``tz``), ``beep`` (int64, the
    scheduled prompt number 1..prompts_per_day), the variables in the order
    requested (float64; NaN only via ``missing_value_rate``, never pain/mood),
    then ``sleep_hours`` (float64) if ``sleep_quality`` was simulated.
    """

    data: pd.DataFrame
    truth: CohortTruth
