"""Change between two responses: reliable change (Jacobson–Truax) and clinically important change.

Reliable change (clinical-reference §3 [S43]): RCI = Δ / (√2 · SEM), reliable when |RCI| > 1.96,
i.e. when |Δ| is strictly greater than 1.96 · √2 · SEM points. SEM inputs and their sources are
in ``data/reliable_change.json``; a site may override them with its own file (e.g. a
clinical-sample SD for the GAD-7, as §3 recommends). Clinically important change uses the MCIDs
in ``data/mcid.json``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Final, Literal

from painmind.core.instruments.change_config import Mcid, ReliableChangeConfig, load_change_config, mcids
from painmind.core.instruments.model import Instrument, format_number
from painmind.core.instruments.registry import get_instrument, normalise_id
from painmind.core.instruments.scoring import ScoreResult

# Edges are compared with this slack so that 6.0 − 4.2 (1.7999999999999998 in floating point)
# still counts as the 1.8 it stands for.
TOLERANCE: Final[float] = 1e-9

Reliable = Literal["reliable_improvement", "reliable_worsening", "no_reliable_change"]


@dataclass(frozen=True)
class ChangeResult:
    """How a score moved between two responses, and whether the move means anything."""

    instrument: str
    before: float
    after: float
    delta: float
    rci: float | None
    threshold: float | None
    reliable: Reliable | None
    mcid: float | None
    clinically_important: bool | None
    percent_change: float | None
    text: str

    def to_dict(self) -> dict[str, object]:
        """Return the result as a JSON-serialisable dict."""
        return asdict(self)


def compare(
    instrument_id: str | Instrument,
    before: ScoreResult | float,
    after: ScoreResult | float,
    *,
    config: Mapping[str, ReliableChangeConfig] | None = None,
) -> ChangeResult:
    """Compare two scores of the same instrument.

    Parameters
    ----------
    instrument_id
        An instrument id (``"phq9"``, ``"PHQ-9"``) or :class:`Instrument`.
    before, after
        Scores or totals; a ScoreResult without a total is refused.
    config
        Reliable-change settings; default :func:`load_change_config`. No entry → ``reliable`` None.

    Returns
    -------
    ChangeResult

    Raises
    ------
    ValueError
        If a response has no score, belongs to another instrument, or a total is out of range.

    Examples
    --------
    >>> compare("phq9", 12, 20).reliable
    'reliable_worsening'
    >>> compare("phq9", 12, 18).reliable
    'no_reliable_change'
    """
    inst = instrument_id if isinstance(instrument_id, Instrument) else get_instrument(instrument_id)
    b = _total(inst, before, "before")
    a = _total(inst, after, "after")
    rc = (load_change_config() if config is None else config).get(inst.id)
    return _change(inst.id, b, a, higher_is_worse=inst.higher_is_worse, rc=rc, mcid=mcids().get(inst.id))


def pain_change(before: float, after: float) -> ChangeResult:
    """Compare two 0–10 pain NRS ratings with Farrar's rule (clinical-reference §1.10 [S44]).

    A change is clinically important when it is at least 2 points or at least 30% of the
    baseline. There is no reliable-change threshold for a single rating (§3).

    Examples
    --------
    >>> pain_change(6, 4).clinically_important
    True
    """
    values = [_number(v, name, 0.0, 10.0, "pain NRS") for v, name in ((before, "before"), (after, "after"))]
    return _change("pain_nrs", values[0], values[1], higher_is_worse=True, rc=None, mcid=mcids()["pain_nrs"])


def _change(
    key: str, b: float, a: float, *, higher_is_worse: bool, rc: ReliableChangeConfig | None, mcid: Mcid | None
) -> ChangeResult:
    delta = a - b
    worse = (delta > 0) == higher_is_worse
    rci: float | None = None
    threshold: float | None = None
    reliable: Reliable | None = None
    if rc is not None:
        threshold = rc.threshold
        rci = delta / (math.sqrt(2) * rc.sem)
        # Strictly greater (|RCI| > 1.96, §3); a change equal to the threshold is not reliable.
        if abs(delta) > threshold + TOLERANCE:
            reliable = "reliable_worsening" if worse else "reliable_improvement"
        else:
            reliable = "no_reliable_change"
    important: bool | None = None
    if mcid is not None:
        # MCIDs name the smallest change that matters, so reaching one counts (inclusive).
        important = abs(delta) >= mcid.points - TOLERANCE
        if mcid.percent is not None and b > 0:
            important = important or abs(delta) >= mcid.percent * b / 100 - TOLERANCE
    percent = None if b == 0 else delta / b * 100
    return ChangeResult(
        instrument=key,
        before=b,
        after=a,
        delta=delta,
        rci=rci,
        threshold=threshold,
        reliable=reliable,
        mcid=None if mcid is None else mcid.points,
        clinically_important=important,
        percent_change=percent,
        text=_text(delta, percent, worse=worse, reliable=reliable, threshold=threshold, mcid=mcid, important=important),
    )


def _text(
    delta: float,
    percent: float | None,
    *,
    worse: bool,
    reliable: Reliable | None,
    threshold: float | None,
    mcid: Mcid | None,
    important: bool | None,
) -> str:
    n = format_number(abs(delta))
    move = "no change" if n == "0" else f"{'up' if delta > 0 else 'down'} {n} point{'' if n == '1' else 's'}"
    if mcid is not None and mcid.percent is not None and percent is not None and n != "0":
        # The percentage matters only where the MCID has a percentage rule (Farrar, §1.10).
        move += f" or {format_number(abs(percent))}%"
    if n == "0":
        text = "No change."
    elif reliable is None or threshold is None:
        text = f"{move[0].upper()}{move[1:]}; no reliable-change threshold is set for this measure."
    else:
        limit = f"the {format_number(threshold)} points measurement error can explain"
        text = {
            "reliable_worsening": f"Reliable worsening: {move} (more than {limit}).",
            "reliable_improvement": f"Reliable improvement: {move} (more than {limit}).",
            "no_reliable_change": f"No reliable change: {move} (no more than {limit}).",
        }[reliable]
    if mcid is not None and important is not None:
        rule = f"at least {format_number(mcid.points)} points"
        if mcid.percent is not None:
            rule += f" or {format_number(mcid.percent)}% of the starting score"
        kind = "worsening" if worse else "improvement"
        text += (
            f" This is a clinically important {kind} ({rule})."
            if important
            else f" This is less than a clinically important change ({rule})."
        )
    return text


def plain_change(measure: str, change: Mapping[str, object], *, since: str, higher_is_worse: bool = True) -> str:
    """The change as one plain sentence for a score row, the method left to `ChangeResult.text`.

    `change` is a stored :meth:`ChangeResult.to_dict` (``delta`` and ``reliable`` are read);
    `since` names the earlier score's date. "More than measurement error" is the reliable-change
    rule of clinical-reference §3 (|RCI| > 1.96) in words; `higher_is_worse` says which way
    is better.

    Examples
    --------
    >>> plain_change("PHQ-9", compare("phq9", 18, 11).to_dict(), since="3 Mar 2025")
    'PHQ-9 fell by 7 points since 3 Mar 2025 — more than measurement error, so reliably better'
    >>> plain_change("PHQ-9", compare("phq9", 11, 12).to_dict(), since="3 Mar 2025")
    'PHQ-9 rose by 1 point since 3 Mar 2025 — within measurement error'
    """
    delta = change.get("delta")
    if not isinstance(delta, int | float) or isinstance(delta, bool):
        return ""
    n = format_number(abs(delta))
    if n == "0":
        return f"{measure} unchanged since {since}"
    moved = f"{measure} {'rose' if delta > 0 else 'fell'} by {n} point{'' if n == '1' else 's'} since {since}"
    return moved + _verdict(delta, change.get("reliable"), higher_is_worse)


def plain_step(
    measure: str, before: float, after: float, reliable: object, *, on: str, higher_is_worse: bool = True
) -> str:
    """One score against the one before as a plain sentence (the clinician panel's arrows), with
    the same verdict as `plain_change`; `reliable` is `ChangeResult.reliable`, `on` the newer
    score's date as the page writes it.

    Examples
    --------
    >>> plain_step("PHQ-9", 12, 19, compare("phq9", 12, 19).reliable, on="3 Nov")
    'PHQ-9 went from 12 to 19 on 3 Nov — more than measurement error, so reliably worse'
    >>> plain_step("GAD-7", 9, 6, compare("gad7", 9, 6).reliable, on="3 Nov")
    'GAD-7 went from 9 to 6 on 3 Nov — within measurement error'
    >>> plain_step("PHQ-9", 12, 12, compare("phq9", 12, 12).reliable, on="3 Nov")
    'PHQ-9 stayed at 12 on 3 Nov'
    """
    old, new = format_number(before), format_number(after)
    if old == new:
        return f"{measure} stayed at {new} on {on}"
    return f"{measure} went from {old} to {new} on {on}" + _verdict(after - before, reliable, higher_is_worse)


def _verdict(delta: float, reliable: object, higher_is_worse: bool) -> str:
    """ " — within measurement error" and the like: clinical-reference §3's reliable change
    (|RCI| > 1.96) in words, for a non-zero `delta`."""
    if reliable == "no_reliable_change":
        return " — within measurement error"
    if reliable in ("reliable_worsening", "reliable_improvement"):
        worse = (delta > 0) == higher_is_worse
        return f" — more than measurement error, so reliably {'worse' if worse else 'better'}"
    return " (no measurement-error threshold is set for this measure)"


def _total(inst: Instrument, value: ScoreResult | float, name: str) -> float:
    if isinstance(value, ScoreResult):
        if normalise_id(value.instrument) != inst.id:
            raise ValueError(f"cannot compare: the {name} response is a {value.instrument} score, not {inst.id}")
        if value.total is None:
            raise ValueError(
                f"cannot compare: the {name} response has no score (status {value.status}: too many blank items)"
            )
        return value.total
    return _number(value, name, inst.score_min, inst.score_max, inst.id)


def _number(value: object, name: str, lo: float, hi: float, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"cannot compare: the {name} score {value!r} is not a number")
    if not lo <= value <= hi:
        bounds = f"{format_number(lo)}–{format_number(hi)}"
        raise ValueError(f"cannot compare: the {name} score {value} is outside the {what} range {bounds}")
    return float(value)
