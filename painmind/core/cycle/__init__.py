"""The cycle analysis: lag pairs, batched per-patient VAR(1) fits, "what helps me", results.

Import from here; the modules are the implementation.  Per patient, each variable at t is
regressed on all variables at t-1 (pairs never cross a night, a gap, a skipped prompt or a
patient), with standard errors, p- and q-values and the pain-mood cycle gain.

>>> import numpy as np
>>> panel = pairs_from_dense(np.random.default_rng(0).normal(size=(2, 60, 2)), patient_ids=["a", "b"],
...                          variables=["pain", "mood"])
>>> fit_patients(panel).gain.shape
(2,)
"""

from painmind.core.cycle.cohort import CohortFit, PooledEstimate, pool_cohort, pool_random_effects, shrink
from painmind.core.cycle.engine import analyze
from painmind.core.cycle.helps import Finding, what_helps
from painmind.core.cycle.kernel import PatientFits, concat_fits, fit_patients
from painmind.core.cycle.lags import DEFAULT_VARIABLES, CycleInputError, Panel, build_pairs, pairs_from_dense
from painmind.core.cycle.result import CycleResult

__all__ = [
    "DEFAULT_VARIABLES",
    "CohortFit",
    "CycleInputError",
    "CycleResult",
    "Finding",
    "Panel",
    "PatientFits",
    "PooledEstimate",
    "analyze",
    "build_pairs",
    "concat_fits",
    "fit_patients",
    "pairs_from_dense",
    "pool_cohort",
    "pool_random_effects",
    "shrink",
    "what_helps",
]
