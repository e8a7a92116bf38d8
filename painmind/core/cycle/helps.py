"""'What helps me': how everyday factors go with the pain and mood that follow, in plain words.

For every factor f and outcome o in the panel (f != o), each patient gets the bivariate model
``o(t) ~ 1 + o(t-1) + f(t-1)`` on the pairs complete for o and f (:meth:`Panel.select`), fitted by
the same batched kernel as the full network.  Adjusting for yesterday's outcome keeps "after bad
days I rest more" from passing for "rest makes me worse".

Timing.  A factor describing *last night* (sleep; ``same_day``, filed under the day before by
:mod:`painmind.core.cycle.lags.timing`) enters as the night before day t: the model reads
``o(t) ~ 1 + o(t-1) + sleep(night t-1 -> t)``, last night's sleep with today's pain.  The outcome
adjusted for is still yesterday's, o(t-1): it comes before that night, so it can drive both the
night's sleep and today's outcome (a confounder: "a bad day, a bad night, a bad next day"),
whereas today's outcome comes after the night and is the outcome itself.  Adjusting for
o(t-1) is what Tang et al. (2012) and Edwards et al. (2008) do (analytics-reference §2.1).

Day-level variables in experience sampling (one value per day, repeated on every prompt, such as
morning sleep quality; :func:`painmind.core.cycle.lags.nights.day_level`).  Within a day such a
variable never changes, so in a within-day bivariate model its own equation is an exact fit and
the person's test was void.  A test with a day-level factor (or outcome) runs instead on the
cross-night pairs of :func:`~painmind.core.cycle.lags.nights.cross_night_pairs` (``nights``), as
the cycle's day-level equations do (mlVAR's semantics, analytics-reference §1 item 2): the outcome
at the first prompt of day d+1 on the outcome at the last prompt of day d and the factor's value
on day d, consecutive days only, one pair per night.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from painmind.core.cycle.kernel import bh_qvalues, fit_patients
from painmind.core.cycle.lags import CycleInputError, Panel

__all__ = ["Finding", "what_helps"]

# factor: (per, unit, words for "<factor> was <per> <unit>s more"); per is a step a patient can picture.
_FACTORS: dict[str, tuple[float, str, str]] = {
    "sleep_quality": (1.0, "point", "your sleep quality was {amount} higher"),
    "sleep_hours": (1.0, "hour", "you slept {amount} more"),
    "activity_minutes": (30.0, "minute", "you were active for {amount} more"),
    "social": (1.0, "point", "you had {amount} more social contact"),
    "stress": (1.0, "point", "your stress was {amount} higher"),
    "pain": (1.0, "point", "your pain was {amount} higher"),
    "mood": (1.0, "point", "your mood was {amount} better"),
    "anxiety": (1.0, "point", "your anxiety was {amount} higher"),
}
# outcome: (unit, whether higher is better; None = no judgement)
_OUTCOMES: dict[str, tuple[str, bool | None]] = {
    "pain": ("point", False), "mood": ("point", True), "anxiety": ("point", False), "stress": ("point", False),
    "sleep_quality": ("point", True), "social": ("point", True), "sleep_hours": ("hour", None),
    "activity_minutes": ("minute", None),
}  # fmt: skip


@dataclass(frozen=True)
class Finding:
    """One factor's lagged effect on one outcome for one patient.

    ``coef``, ``ci_low`` and ``ci_high`` are the change in the outcome (its own units) per ``per``
    ``unit`` s of the factor the day (or prompt) before, holding the previous outcome fixed; the
    interval is 95 %.  ``p`` is the coefficient's two-sided t test, ``q`` its Benjamini-Hochberg
    q-value across the patient's findings.  ``n_pairs`` pairs are complete for factor and outcome.
    """

    factor: str
    outcome: str
    coef: float
    ci_low: float
    ci_high: float
    p: float
    q: float
    n_pairs: int
    per: float
    unit: str
    text: str
    # For judging it with the person's other findings (core.cycle.judge): the coefficient's SE and
    # residual df, and SD(factor) / SD(outcome) within the person (per 1 unit, not per `per`).
    se: float = float("nan")
    df: float = float("nan")
    scale: float = float("nan")


def _fmt(x: float) -> str:
    # Whole, then one, then two decimals: a patient reads "0.04", not "0.00037".
    return f"{x:.0f}" if x >= 10 else f"{x:.1f}" if x >= 0.095 else f"{x:.2f}"


def _amount(x: float, unit: str) -> str:
    return f"{_fmt(x) if x != round(x) else round(x)} {unit}{'' if x == 1 else 's'}"


def _text(finding: Finding, multi: bool, night: bool = False, overnight: bool = False) -> str:
    """Plain words; direction and judgement follow the outcome (higher pain is worse, higher mood better)."""
    phrase = _FACTORS.get(
        finding.factor, (1.0, "unit", f"your {finding.factor.replace('_', ' ')} was {{amount}} higher")
    )[2]
    unit, better = _OUTCOMES.get(finding.outcome, ("unit", None))
    eff, lo, hi = finding.coef, finding.ci_low, finding.ci_high
    way = "lower" if eff < 0 else "higher"
    judge = "" if better is None or eff == 0 else (", which is better" if (eff > 0) == better else ", which is worse")
    if lo > 0 or hi < 0:
        near, far = sorted((abs(lo), abs(hi)))
        likely = f"likely between {_fmt(near)} and {_fmt(far)} {way}"
    else:
        likely = f"likely between {_fmt(-lo)} lower and {_fmt(hi)} higher, so the direction is not yet clear"
    lead, when, pairs = ("At check-ins after", "at the next check-in", "check-ins")
    if not multi:
        lead, when, pairs = ("On days after", "the next day", "days")
    if night:  # last night's factor, today's outcome
        lead, when, pairs = ("After nights when", "that day", "nights each with the day after")
    if overnight:  # a day-level factor, the first check-in of the next day (cross-night pairs)
        lead, when, pairs = (
            "On days when",
            "at the first check-in of the next day",
            "evenings each with the next morning",
        )
    factor = phrase.format(amount=_amount(finding.per, finding.unit))
    return (
        f"{lead} {factor}, your {finding.outcome.replace('_', ' ')} was on average {_amount(abs(eff), unit)} {way} "
        f"{when}{judge} ({likely}), from {finding.n_pairs} {'' if night or overnight else 'pairs of '}{pairs}."
    )


def _reindex(values: np.ndarray, have: tuple[str, ...], want: tuple[str, ...]) -> np.ndarray:
    """`values` (m, len(have)) in the order of `want`, NaN for a person `have` lacks."""
    if have == want:
        return values
    at = {pid: i for i, pid in enumerate(have)}
    out = np.full((len(values), len(want)), np.nan)
    for i, pid in enumerate(want):
        if pid in at:
            out[:, i] = values[:, at[pid]]
    return out


def what_helps(
    panel: Panel,
    *,
    outcomes: Sequence[str] = ("pain", "mood"),
    factors: Sequence[str] = ("sleep_quality", "sleep_hours", "activity_minutes", "social", "stress"),
    min_pairs: int = 20,
    trend: bool = False,
    same_day: Sequence[str] = (),
    day_level: Sequence[str] = (),
    nights: Panel | None = None,
) -> list[list[Finding]]:
    """Per patient, the factors linked with a better or worse next day, most trustworthy first.

    Parameters
    ----------
    panel : Panel
        Its variables must include the outcomes and factors to test; absent names are skipped.
    outcomes, factors : sequence of str
        Every factor is tested against every outcome (never against itself).
    min_pairs : int
        Pairs (complete for factor and outcome) a test needs, as in :func:`fit_patients`.
    trend : bool
        Adjust every test for a linear time trend too (as :func:`fit_patients`).
    same_day : sequence of str
        The factors the panel was built with as ``same_day`` (last night's sleep, filed under the
        day before): they are worded as the night before the outcome's day.  Pass the same names
        as to :func:`build_pairs`.
    day_level : sequence of str
        Variables of `panel` with one value per day in data with several prompts a day
        (:func:`~painmind.core.cycle.lags.nights.day_level`): every test involving one is fitted
        on `nights` and worded as the day before the next day's first check-in.
    nights : Panel, optional
        The cross-night pairs of the same data (:func:`~painmind.core.cycle.lags.nights.
        cross_night_pairs`, the same variables); needed when `day_level` is not empty.  A person
        missing from it gets no day-level finding.

    Returns
    -------
    list of list of Finding
        One list per patient in ``panel.patient_ids`` order, sorted by q then by the size of the
        effect; a test that is not estimable (too few pairs, a constant factor) is left out, so a
        patient below the guard gets ``[]``.

    Examples
    --------
    >>> from painmind.core.cycle import pairs_from_dense
    >>> rng = np.random.default_rng(1)
    >>> sleep = rng.normal(7, 1, 60)
    >>> pain = 5 - 0.8 * (sleep - 7) + rng.normal(0, 0.3, 60)  # last night's sleep, today's pain
    >>> panel = pairs_from_dense(np.c_[pain, sleep][None], patient_ids=["a"], variables=["pain", "sleep_hours"],
    ...                          same_day=["sleep_hours"])
    >>> print(what_helps(panel, same_day=["sleep_hours"])[0][0].text)  # doctest: +NORMALIZE_WHITESPACE
    After nights when you slept 1 hour more, your pain was on average 0.8 points lower that day, which is
    better (likely between 0.7 and 0.9 lower), from 58 nights each with the day after.
    """
    for arg, names in (("outcomes", outcomes), ("factors", factors)):
        if isinstance(names, str) or not all(isinstance(v, str) for v in names):
            raise CycleInputError(f"{arg} must be a sequence of variable names, got {names!r}")
    have = set(panel.variables)
    if isinstance(same_day, str) or not all(isinstance(v, str) for v in same_day):
        raise CycleInputError(f"same_day must be a sequence of variable names, got {same_day!r}")
    if clash := [o for o in outcomes if o in same_day and o in have]:
        raise CycleInputError(f"outcomes {clash} describe last night: test them as factors, not outcomes")
    if isinstance(day_level, str) or not all(isinstance(v, str) for v in day_level):
        raise CycleInputError(f"day_level must be a sequence of variable names, got {day_level!r}")
    daily = {v for v in day_level if v in have}
    if daily and (nights is None or not set(panel.variables) <= set(nights.variables)):
        raise CycleInputError(
            f"day-level variables {sorted(daily)} need the cross-night pairs (nights) of every variable"
        )
    tests = [(f, o) for o in dict.fromkeys(outcomes) for f in dict.fromkeys(factors) if f != o and {f, o} <= have]
    n = len(panel.patient_ids)
    if not tests:
        return [[] for _ in range(n)]
    per = np.array([_FACTORS.get(f, (1.0,))[0] for f, _ in tests])
    est = np.full((8, n, len(tests)), np.nan)  # coef, ci_low, ci_high, p, n_pairs, se, df, scale
    overnight = [bool({f, o} & daily) for f, o in tests]
    for j, (f, o) in enumerate(tests):
        source = nights if overnight[j] and nights is not None else panel
        fits = fit_patients(source.select([o, f]), min_pairs=min_pairs, trend=trend)
        b = fits.coef[:, 0, 1]
        with np.errstate(invalid="ignore", divide="ignore"):
            scale = np.where(b != 0, fits.std_coef[:, 0, 1] / b, np.nan)
        one = np.stack([
            b, fits.ci_low[:, 0, 1], fits.ci_high[:, 0, 1], fits.p[:, 0, 1], fits.n_pairs, fits.se[:, 0, 1], fits.df,
            scale,
        ])  # fmt: skip
        est[:, :, j] = one if source is panel else _reindex(one, fits.patient_ids, panel.patient_ids)
    coef, lo, hi = est[0] * per, est[1] * per, est[2] * per
    q = bh_qvalues(est[3])
    order = np.lexsort((-np.abs(coef), q), axis=-1)
    found: list[list[Finding]] = []
    for i in range(n):
        row: list[Finding] = []
        for j in order[i]:
            if np.isnan(q[i, j]):
                break  # NaN q sorts last: the rest were not estimable
            f, o = tests[j]
            unit = _FACTORS.get(f, (1.0, "unit"))[1]
            draft = Finding(
                f, o, float(coef[i, j]), float(lo[i, j]), float(hi[i, j]), float(est[3, i, j]), float(q[i, j]),
                int(est[4, i, j]), float(per[j]), unit, "", float(est[5, i, j]), float(est[6, i, j]),
                float(est[7, i, j]),
            )  # fmt: skip
            row.append(replace(draft, text=_text(draft, panel.multi_prompt, f in same_day, overnight[j])))
        found.append(row)
    return found
