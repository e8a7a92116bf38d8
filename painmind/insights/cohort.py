"""The site cohort every person's findings are shrunk toward: a nightly pass over consenting patients.

For each finding (both cycle arrows and every "what helps" row), the standardized estimates of
the patients who share their diary with a care team (an active consent: they have agreed to
clinical use of their diary) with at least `MIN_PAIRS` pairs are pooled by random-effects
meta-analysis (`core.cycle.cohort.pool_random_effects`, REML). Project rules (docs/cycle.md):
a finding needs `MIN_PATIENTS` such patients before it has a site prior; the prior's SD is at
least `MIN_PRIOR_SD`, so that a homogeneous cohort cannot make a sentence about one person out of
other people's data alone. Without a site prior the sceptical default applies (`core.cycle.judge`).
"""

from __future__ import annotations

import math
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from painmind.accounts.models import Consent
from painmind.core.cycle.cohort import pool_random_effects
from painmind.core.cycle.judge import MIN_PAIRS
from painmind.insights.analysis import ENGINE_VERSION
from painmind.insights.models import CohortPrior, CycleAnalysis
from painmind.insights.presenters import evidence

MIN_PATIENTS = 20
MIN_PRIOR_SD = 0.1


def site_priors() -> dict[str, tuple[float, float]]:
    """The current site priors, key → (mean, SD) on the standardized scale."""
    return {key: (mean, sd) for key, mean, sd in CohortPrior.objects.values_list("key", "mean", "sd")}


@transaction.atomic
def do_refresh_cohort_priors() -> int:
    """Recompute every site prior from the cached analyses; returns how many findings have one."""
    consenting = Consent.objects.active().filter(patient__is_active=True).values("patient_id")
    estimates: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for result in CycleAnalysis.objects.filter(patient_id__in=consenting, engine_version=ENGINE_VERSION).values_list(
        "result", flat=True
    ):
        items, _ = evidence(result)
        for e in items:
            b, s = e.coef * e.scale, e.se * e.scale
            if e.n_pairs >= MIN_PAIRS and math.isfinite(b) and math.isfinite(s) and s > 0:
                estimates[e.key].append((b, s * s))
    now = timezone.now()
    CohortPrior.objects.all().delete()
    priors = []
    for key, rows in sorted(estimates.items()):
        if len(rows) < MIN_PATIENTS:
            continue
        pooled = pool_random_effects([b for b, _ in rows], [v for _, v in rows])
        sd = max(math.sqrt(max(pooled.tau2, 0.0)), MIN_PRIOR_SD)
        priors.append(CohortPrior(key=key, mean=pooled.estimate, sd=sd, n_patients=len(rows), computed_at=now))
    CohortPrior.objects.bulk_create(priors)
    return len(priors)
