"""Score one completed questionnaire.

Rules come from ``data/scoring.json`` (each with its clinical-reference section). Decisions the
reference leaves open are documented in docs/instruments.md; the two that sites may change are
:data:`GAD7_PRORATE_MAX_MISSING` and :data:`PCS_TOTAL_COMPARISON`, through :class:`ScoringOptions`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from painmind.core.instruments.answers import Answers, check_answers
from painmind.core.instruments.model import Band, Comparison, CutOff, Instrument, format_number
from painmind.core.instruments.registry import get_instrument

# ⚠ unverified project option (clinical-reference §1.3, §8): up to this many blank GAD-7 items are
# prorated. The value is read from data/scoring.json so the data file stays the one source.
GAD7_PRORATE_MAX_MISSING: Final[int] = get_instrument("gad7").rules.missing.max_prorated
# ◐ clinical-reference §1.6 [S22]: "above 30"; some sources say "30 or more" (⚠). Default ">".
PCS_TOTAL_COMPARISON: Final[Comparison] = (get_instrument("pcs").rules.screen or CutOff(30, ">", "")).comparison

Status = Literal["complete", "prorated", "insufficient"]


@dataclass(frozen=True)
class ScoringOptions:
    """Site overrides for the rules the reference does not settle (None keeps the default)."""

    gad7_prorate_max_missing: int | None = None
    pcs_total_comparison: Comparison | None = None

    def __post_init__(self) -> None:
        if self.pcs_total_comparison not in (None, ">", ">="):
            raise ValueError("pcs_total_comparison must be '>' or '>='")
        value = self.gad7_prorate_max_missing
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise ValueError("gad7_prorate_max_missing must be a whole number of items, 0 or more")


@dataclass(frozen=True)
class SubscaleResult:
    """A subscale total and, where the reference gives a cut-off, whether it is met."""

    name: str
    total: float | None
    positive: bool | None
    cutoff: float | None
    text: str

    def to_dict(self) -> dict[str, object]:
        """Return the subscale as a JSON-serialisable dict."""
        return {
            "name": self.name,
            "total": self.total,
            "positive": self.positive,
            "cutoff": self.cutoff,
            "text": self.text,
        }


@dataclass(frozen=True)
class SafetyResult:
    """PHQ-9 item 9 (thoughts of being better off dead or of self-harm), never imputed."""

    item9: Literal["negative", "positive", "unknown"]
    value: int | None

    def to_dict(self) -> dict[str, object]:
        """Return the safety result as a JSON-serialisable dict."""
        return {"item9": self.item9, "value": self.value}


@dataclass(frozen=True)
class ScoreResult:
    """The score of one response, with band, cut-offs, subscales, missing items and flags."""

    instrument: str
    version: str
    answers: tuple[int | None, ...]
    total: float | None
    band: Band | None
    screen_positive: bool | None
    subscales: tuple[SubscaleResult, ...]
    prorated: bool
    n_missing: int
    status: Status
    safety: SafetyResult | None
    flags: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        """Return the result as a JSON-serialisable dict."""
        return {
            "instrument": self.instrument,
            "version": self.version,
            "answers": list(self.answers),
            "total": self.total,
            "band": None if self.band is None else self.band.to_dict(),
            "screen_positive": self.screen_positive,
            "subscales": [s.to_dict() for s in self.subscales],
            "prorated": self.prorated,
            "n_missing": self.n_missing,
            "status": self.status,
            "safety": None if self.safety is None else self.safety.to_dict(),
            "flags": list(self.flags),
        }


def score(instrument_id: str | Instrument, answers: Answers, *, options: ScoringOptions | None = None) -> ScoreResult:
    """Score one response.

    Parameters
    ----------
    instrument_id
        An id such as ``"phq9"`` / ``"PHQ-9"``, or an :class:`Instrument`.
    answers
        One value per scored item or per item (in order), or a mapping of linkId to value;
        ``None`` = left blank.
    options
        Overrides for the configurable project options (see :class:`ScoringOptions`).

    Returns
    -------
    ScoreResult
        ``total`` is None (status ``"insufficient"``) when more items are blank than the
        instrument's missing-item rule allows. Prorated totals keep their exact value.

    Raises
    ------
    InvalidAnswers
        For out-of-range or non-integer values, a wrong length or an unknown linkId.

    Examples
    --------
    >>> r = score("phq9", [3, 3, 3, 3, 3, 3, 3, 3, None])
    >>> r.total, r.status, r.safety.item9, r.flags
    (27.0, 'prorated', 'unknown', ('prorated', 'item9_unknown', 'severe_band'))
    """
    inst = instrument_id if isinstance(instrument_id, Instrument) else get_instrument(instrument_id)
    opts = options or ScoringOptions()
    values = check_answers(inst, answers)
    scored = [v for item, v in zip(inst.items, values, strict=True) if item.scored]
    answered = [v for v in scored if v is not None]
    n_missing = len(scored) - len(answered)

    max_missing = _max_missing(inst, opts)
    cutoff = _screen(inst, opts)
    total: float | None = None
    if n_missing == 0 or (n_missing <= max_missing and answered):
        # Proration (clinical-reference §1.1 [S7]): blanks take the mean of the answered items,
        # so the sum is mean × n. One division keeps the value exact to the last bit; no rounding.
        n = len(scored) if inst.aggregate == "sum" else 1
        total = sum(answered) * n / len(answered)
    status: Status = "insufficient" if total is None else ("prorated" if n_missing else "complete")

    band = None if total is None else inst.band_for(total)
    safety = _safety(inst, values)
    flags = [
        *(["prorated"] if status == "prorated" else []),
        *(["insufficient_items"] if status == "insufficient" else []),
        *([f"item9_{safety.item9}"] if safety and safety.item9 != "negative" else []),
        *(["severe_band"] if inst.rules.flag_severe_band and band is not None and band.label == "severe" else []),
    ]
    return ScoreResult(
        instrument=inst.id,
        version=inst.version,
        answers=values,
        total=total,
        band=band,
        screen_positive=None if total is None or cutoff is None else cutoff.met(total),
        subscales=tuple(_subscales(inst, scored)),
        prorated=status == "prorated",
        n_missing=n_missing,
        status=status,
        safety=safety,
        flags=tuple(flags),
    )


def _max_missing(inst: Instrument, opts: ScoringOptions) -> int:
    rule = inst.rules.missing
    if rule.option == "GAD7_PRORATE_MAX_MISSING" and opts.gad7_prorate_max_missing is not None:
        if not 0 <= opts.gad7_prorate_max_missing < len(inst.scored_items):
            raise ValueError(f"gad7_prorate_max_missing must be 0–{len(inst.scored_items) - 1}")
        return opts.gad7_prorate_max_missing
    return rule.max_prorated


def _screen(inst: Instrument, opts: ScoringOptions) -> CutOff | None:
    cutoff = inst.rules.screen
    if cutoff is not None and inst.rules.screen_option == "PCS_TOTAL_COMPARISON" and opts.pcs_total_comparison:
        return CutOff(cutoff.value, opts.pcs_total_comparison, cutoff.source)
    return cutoff


def _safety(inst: Instrument, values: tuple[int | None, ...]) -> SafetyResult | None:
    if inst.safety_item is None:
        return None
    value = values[[item.link_id for item in inst.items].index(inst.safety_item)]
    # clinical-reference §1.1: a blank item 9 is "risk unknown", never imputed; any value ≥ 1 is positive.
    if value is None:
        return SafetyResult("unknown", None)
    return SafetyResult("positive" if value >= 1 else "negative", value)


def _subscales(inst: Instrument, scored: list[int | None]) -> list[SubscaleResult]:
    results = []
    for rule in inst.rules.subscales:
        parts = [scored[n - 1] for n in rule.items]
        cut = rule.cutoff
        cut_value = None if cut is None else cut.value
        if any(p is None for p in parts):
            results.append(
                SubscaleResult(rule.name, None, None, cut_value, f"{rule.title}: not scored (an item is blank)")
            )
            continue
        total = float(sum(p for p in parts if p is not None))
        if cut is None:
            text = f"{rule.title} score {format_number(total)} (no cut-off)"
            results.append(SubscaleResult(rule.name, total, None, None, text))
        else:
            met = cut.met(total)
            verdict = "positive" if met else "not positive"
            text = f"{rule.title} score {format_number(total)}: {verdict} (cut-off {cut.describe()})"
            results.append(SubscaleResult(rule.name, total, met, cut.value, text))
    return results
