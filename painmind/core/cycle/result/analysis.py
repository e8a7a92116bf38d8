"""`CycleResult`: everything one analysis produced, as strictly valid JSON or CSV rows."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from painmind.core.cycle.result.fits import EDGE_FIELDS, PatientFits

if TYPE_CHECKING:
    from painmind.core.cycle.helps import Finding

__all__ = ["CycleResult", "SupportsToJson"]


@runtime_checkable
class SupportsToJson(Protocol):
    """Anything with ``to_json()`` (the cohort pooling result)."""

    def to_json(self) -> dict[str, object]: ...


@dataclass(frozen=True, eq=False)
class CycleResult:
    """Everything one analysis produced: per-patient fits, cohort pooling, "what helps me".

    ``cohort`` is the cohort pooling result (anything with ``to_json()``) or None; ``helps`` is
    one list of findings per patient (in ``fits.patient_ids`` order) or None.
    """

    variables: tuple[str, ...]
    fits: PatientFits
    cohort: object | None
    helps: list[list[Finding]] | None

    def to_json(self) -> dict[str, object]:
        """``{"variables", "patients", "cohort"}``; strictly valid JSON (no NaN or inf).

        >>> import numpy as np
        >>> from painmind.core.cycle import fit_patients, pairs_from_dense
        >>> panel = pairs_from_dense(np.arange(6.0).reshape(1, 3, 2), patient_ids=["a"], variables=["pain", "mood"])
        >>> CycleResult(("pain", "mood"), fit_patients(panel), None, None).to_json()["patients"][0]["message"]
        '18 more days needed'
        """
        cohort = None
        if self.cohort is not None:
            if not isinstance(self.cohort, SupportsToJson):
                raise TypeError(f"cohort must have to_json(), got {type(self.cohort).__name__}")
            cohort = self.cohort.to_json()
        return {
            "variables": list(self.variables),
            "patients": [self._with_shrunk(i, self.fits.patient_json(i)) for i in range(len(self.fits.patient_ids))],
            "cohort": cohort,
        }

    def _with_shrunk(self, i: int, patient: dict[str, object]) -> dict[str, object]:
        """Add the cohort's empirical-Bayes ``shrunk`` estimate and ``shrunk_se`` to patient `i`'s edges."""
        shrunk, shrunk_se = getattr(self.cohort, "shrunk", None), getattr(self.cohort, "shrunk_se", None)
        edges = patient["edges"]
        if shrunk is None or shrunk_se is None or not isinstance(edges, list):
            return patient
        k = len(self.variables)
        for n, edge in enumerate(edges):
            a, b = divmod(n, k)
            edge["shrunk"], edge["shrunk_se"] = _num(shrunk[i, a, b]), _num(shrunk_se[i, a, b])
        return patient

    def to_rows(self) -> list[dict[str, object]]:
        """CSV rows: one per patient and edge when ok, else one row per patient with edge fields None.

        Columns: id, status, reason, message, n_obs, n_pairs, from, to, coef, se, t, p, q, ci_low,
        ci_high, std_coef, and with a cohort, shrunk and shrunk_se (empirical Bayes toward the cohort).
        """
        rows: list[dict[str, object]] = []
        extra = ("shrunk", "shrunk_se") if getattr(self.cohort, "shrunk", None) is not None else ()
        blank = dict.fromkeys(("from", "to", *EDGE_FIELDS, *extra))
        for i in range(len(self.fits.patient_ids)):
            patient = self._with_shrunk(i, self.fits.patient_json(i))
            head = {key: patient[key] for key in ("id", "status", "reason", "message", "n_obs", "n_pairs")}
            edges = patient["edges"]
            assert isinstance(edges, list)
            rows.extend({**head, **edge} for edge in edges) if edges else rows.append({**head, **blank})
        return rows


def _num(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None
