"""Statuses, reason codes and their plain words (docs/cycle.md "Guards").

``insufficient_data`` says "N more days needed" (reason ``more_days_needed``) only when the diary
already yields lag pairs, so more days of the same pattern bring more pairs.  Without a single pair
the real reason is given instead, the first that applies: ``no_check_ins``;
``variable_never_recorded`` (a variable has no value at all; a grid reads it from its values,
:func:`build_pairs` records it per person and variable); ``no_consecutive_days`` (two or more check-ins, never on
consecutive days, or with several prompts a day never two prompts in a row); ``missing_in_every_pair``
(a variable is missing on one side of every candidate pair, or, if no single one is, no pair has every
variable).  One check-in so far is ``more_days_needed``.

Flags of an ``ok`` fit (it keeps its status and estimates): ``non_stationary`` (spectral radius of the
coefficient matrix >= 1) and ``residual_autocorrelation`` (some equation's Ljung-Box p < 0.05 / k).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from painmind.core.cycle.kernel.diagnostics import LB_ALPHA
from painmind.core.cycle.result import Panel

__all__ = ["FLAGS", "flags_of", "more_words", "short_reasons"]

FLAGS = ("non_stationary", "residual_autocorrelation")


def more_words(n: int, multi: bool) -> str:
    return f"{n} more {'paired prompt' if multi else 'day'}{'s' if n != 1 else ''} needed"


def _names(which: list[str]) -> str:
    return which[0] if len(which) == 1 else f"{', '.join(which[:-1])} and {which[-1]}"


def short_reasons(panel: Panel, rows: NDArray[np.int64]) -> list[tuple[str, str]]:
    """(reason, words) for patients `rows` (sorted) that have no valid pair at all."""
    if len(rows) == 0:
        return []
    k, names = len(panel.variables), list(panel.variables)
    g = panel._grid
    if g is not None:
        vals = g.values[rows]
        recorded = np.asarray(~np.isnan(vals).all(axis=1))  # (c, k)
        cand = g.cand[rows]
        gap = np.isnan(vals[:, 1:]) | np.isnan(vals[:, :-1])  # (c, T - 1, k)
        n_cand = cand.sum(axis=1)
        miss = (gap & cand[:, :, None]).sum(axis=1)
    else:
        recorded = np.ones((len(rows), k), dtype=bool) if panel._recorded is None else panel._recorded[rows]
        held = panel._held
        n_cand, miss = np.zeros(len(rows), dtype=np.int64), np.zeros((len(rows), k), dtype=np.int64)
        if held is not None and len(held.patient):
            at = np.searchsorted(rows, held.patient)
            mine = (at < len(rows)) & (rows[np.minimum(at, len(rows) - 1)] == held.patient)
            gap = np.isnan(held.y[mine]) | np.isnan(held.x[mine])
            n_cand = np.bincount(at[mine], minlength=len(rows))
            for j in range(k):
                miss[:, j] = np.bincount(at[mine], weights=gap[:, j], minlength=len(rows))
    unit = "prompts in a row on the same day" if panel.multi_prompt else "consecutive days"
    out = []
    for i, row in enumerate(rows.tolist()):
        n_obs = int(panel.n_obs[row])
        if n_obs == 0:
            out.append(("no_check_ins", "no check-ins yet"))
        elif not recorded[i].all():
            which = [v for v, r in zip(names, recorded[i], strict=True) if not r]
            verb = "has" if len(which) == 1 else "have"
            out.append(("variable_never_recorded", f"{_names(which)} {verb} never been recorded"))
        elif n_obs == 1:
            out.append(("more_days_needed", ""))
        elif n_cand[i] == 0:
            out.append(("no_consecutive_days", f"check-ins are never on {unit}, so no pair can be compared"))
        else:
            which = [v for v, c in zip(names, miss[i], strict=True) if c == n_cand[i]]
            if which:
                verb = "is" if len(which) == 1 else "are"
                words = f"{_names(which)} {verb} missing on every pair of {unit}"
            else:
                words = f"no pair of {unit} has every variable recorded"
            out.append(("missing_in_every_pair", words))
    return out


def flags_of(
    variables: tuple[str, ...], radius: NDArray[np.float64], lb_p: NDArray[np.float64], ok: NDArray[np.bool_]
) -> tuple[NDArray[np.bool_], NDArray[np.bool_], dict[int, str]]:
    """Non-stationary and residual-autocorrelation flags (n,), and the words of flagged patients."""
    k = len(variables)
    with np.errstate(invalid="ignore"):
        unstable = ok & (radius >= 1.0)
        autocorr = ok & (lb_p < LB_ALPHA / k).any(axis=1)
    words: dict[int, str] = {}
    for i in np.flatnonzero(unstable | autocorr).tolist():
        parts = []
        if unstable[i]:
            parts.append(
                f"the estimated pattern is not stable (spectral radius {radius[i]:.2f}, 1 or more): the diary "
                "drifts or shifts in a way a one-step-back model does not describe"
            )
        if autocorr[i]:
            which = [v for v, p in zip(variables, lb_p[i], strict=True) if p < LB_ALPHA / k]
            parts.append(f"a pattern over two steps is left in {_names(which)} (Ljung-Box p < {LB_ALPHA / k:.3g})")
        words[i] = "; ".join(parts)
    return unstable, autocorr, words
