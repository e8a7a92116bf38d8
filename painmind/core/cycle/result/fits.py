"""`PatientFits`: the per-patient VAR(1) estimates, as arrays and as JSON; `concat_fits` joins them."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from painmind.core.cycle.result.errors import CycleInputError

__all__ = ["EDGE_FIELDS", "PatientFits", "concat_fits"]

FloatArray = NDArray[np.float64]
# The per-edge estimates, in the order of the JSON edges and the CSV columns.
EDGE_FIELDS = ("coef", "se", "t", "p", "q", "ci_low", "ci_high", "std_coef")


def _num(x: Any) -> float | None:
    value = float(x)
    return value if math.isfinite(value) else None


@dataclass(frozen=True, eq=False)
class PatientFits:
    """Per-patient VAR(1) estimates from :func:`fit_patients`, arrays indexed ``[patient, to, from]``.

    ``to`` is the outcome at t, ``from`` the predictor at t-1.  Every estimate is NaN unless
    ``status[i] == "ok"`` (``"insufficient_data"``, ``"not_estimable"``; ``message`` says why,
    ``n_more`` how many more pairs are needed).  ``std_coef = coef * SD(x_from) / SD(y_to)`` with
    both SDs within the patient over the valid pairs: the predictor's over the lagged (t-1) rows,
    the outcome's over the current (t) rows.  ``q``: Benjamini-Hochberg within the patient, the
    k(k-1) cross-lags as one family and the k autoregressive terms as another.
    ``df = n_pairs - regressors`` (intercept and trend included).
    ``resid_corr``: correlations of the residuals (the contemporaneous network).
    ``gain = coef[mood, pain] * coef[pain, mood]`` with a delta-method SE that includes the
    cross-equation covariance ``sigma[mood, pain] * inv(X'X)[pain, mood]`` (sigma = residual
    cross-products / df) and a t interval with the patient's df; NaN without both pain and mood.
    ``trend`` (per day of ``Panel.time``) is None unless fitted with ``trend=True``.  Arrays are
    read-only.

    ``reason``: a machine-readable code for the status (docs/cycle.md "Guards"): ``ok``;
    ``more_days_needed``, ``no_check_ins``, ``variable_never_recorded``, ``no_consecutive_days``,
    ``missing_in_every_pair`` (insufficient_data); ``constant``, ``near_constant``, ``collinear``,
    ``exact_fit`` (not_estimable).  Diagnostics (core.cycle.kernel.diagnostics), NaN where not
    computed: ``spectral_radius`` of the coefficient matrix (ok patients; ``non_stationary`` where
    >= 1), Ljung-Box ``lb_q``/``lb_p`` per equation at lags 1-2 (ok patients;
    ``residual_autocorrelation`` where some p < 0.05 / k), ``n_distinct`` and ``top_share`` (the
    commonest value's share, only where >= 0.9) per variable over the current side of the pairs (every patient with
    enough pairs).  A flagged patient stays ``ok``; ``message`` then says what the flag means.
    """

    patient_ids: tuple[str, ...]
    variables: tuple[str, ...]
    status: NDArray[np.str_]
    message: tuple[str, ...]
    n_obs: NDArray[np.int64]
    n_pairs: NDArray[np.int64]
    n_more: NDArray[np.int64]
    df: FloatArray
    coef: FloatArray
    se: FloatArray
    t: FloatArray
    p: FloatArray
    q: FloatArray
    ci_low: FloatArray
    ci_high: FloatArray
    std_coef: FloatArray
    intercept: FloatArray
    trend: FloatArray | None
    resid_corr: FloatArray
    gain: FloatArray
    gain_se: FloatArray
    gain_ci_low: FloatArray
    gain_ci_high: FloatArray
    reason: NDArray[np.str_]
    spectral_radius: FloatArray
    lb_q: FloatArray
    lb_p: FloatArray
    n_distinct: FloatArray
    top_share: FloatArray
    non_stationary: NDArray[np.bool_]
    residual_autocorrelation: NDArray[np.bool_]

    @property
    def ok(self) -> NDArray[np.bool_]:
        """Patients with status ``"ok"``, shape (n,)."""
        return np.asarray(self.status == "ok")

    def patient_json(self, i: int) -> dict[str, object]:
        """Patient `i` as JSON-ready data; NaN and inf become None.

        ``edges`` is empty unless ok, otherwise k*k entries running over ``to`` then ``from``
        in ``variables`` order; ``cycle_gain`` is None unless ok with pain and mood.
        """
        edges: list[dict[str, object]] = []
        gain: dict[str, float | None] | None = None
        if self.status[i] == "ok":
            cols = [getattr(self, name)[i].tolist() for name in EDGE_FIELDS]
            for a, to in enumerate(self.variables):
                for b, src in enumerate(self.variables):
                    edge: dict[str, object] = {"from": src, "to": to}
                    edge.update({name: _num(col[a][b]) for name, col in zip(EDGE_FIELDS, cols, strict=True)})
                    edges.append(edge)
            if math.isfinite(self.gain[i]):
                gain = {name: _num(getattr(self, attr)[i]) for name, attr in
                        (("value", "gain"), ("ci_low", "gain_ci_low"), ("ci_high", "gain_ci_high"))}  # fmt: skip
        flags = [name for name in ("non_stationary", "residual_autocorrelation") if getattr(self, name)[i]]
        diagnostics = {
            "spectral_radius": _num(self.spectral_radius[i]),
            "ljung_box": [
                {"variable": v, "q": _num(q), "p": _num(p)}
                for v, q, p in zip(self.variables, self.lb_q[i].tolist(), self.lb_p[i].tolist(), strict=True)
            ],
            "distinct_values": [None if math.isnan(d) else int(d) for d in self.n_distinct[i].tolist()],
            "top_share": [_num(x) for x in self.top_share[i].tolist()],
        }
        return {
            "id": self.patient_ids[i], "status": str(self.status[i]), "reason": str(self.reason[i]),
            "message": self.message[i], "n_obs": int(self.n_obs[i]), "n_pairs": int(self.n_pairs[i]),
            "edges": edges, "cycle_gain": gain, "flags": flags, "diagnostics": diagnostics,
        }  # fmt: skip


def concat_fits(parts: Sequence[PatientFits]) -> PatientFits:
    """Join the fits of disjoint patient sets, in the given order (for the Dask engine).

    Every part must have the same ``variables`` and trend option; a patient id may not repeat.
    Per-patient results do not depend on the other patients fitted with them, so fitting groups
    and joining them equals fitting everyone at once.
    """
    if not parts:
        raise CycleInputError("concat_fits needs at least one part")
    first = parts[0]
    if any(p.variables != first.variables or (p.trend is None) != (first.trend is None) for p in parts):
        raise CycleInputError("concat_fits: the parts differ in variables or in the trend option")
    ids = tuple(i for part in parts for i in part.patient_ids)
    if len(set(ids)) != len(ids):
        raise CycleInputError("concat_fits: a patient id appears in more than one part")
    joined: dict[str, Any] = {"patient_ids": ids, "message": tuple(m for part in parts for m in part.message)}
    for f in fields(PatientFits):
        if f.name not in joined and f.name != "variables":
            values = [getattr(part, f.name) for part in parts]
            if values[0] is not None:
                joined[f.name] = np.concatenate(values)
                joined[f.name].flags.writeable = False
    return replace(first, **joined)
