"""The cycle analysis: lag pairs, batched per-patient VAR(1) fits, "what helps me", results.

Import from here; the modules are the implementation.  Per patient, each variable at t is
regressed on all variables at t-1 (pairs never cross a night, a gap, a skipped prompt or a
patient), with standard errors, p- and q-values and the pain-mood cycle gain.

The names are imported on first use (PEP 562), so that importing one part (the research CLI's
grid path: `research`, `daily`, `kernel`, `cohort`) does not import pandas for `analyze` and
`build_pairs` (about 1 s).

>>> import numpy as np
>>> from painmind.core.cycle import fit_patients, pairs_from_dense
>>> panel = pairs_from_dense(np.random.default_rng(0).normal(size=(2, 60, 2)), patient_ids=["a", "b"],
...                          variables=["pain", "mood"])
>>> fit_patients(panel).gain.shape
(2,)
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from painmind.core.cycle.cohort import CohortFit, PooledEstimate, pool_cohort, pool_random_effects, shrink
    from painmind.core.cycle.engine import analyze
    from painmind.core.cycle.helps import Finding, what_helps
    from painmind.core.cycle.kernel import PatientFits, concat_fits, fit_patients
    from painmind.core.cycle.lags import DEFAULT_VARIABLES, CycleInputError, Panel, build_pairs, pairs_from_dense
    from painmind.core.cycle.result import CycleResult

# name -> the module that defines it
_WHERE = {
    "CohortFit": "cohort", "PooledEstimate": "cohort", "pool_cohort": "cohort", "pool_random_effects": "cohort",
    "shrink": "cohort", "analyze": "engine", "Finding": "helps", "what_helps": "helps", "PatientFits": "kernel",
    "concat_fits": "kernel", "fit_patients": "kernel", "DEFAULT_VARIABLES": "lags", "CycleInputError": "lags",
    "Panel": "lags", "build_pairs": "lags", "pairs_from_dense": "lags", "CycleResult": "result",
}  # fmt: skip

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


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{_WHERE[name]}"), name)
    globals()[name] = value
    return value
