"""Per-patient lag-1 VAR by OLS for all patients at once (batched normal equations).

For patient i, every variable j at t is regressed on all k variables at t-1 plus an intercept
(and optionally a linear trend in ``Panel.time``).  The k equations share their regressors, so one
cross-product matrix per patient gives them all.  The pairs are centred per patient (means, then
deviations), which absorbs the intercept exactly (Frisch-Waugh) and keeps X'X well conditioned:
the results agree with an SVD-based OLS (statsmodels) to ~1e-12.  Z = [x, (time,) y] of a few
hundred patients at a time is laid out in a block small enough to stay in cache, and Z'Z is one
batched matmul; X'X, X'Y and Y'Y are its blocks.  On a grid (:func:`pairs_from_dense`) the block
is read straight from the grid, variable-major with the patients side by side, shifted by each
patient's first valid pair and centred after the matmul.  Everything after the cross-products
runs with the patients on the last axis: a 6 x 6 Cholesky, solve or p-value is a few dozen
element-wise steps over long rows of patients rather than many tiny matrix operations.  Chunks
of patients run on threads (numpy releases the GIL).  No Python loop runs over patients, except
to word the messages of the few that are not estimable.

Parts:

- `cross`: the centred cross-products of blocks of patients, from pair arrays or straight from
  the grid;
- `estimates`: from cross-products to estimates, patients last: the constant, collinearity and
  exact-fit checks, the Cholesky solve, standard errors, tests, intervals and the cycle gain;
- `fit`: `fit_patients`, the chunks of patients on threads, the statuses and their messages.
"""

from painmind.core.cycle.kernel.estimates import CONSTANT_REL_SD, PERFECT_FIT
from painmind.core.cycle.kernel.fit import fit_patients
from painmind.core.cycle.result import PatientFits, concat_fits
from painmind.core.cycle.stats import bh_qvalues

__all__ = ["CONSTANT_REL_SD", "PERFECT_FIT", "PatientFits", "bh_qvalues", "concat_fits", "fit_patients"]
