"""Containers of the cycle analysis -- the lag-pair panel, per-patient fits, the whole result -- and
their JSON / CSV-row forms (never NaN or inf); also the one error type for bad input."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, TypeVar, runtime_checkable

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from painmind.core.cycle.helps import Finding

__all__ = ["CycleInputError", "CycleResult", "Panel", "PatientFits", "SupportsToJson", "concat_fits"]

_A = TypeVar("_A", bound="np.ndarray[Any, Any]")


class CycleInputError(ValueError):
    """Bad input to the cycle analysis; ``str(exc)`` is one line naming the column or argument."""


def _frozen(a: _A) -> _A:
    a.flags.writeable = False
    return a


class _Pairs(NamedTuple):
    """Lag pairs as arrays, as :class:`Panel` shows them."""

    y: NDArray[np.float64]
    x: NDArray[np.float64]
    time: NDArray[np.float64]
    patient: NDArray[np.int64]


class _Grid(NamedTuple):
    """A panel on a regular grid: slot j -> j + 1 of ``values[i]`` is a pair where ``valid[i, j]``."""

    values: NDArray[np.float64]  # (n, T, k), a read-only view of the caller's array
    cand: NDArray[np.bool_]  # (n, T - 1): both slots observed, same day
    valid: NDArray[np.bool_]  # (n, T - 1): candidates complete in every variable
    first: NDArray[np.int64]  # (n,): first observed slot
    steps: int
    counts: NDArray[np.int64]  # (n,): valid pairs per patient


@dataclass(frozen=True, eq=False)
class Panel:
    """Valid lag pairs of many patients, sorted by patient, then time.

    Made by :func:`build_pairs` (pairs held as arrays) or :func:`pairs_from_dense` (pairs read
    straight from the grid by :func:`fit_patients`; ``x``, ``y``, ``time``, ``patient`` are built
    on first access).

    Attributes
    ----------
    patient_ids : tuple of str, shape (n,)
        :func:`build_pairs`: sorted as strings; :func:`pairs_from_dense`: as given.  Patients
        without a valid pair are kept (they get ``insufficient_data``).
    variables : tuple of str, shape (k,)
    y, x : ndarray of float64, shape (n_pairs, k)
        Values at t and at t-1; never NaN.
    time : ndarray of float64, shape (n_pairs,)
        Days from the patient's first observation to t: whole days in a daily diary; with beep
        numbers ``days + (beep - first beep) / B``, B = ``max(beep) - min(beep) + 1`` over the data
        (``steps_per_day`` on a grid); with timestamps only, elapsed time in days.
    patient : ndarray of int64, shape (n_pairs,)
        Index into ``patient_ids``, non-decreasing.
    n_obs : ndarray of int64, shape (n,)
        Rows of the patient with at least one variable present.
    n_naive_pairs : int
        Consecutive observations within patients before any dropping:
        ``n_pairs + sum(dropped.values())``.
    dropped : mapping
        ``night_or_gap`` (not the previous day; or another day), ``skipped_prompt`` (same day,
        beeps not consecutive), ``missing_value`` (a variable missing on either side).
    multi_prompt : bool
        Several prompts a day (pairs within a day) rather than a daily diary.
    """

    patient_ids: tuple[str, ...]
    variables: tuple[str, ...]
    n_obs: NDArray[np.int64]
    n_naive_pairs: int
    dropped: Mapping[str, int]
    multi_prompt: bool
    _pairs: _Pairs | None = field(default=None, repr=False)
    _held: _Pairs | None = field(default=None, repr=False)  # dropped for a missing value: select() revives them
    _grid: _Grid | None = field(default=None, repr=False)
    _cache: dict[str, _Pairs] = field(default_factory=dict, repr=False)

    @property
    def y(self) -> NDArray[np.float64]:
        return self._arrays().y

    @property
    def x(self) -> NDArray[np.float64]:
        return self._arrays().x

    @property
    def time(self) -> NDArray[np.float64]:
        return self._arrays().time

    @property
    def patient(self) -> NDArray[np.int64]:
        return self._arrays().patient

    def _arrays(self) -> _Pairs:
        if self._pairs is not None:
            return self._pairs
        if "pairs" not in self._cache:
            g = self._grid
            assert g is not None
            pi, j = np.nonzero(g.valid)
            self._cache["pairs"] = _Pairs(
                _frozen(g.values[pi, j + 1]), _frozen(g.values[pi, j]), _frozen((j + 1 - g.first[pi]) / g.steps),
                _frozen(pi),
            )  # fmt: skip
        return self._cache["pairs"]

    def _pair_counts(self) -> NDArray[np.int64]:
        """Valid pairs per patient, shape (n,)."""
        if self._grid is not None:
            return self._grid.counts
        return np.bincount(self.patient, minlength=len(self.patient_ids)).astype(np.int64)

    def select(self, variables: Sequence[str]) -> Panel:
        """The panel restricted to `variables`, with the pairs complete for just these variables.

        Pairs dropped only because another variable was missing come back.  The observations and
        candidate pairs stay those of the full variable set (``n_obs``, ``n_naive_pairs``, night
        and prompt drops); ``dropped["missing_value"]`` is recounted.

        >>> from painmind.core.cycle import pairs_from_dense
        >>> p = pairs_from_dense(np.array([[[1.0, np.nan], [2.0, 5.0], [3.0, 6.0]]]), patient_ids=["a"],
        ...                      variables=["pain", "mood"])
        >>> len(p.y), len(p.select(["pain"]).y)
        (1, 2)
        """
        names = _names(variables, "variables")
        if unknown := [v for v in names if v not in self.variables]:
            raise CycleInputError(f"variables {unknown} are not in the panel {list(self.variables)}")
        cols, k = [self.variables.index(v) for v in names], len(self.variables)
        if (g := self._grid) is not None:
            values = g.values[:, :, cols]
            complete = np.asarray(~np.isnan(values).any(axis=2))
            valid = g.cand & complete[:, 1:] & complete[:, :-1]
            dropped = {**self.dropped, "missing_value": int(g.cand.sum() - valid.sum())}
            return replace(
                self,
                variables=names,
                dropped=dropped,
                _grid=g._replace(values=values, valid=valid, counts=_frozen(valid.sum(axis=1))),
                _cache={},
            )
        held = self._held or _Pairs(np.empty((0, k)), np.empty((0, k)), np.empty(0), np.empty(0, np.int64))
        my, mx = held.y[:, cols], held.x[:, cols]
        back = np.asarray(~(np.isnan(my).any(axis=1) | np.isnan(mx).any(axis=1)))
        patient = np.concatenate([self.patient, held.patient[back]])
        time = np.concatenate([self.time, held.time[back]])
        order = np.lexsort((time, patient))
        pairs = _Pairs(
            _frozen(np.concatenate([self.y[:, cols], my[back]])[order]),
            _frozen(np.concatenate([self.x[:, cols], mx[back]])[order]),
            _frozen(time[order]), _frozen(patient[order]),
        )  # fmt: skip
        return replace(
            self, variables=names, dropped={**self.dropped, "missing_value": int((~back).sum())}, _pairs=pairs,
            _held=_Pairs(my[~back], mx[~back], held.time[~back], held.patient[~back]), _cache={},
        )  # fmt: skip


def _names(variables: object, arg: str) -> tuple[str, ...]:
    names = tuple(variables) if isinstance(variables, Sequence) and not isinstance(variables, str) else ()
    if not names or not all(isinstance(v, str) for v in names) or len(set(names)) != len(names):
        raise CycleInputError(f"{arg} must be a sequence of distinct names, at least one, got {variables!r}")
    return names


FloatArray = NDArray[np.float64]
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
    the outcome's over the current (t) rows.  ``q``: Benjamini-Hochberg over the patient's k*k
    lagged coefficients.  ``df = n_pairs - regressors`` (intercept and trend included).
    ``resid_corr``: correlations of the residuals (the contemporaneous network).
    ``gain = coef[mood, pain] * coef[pain, mood]`` with a delta-method SE that includes the
    cross-equation covariance ``sigma[mood, pain] * inv(X'X)[pain, mood]`` (sigma = residual
    cross-products / df) and a t interval with the patient's df; NaN without both pain and mood.
    ``trend`` (per day of ``Panel.time``) is None unless fitted with ``trend=True``.  Arrays are
    read-only.
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
        return {
            "id": self.patient_ids[i], "status": str(self.status[i]), "message": self.message[i],
            "n_obs": int(self.n_obs[i]), "n_pairs": int(self.n_pairs[i]), "edges": edges, "cycle_gain": gain,
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
            "patients": [self.fits.patient_json(i) for i in range(len(self.fits.patient_ids))],
            "cohort": cohort,
        }

    def to_rows(self) -> list[dict[str, object]]:
        """CSV rows: one per patient and edge when ok, else one row per patient with edge fields None.

        Columns: id, status, message, n_obs, n_pairs, from, to, coef, se, t, p, q, ci_low, ci_high,
        std_coef.
        """
        rows: list[dict[str, object]] = []
        blank = dict.fromkeys(("from", "to", *EDGE_FIELDS))
        for i in range(len(self.fits.patient_ids)):
            patient = self.fits.patient_json(i)
            head = {key: patient[key] for key in ("id", "status", "message", "n_obs", "n_pairs")}
            edges = patient["edges"]
            assert isinstance(edges, list)
            rows.extend({**head, **edge} for edge in edges) if edges else rows.append({**head, **blank})
        return rows
