"""`Panel`: the valid lag pairs of many patients, held as arrays or read straight from a grid."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple, TypeVar

import numpy as np
from numpy.typing import NDArray

from painmind.core.cycle.result.errors import CycleInputError

__all__ = ["PROMPT_SLOTS", "Grid", "Pairs", "Panel", "check_names", "frozen"]

_A = TypeVar("_A", bound="np.ndarray[Any, Any]")


def frozen(a: _A) -> _A:
    """`a`, made read-only in place."""
    a.flags.writeable = False
    return a


class Pairs(NamedTuple):
    """Lag pairs as arrays, as :class:`Panel` shows them."""

    y: NDArray[np.float64]
    x: NDArray[np.float64]
    time: NDArray[np.float64]
    patient: NDArray[np.int64]
    # Several prompts a day from a long frame: the prompt each pair ends at, as day * PROMPT_SLOTS +
    # prompt (days from the patient's first, prompts from the data's first beep or, without beep
    # numbers, the row's rank within its day); the same day and h prompts apart iff h slots apart.
    slot: NDArray[np.int64] | None = None


PROMPT_SLOTS = 1 << 20  # slot numbers per day in Pairs.slot


class Grid(NamedTuple):
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
    _pairs: Pairs | None = field(default=None, repr=False)
    _held: Pairs | None = field(default=None, repr=False)  # dropped for a missing value: select() revives them
    _grid: Grid | None = field(default=None, repr=False)
    # (n, k): the variable has a value in some row of the patient (a long frame's pairs keep no
    # unpaired rows; a grid knows it from its values).  None: not known.
    _recorded: NDArray[np.bool_] | None = field(default=None, repr=False)
    _cache: dict[str, Pairs] = field(default_factory=dict, repr=False)

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

    def _arrays(self) -> Pairs:
        if self._pairs is not None:
            return self._pairs
        if "pairs" not in self._cache:
            g = self._grid
            assert g is not None
            pi, j = np.nonzero(g.valid)
            self._cache["pairs"] = Pairs(
                frozen(g.values[pi, j + 1]), frozen(g.values[pi, j]), frozen((j + 1 - g.first[pi]) / g.steps),
                frozen(pi),
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
        names = check_names(variables, "variables")
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
                _grid=g._replace(values=values, valid=valid, counts=frozen(valid.sum(axis=1))),
                _cache={},
            )
        recorded = None if self._recorded is None else frozen(self._recorded[:, cols])
        held = self._held or Pairs(np.empty((0, k)), np.empty((0, k)), np.empty(0), np.empty(0, np.int64))
        my, mx = held.y[:, cols], held.x[:, cols]
        back = np.asarray(~(np.isnan(my).any(axis=1) | np.isnan(mx).any(axis=1)))
        patient = np.concatenate([self.patient, held.patient[back]])
        time = np.concatenate([self.time, held.time[back]])
        order = np.lexsort((time, patient))
        mine, theirs = self._arrays().slot, held.slot
        slot = None if mine is None or theirs is None else frozen(np.concatenate([mine, theirs[back]])[order])
        pairs = Pairs(
            frozen(np.concatenate([self.y[:, cols], my[back]])[order]),
            frozen(np.concatenate([self.x[:, cols], mx[back]])[order]),
            frozen(time[order]), frozen(patient[order]), slot,
        )  # fmt: skip
        rest = None if theirs is None else theirs[~back]
        return replace(
            self, variables=names, dropped={**self.dropped, "missing_value": int((~back).sum())}, _pairs=pairs,
            _held=Pairs(my[~back], mx[~back], held.time[~back], held.patient[~back], rest), _recorded=recorded,
            _cache={},
        )  # fmt: skip


def check_names(variables: object, arg: str) -> tuple[str, ...]:
    """`variables` as a tuple of distinct names, at least one; else CycleInputError naming `arg`."""
    names = tuple(variables) if isinstance(variables, Sequence) and not isinstance(variables, str) else ()
    if not names or not all(isinstance(v, str) for v in names) or len(set(names)) != len(names):
        raise CycleInputError(f"{arg} must be a sequence of distinct names, at least one, got {variables!r}")
    return names
