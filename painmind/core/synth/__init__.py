"""Seeded synthetic pain/mood diaries with a known lag-1 VAR ground truth.

Per patient ``i`` the latent state follows, over the sequence of prompts
(day 1 prompt 1..k, day 2 prompt 1..k, ...)::

    x_t = mu_i + w(t) + B_i (x_{t-1} - mu_i - w(t-1)) + e_t,  e_t ~ N(0, Sigma_i)

``Sigma_i = diag(residual_sd_i) R diag(residual_sd_i)`` with one fixed residual
correlation matrix ``R`` (``CohortTruth.residual_corr``; e.g. same-prompt pain
and mood shocks correlate -0.3) and ``residual_sd_i`` = cohort residual SD times
a person factor ``exp(N(0, 0.2**2))``.  The process runs in standardized units
(raw value / cohort residual SD ``D``), so ``B_raw = D B_std D^-1``.  Cohort
mean mu (between-person SD of mu_i) and D, raw units: pain 5.5 (1.5) 1.1,
mood 5.0 (1.5) 1.2, anxiety 4.5 (1.8) 1.3, stress 5.0 (1.6) 1.3, sleep_quality
5.0 (1.5) 1.5, activity_minutes 60 (25) 30, social 4.5 (1.8) 1.5; mu_i is
clipped to [1, 9] ([5, 240] for activity).  ``w(t)`` depends on the local
weekday only.  Missed days/prompts are simply not emitted; the latent process
runs through them, so observations either side of a gap are not lag-1 pairs.

Parts:

- `params`: the cohort's parameters (scales, means, SDs, the cohort-mean B, R, the weekday
  profile, sleep hours) and `DEFAULT_VARIABLES`;
- `truth`: `CohortTruth`, the ground truth used, and `SynthCohort`, the data with its truth;
- `generate`: `generate_cohort`, its argument checks and the simulation.
"""

from painmind.core.synth.generate import generate_cohort
from painmind.core.synth.params import DEFAULT_VARIABLES
from painmind.core.synth.truth import CohortTruth, SynthCohort

__all__ = ["DEFAULT_VARIABLES", "CohortTruth", "SynthCohort", "generate_cohort"]
