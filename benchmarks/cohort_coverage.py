"""Benchmark: coverage of the cohort intervals on the full pipeline, with and without bias correction.

    .venv/bin/python benchmarks/cohort_coverage.py [--cohorts 500] [--no-write]

Simulated diaries from a known multilevel VAR(1) of pain, mood and stress (200 patients per
cohort; ``painmind.core.cycle.cohort.simulate``) -> per-patient fits by the real kernel
(``fit_patients``) -> ``pool_fits`` (Nicholls-Pope bias correction, weights at the cohort-mean
dynamics, REML + HKSJ), per cohort.  Settings: T = 90 and 40 days, continuous and whole-number
0-10 answers, 10 % missing days, and T = 90 without the correction.  For each: coverage of the 95 %
intervals of the autoregressive and the cross-lag edges (min-max over the edges), the pooled mean
error, and estimated tau / true tau.  Written to the "## Cohort coverage" section of
docs/benchmarks.md.  The suite's seeded test (tests/core/cycle/test_cohort_coverage.py) runs the
first setting with 200 cohorts.
"""

from __future__ import annotations

import argparse
import math
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._docs import replace_section
from painmind.core.cycle.cohort.simulate import coverage

SETTINGS = (  # label, days, integer answers, missing-day rate, bias correction
    ("continuous, T = 90", 90, False, 0.0, True),
    ("continuous, T = 90, no correction", 90, False, 0.0, False),
    ("continuous, T = 90, 10 % days missing", 90, False, 0.1, True),
    ("continuous, T = 40", 40, False, 0.0, True),
    ("whole numbers 0-10, T = 90", 90, True, 0.0, True),
    ("whole numbers 0-10, T = 40", 40, True, 0.0, True),
)


def _span(values: np.ndarray, scale: float = 100.0, digits: int = 1) -> str:
    lo, hi = scale * values.min(), scale * values.max()
    return f"{lo:.{digits}f}–{hi:.{digits}f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cohorts", type=int, default=500)
    parser.add_argument("--patients", type=int, default=200)
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md")
    args = parser.parse_args()
    off = ~np.eye(3, dtype=bool)
    rows = []
    for i, (label, days, integer, missing, correct) in enumerate(SETTINGS):
        start = time.perf_counter()
        res = coverage(args.cohorts, args.patients, days, integer=integer, missing_day_rate=missing,
                       bias_correction=correct, rng=100 + i)  # fmt: skip
        ar, cross = np.diag(res.covered), res.covered[off]
        row = (f"| {label} | {_span(ar)} | {_span(cross)} | {_span(np.diag(res.mean_error), 1, 4)} | "
               f"{_span(np.diag(res.tau_ratio), 1, 2)} | {_span(res.tau_ratio[off], 1, 2)} |")  # fmt: skip
        print(row, f"({time.perf_counter() - start:.1f} s)", flush=True)
        rows.append(row)
    mc = 100 * math.sqrt(0.95 * 0.05 / args.cohorts)
    lines = [
        "## Cohort coverage (full pipeline)",
        "",
        f"`benchmarks/cohort_coverage.py --cohorts {args.cohorts}`: {args.cohorts} simulated cohorts of "
        f"{args.patients} patients per setting (pain, mood, stress; true AR 0.25–0.40, cross-lags within ±0.1, "
        "between-patient SD 0.10 for AR and 0.05 for cross-lags), diaries → `fit_patients` → `pool_fits` "
        "(per-patient Nicholls–Pope bias correction, weights at the cohort-mean dynamics, REML τ², HKSJ 95 % "
        f"interval). Monte Carlo SE of one coverage: {mc:.1f} points. Python {platform.python_version()}.",
        "",
        "| setting | AR coverage % | cross-lag coverage % | AR mean error | τ̂/τ AR | τ̂/τ cross-lag |",
        "|---|---|---|---|---|---|",
        *rows,
        "",
        "Whole-number answers add rounding and floor/ceiling error, which attenuates the autoregressive "
        "terms (measurement error, not small-sample bias): the correction does not remove it.",
    ]
    if not args.no_write:
        replace_section(Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md", "## Cohort coverage", lines)


if __name__ == "__main__":
    main()
