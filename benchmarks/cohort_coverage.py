"""Benchmark: coverage of the cohort intervals on the full pipeline, with and without bias correction.

    .venv/bin/python benchmarks/cohort_coverage.py [--cohorts 2000] [--no-write]

Simulated diaries from a known multilevel VAR(1) of pain, mood and stress (200 patients per
cohort; ``painmind.core.cycle.cohort.simulate``) -> per-patient fits by the real kernel
(``fit_patients``) -> ``pool_fits`` (Nicholls-Pope bias correction, weights at the cohort-mean
dynamics, REML + HKSJ), per cohort (``pool_fits_by_group``: all cohorts at once, in chunks of
500).  Settings: T = 90 and 40 days, continuous and whole-number 0-10 answers, 10 % missing days,
and T = 90 without the correction.  For each: coverage of the 95 % intervals of the
autoregressive and the cross-lag edges (min-max over the edges), the pooled mean error, estimated
tau / true tau, and every edge's coverage; and the modelled / actual sampling variance of the
corrected estimates at T = 40 and 90.  Written to the "## Cohort coverage" section of
docs/benchmarks.md.  The suite's seeded test (tests/core/cycle/test_cohort_coverage.py) runs the
first setting with 1,000 cohorts.
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
from painmind.core.cycle import fit_patients, pairs_from_dense
from painmind.core.cycle.cohort import corrected_var
from painmind.core.cycle.cohort.simulate import VARIABLES, Coverage, coverage, simulate_cohorts

CHUNK = 500  # cohorts per coverage() call (memory)

EDGES = [(to, src) for to in range(3) for src in range(3)]
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


def chunked(
    n_cohorts: int, patients: int, days: int, *, integer: bool, missing: float, correct: bool, seed: int
) -> Coverage:
    """`coverage` over `n_cohorts` in chunks of CHUNK (independent seeds), averaged."""
    seeds = np.random.SeedSequence(seed).spawn(math.ceil(n_cohorts / CHUNK))
    parts = [coverage(min(CHUNK, n_cohorts - i * CHUNK), patients, days, integer=integer, missing_day_rate=missing,
                      bias_correction=correct, rng=np.random.default_rng(s)) for i, s in enumerate(seeds)]  # fmt: skip
    w = np.array([p.n_cohorts for p in parts], dtype=float)

    def avg(name: str) -> np.ndarray:
        out: np.ndarray = np.einsum("c,cij->ij", w, np.stack([getattr(p, name) for p in parts])) / w.sum()
        return out

    return Coverage(avg("covered"), avg("mean_error"), avg("tau_ratio"), int(w.sum()))


def variance_ratio(days: int, seed: int) -> np.ndarray:
    """Per edge: mean modelled sampling variance of the corrected estimates / their actual variance.

    100 cohorts of 200; the actual variance is that of (corrected estimate - the patient's true A_i).
    """
    sim = simulate_cohorts(100, 200, days, rng=seed)
    ids = [f"p{i:06d}" for i in range(len(sim.values))]
    fits = fit_patients(pairs_from_dense(sim.values, patient_ids=ids, variables=VARIABLES))
    coef, se = corrected_var(fits.coef, fits.se, fits.resid_corr, n_pairs=fits.n_pairs.astype(np.float64), df=fits.df,
                             ok=fits.ok, trend=False, groups=np.repeat(np.arange(100), 200))  # fmt: skip
    ratio: np.ndarray = (se**2).mean(0) / ((coef - sim.coef) ** 2).mean(0)
    return ratio


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cohorts", type=int, default=2000)
    parser.add_argument("--patients", type=int, default=200)
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md")
    args = parser.parse_args()
    off = ~np.eye(3, dtype=bool)
    rows: list[str] = []
    edges: list[str] = []
    for i, (label, days, integer, missing, correct) in enumerate(SETTINGS):
        start = time.perf_counter()
        res = chunked(
            args.cohorts, args.patients, days, integer=integer, missing=missing, correct=correct, seed=100 + i
        )
        ar, cross = np.diag(res.covered), res.covered[off]
        row = (f"| {label} | {_span(ar)} | {_span(cross)} | {_span(np.diag(res.mean_error), 1, 4)} | "
               f"{_span(np.diag(res.tau_ratio), 1, 2)} | {_span(res.tau_ratio[off], 1, 2)} |")  # fmt: skip
        print(row, f"({time.perf_counter() - start:.1f} s)", flush=True)
        rows.append(row)
        edges.append(f"| {label} | " + " | ".join(f"{100 * res.covered[to, src]:.1f}" for to, src in EDGES) + " |")
    ratios = [(days, variance_ratio(days, 7)) for days in (40, 90)]
    for days, ratio in ratios:
        print(f"T = {days}: modelled / actual sampling variance", np.round(ratio, 3).tolist(), flush=True)
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
        "",
        f"Every edge (coverage %, `to ← from`; Monte Carlo SE {mc:.1f}):",
        "",
        "| setting | " + " | ".join(f"{VARIABLES[to]} ← {VARIABLES[src]}" for to, src in EDGES) + " |",
        "|---|" + "---:|" * len(EDGES),
        *edges,
        "",
        "τ̂ and the sampling variances. REML's τ² is, roughly, the spread of the per-person estimates minus "
        "their modelled sampling variance, so any excess in the latter comes off τ². Modelled / actual sampling "
        "variance of the corrected estimates (100 cohorts, actual = spread of corrected − the person's true "
        "A_i): "
        + "; ".join(
            f"T = {days}: AR {_span(np.diag(ratio), 1, 2)}, cross-lags {_span(ratio[off], 1, 2)}"
            for days, ratio in ratios
        )
        + ".",
    ]
    if not args.no_write:
        replace_section(Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md", "## Cohort coverage", lines)


if __name__ == "__main__":
    main()
