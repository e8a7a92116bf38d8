"""Random-effects pooling of per-patient lag coefficients into cohort estimates.

Per edge ``from(t-1) -> to(t)`` each patient gives an estimate ``b_i`` with sampling variance ``s_i**2``;
we fit ``b_i ~ N(mu, s_i**2 + tau**2)``: ``mu`` is the cohort-mean (fixed) effect, ``tau`` the
between-patient SD of the true per-patient effects.  All edges are fitted at once, vectorized.

* ``tau**2``: REML (default; Viechtbauer 2005: less biased than DL when heterogeneity is large) by damped
  Newton steps, truncated at 0, from the best of 0, the DL value and a log grid (the restricted likelihood
  can be multimodal when sampling variances differ by orders of magnitude); or the DerSimonian & Laird
  (1986) moment estimator, truncated at 0.  ``mu = sum(w_i b_i) / sum(w_i)``, ``w_i = 1 / (s_i**2 + tau**2)``.
* Interval and test, default Hartung & Knapp (2001) / Sidik & Jonkman (2002), HKSJ:
  ``q = sum(w_i (b_i - mu)**2) / (n - 1)``, ``SE = sqrt(q / sum(w_i))``, t with ``n - 1`` df, *unmodified*
  (no ``max(1, q)``): in simulation (s_i**2 varying 3-fold, tau 0 to ~4 sampling SDs, 3-200 patients) it
  covered 94.6-95.5 %, ``max(1, q)`` 97-100 % with <= 10 patients and little heterogeneity, and DL with a
  normal interval 83-92 % with 3-10 patients and large tau (as in IntHout et al. 2014).  So with q < 1 an
  HKSJ interval can be narrower than the Wald one.  Guard: if all included estimates are identical (q = 0),
  q = 1 (the model-based SE) is used rather than a zero-width interval.
  Without HKSJ: Wald, ``SE = 1 / sqrt(sum(w_i))``, normal quantiles.

References: DerSimonian R, Laird N (1986) Control Clin Trials 7:177-188.  Viechtbauer W (2005) J Educ
Behav Stat 30:261-293.  Hartung J, Knapp G (2001) Stat Med 20:1771-1782.  Sidik K, Jonkman JN (2002)
Stat Med 21:3153-3159.  IntHout J, Ioannidis JPA, Borm GF (2014) BMC Med Res Methodol 14:25.

Parts:

- `results`: `PooledEstimate` (one edge) and `CohortFit` (every edge, with the shrunken
  per-patient estimates);
- `estimators`: tau**2 by DerSimonian-Laird or REML and the pooled mean, SE, test and interval of
  many sets of estimates at once;
- `bias`: the small-sample (Nickell/Kendall) bias of each patient's OLS lag matrix, removed
  before pooling by the Nicholls-Pope (1988) closed form;
- `pooling`: `pool_random_effects`, `shrink`, `pool_cohort` and `pool_fits` (bias correction,
  then `pool_cohort`), `pool_fits_by_group` (many cohorts at once, for simulations), their input
  checks and exclusions.
"""

from painmind.core.cycle.cohort.bias import corrected_var, pope_bias
from painmind.core.cycle.cohort.pooling import pool_cohort, pool_fits, pool_fits_by_group, pool_random_effects, shrink
from painmind.core.cycle.cohort.results import CohortFit, PooledEstimate

__all__ = [
    "CohortFit", "PooledEstimate", "corrected_var", "pool_cohort", "pool_fits", "pool_fits_by_group",
    "pool_random_effects", "pope_bias", "shrink",
]  # fmt: skip
