"""The synthetic cohort's parameters: scales, means, SDs, the cohort-mean B, R and the weekday profile."""

from __future__ import annotations

import numpy as np

__all__ = [
    "B_STD",
    "DEFAULT_VARIABLES",
    "MAX_RADIUS",
    "RESID_CORR",
    "RESID_LOG_SD",
    "SLEEP_HOURS",
    "SPEC",
    "WEEKDAY",
]

DEFAULT_VARIABLES: tuple[str, ...] = (
    "pain", "mood", "anxiety", "stress", "sleep_quality", "activity_minutes", "social"
)  # fmt: skip
# (valid max, cohort mean, between-person SD, residual SD D, clip range of mu_i);
# the clip keeps anyone's typical day off the ends of the scale.
SPEC: dict[str, tuple[float, float, float, float, float, float]] = {
    "pain": (10.0, 5.5, 1.5, 1.1, 1.0, 9.0),
    "mood": (10.0, 5.0, 1.5, 1.2, 1.0, 9.0),
    "anxiety": (10.0, 4.5, 1.8, 1.3, 1.0, 9.0),
    "stress": (10.0, 5.0, 1.6, 1.3, 1.0, 9.0),
    "sleep_quality": (10.0, 5.0, 1.5, 1.5, 1.0, 9.0),
    "activity_minutes": (1440.0, 60.0, 25.0, 30.0, 5.0, 240.0),
    "social": (10.0, 4.5, 1.8, 1.5, 1.0, 9.0),
}
# fmt: off
# Cohort-mean B in standardized units, rows = outcome ("to"), columns = predictor
# ("from"), both in DEFAULT_VARIABLES order.  Pain->mood and mood->pain are both
# negative, so the pain-mood cycle gain is +0.015; spectral radius 0.66.
B_STD = np.array([
    [0.35, -0.10, 0.05, 0.05, -0.12, -0.05, 0.00],
    [-0.15, 0.30, -0.08, -0.05, 0.08, 0.08, 0.10],
    [0.05, -0.05, 0.30, 0.12, -0.05, 0.00, -0.03],
    [0.06, -0.04, 0.12, 0.30, -0.05, 0.00, 0.00],
    [-0.10, 0.05, -0.06, -0.06, 0.25, 0.04, 0.00],
    [-0.10, 0.08, 0.00, 0.00, 0.06, 0.35, 0.05],
    [-0.04, 0.10, -0.05, 0.00, 0.00, 0.06, 0.35],
])
# Residual (innovation) correlation R, same order; one matrix for everyone.
RESID_CORR = np.array([
    [1.00, -0.30, 0.15, 0.15, -0.15, -0.20, 0.00],
    [-0.30, 1.00, -0.35, -0.30, 0.20, 0.15, 0.25],
    [0.15, -0.35, 1.00, 0.45, -0.15, 0.00, 0.00],
    [0.15, -0.30, 0.45, 1.00, -0.15, 0.00, 0.00],
    [-0.15, 0.20, -0.15, -0.15, 1.00, 0.00, 0.00],
    [-0.20, 0.15, 0.00, 0.00, 0.00, 1.00, 0.15],
    [0.00, 0.25, 0.00, 0.00, 0.00, 0.15, 1.00],
])
# Weekday profile (rows Monday..Sunday), peak |value| 1, each column sums to 0 so
# the person mean stays the weekly average: Monday pain/stress up, mood down,
# weekend activity and social contact up.
WEEKDAY = np.array([
    [1.0, -1.0, 0.5, 1.0, -0.5, -0.5, -0.5],
    [0.5, -0.5, 0.0, 0.5, 0.0, 0.0, -0.5],
    [0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0],
    [0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0],
    [-0.5, 0.5, -0.5, 0.0, 0.0, 0.0, 0.5],
    [-0.5, 0.5, -0.5, -1.25, 0.5, 1.0, 1.0],
    [-0.5, 0.5, 0.5, -1.25, 0.0, -0.5, -0.5],
])
# fmt: on
MAX_RADIUS = 0.9  # B_i above this are shrunk towards 0 (see generate_cohort)
RESID_LOG_SD = 0.2  # a person's residual SDs: the cohort's times exp(N(0, RESID_LOG_SD**2))
# sleep_hours: cohort mean, between-person SD, hours per SD of quality, noise SD
SLEEP_HOURS = (7.0, 0.8, 0.45, 0.6)
