"""The immutable shapes of an instrument definition and its scoring rules.

Values are filled in from the JSON files in ``data/`` by :mod:`.registry`; nothing clinical is
written here, so this module holds no thresholds.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Comparison = Literal[">=", ">"]
Aggregate = Literal["sum", "mean"]


class InvalidAnswers(ValueError):
    """Answers that cannot be scored.

    ``errors`` maps an item linkId (or ``"answers"`` for the response as a whole) to a reason
    that names the item; ``str(exc)`` joins them into one line.
    """

    def __init__(self, errors: Mapping[str, str], *, instrument: str = "") -> None:
        self.errors: dict[str, str] = dict(errors)
        reasons = "; ".join(self.errors.values())
        prefix = f"{instrument}: " if instrument else ""
        count = f"{len(self.errors)} invalid answers: " if len(self.errors) > 1 else ""
        # One line, so a log or an API error field stays readable.
        super().__init__(" ".join(f"{prefix}{count}{reasons}".split()))


@dataclass(frozen=True)
class AnswerOption:
    """One allowed answer: the stored integer, its LOINC answer code (if any) and its label."""

    value: int
    code: str | None
    display: str


@dataclass(frozen=True)
class Item:
    """One question, scored or not, in the order the patient sees it."""

    link_id: str
    number: int
    text: str | None
    code: str | None
    scored: bool
    required: bool
    options: tuple[AnswerOption, ...]
    min_value: int
    max_value: int

    @property
    def label(self) -> str:
        """How error messages name the item, e.g. ``item 3 (44259-0)``."""
        return f"item {self.number} ({self.code or self.link_id})"


@dataclass(frozen=True)
class Band:
    """A severity band: machine label, inclusive bounds and plain words for a patient."""

    label: str
    lo: float
    hi: float
    text: str

    def to_dict(self) -> dict[str, object]:
        """Return the band as a JSON-serialisable dict."""
        return {"label": self.label, "text": self.text, "lo": self.lo, "hi": self.hi}


@dataclass(frozen=True)
class CutOff:
    """A threshold on a score: ``score >= value`` or ``score > value``."""

    value: float
    comparison: Comparison
    source: str

    def met(self, score: float) -> bool:
        """Return True when ``score`` is at (for ``>=``) or above the cut-off."""
        return score >= self.value if self.comparison == ">=" else score > self.value

    def describe(self) -> str:
        """Return the cut-off in words, e.g. ``3 or more`` or ``above 30``."""
        return (
            f"{format_number(self.value)} or more" if self.comparison == ">=" else f"above {format_number(self.value)}"
        )


@dataclass(frozen=True)
class SubscaleRule:
    """A subscale: the scored item numbers (1-based) it sums, and its cut-off if any."""

    name: str
    title: str
    items: tuple[int, ...]
    cutoff: CutOff | None
    source: str


@dataclass(frozen=True)
class MissingRule:
    """How many blank scored items may be prorated; more makes the response insufficient."""

    max_prorated: int
    source: str
    option: str | None = None  # name of the ScoringOptions override when the rule is a project option


@dataclass(frozen=True)
class ScoringRules:
    """Rules beyond the bands: screening cut-off, subscales, missing items, sources."""

    screen: CutOff | None
    subscales: tuple[SubscaleRule, ...]
    missing: MissingRule
    source: str
    bands_source: str
    screen_option: str | None = None
    flag_severe_band: bool = False  # a "severe" band raises the "severe_band" flag (PHQ-9, GAD-7)


@dataclass(frozen=True)
class Instrument:
    """A questionnaire definition with its scoring rules.

    ``items`` lists every question in order, unscored ones included. For licensed instruments
    without site-supplied wording, ``available`` is False, item texts are None and
    ``unavailable_reason`` says why; scoring still works.
    """

    id: str
    title: str
    version: str
    recall: str
    stem: str | None
    copyright: str
    code: str | None
    score_code: str | None
    items: tuple[Item, ...]
    aggregate: Aggregate
    score_min: float
    score_max: float
    higher_is_worse: bool
    bands: tuple[Band, ...]
    available: bool
    unavailable_reason: str
    safety_item: str | None
    rules: ScoringRules = field(repr=False)
    fhir_json: str = field(repr=False, compare=False)

    @property
    def scored_items(self) -> tuple[Item, ...]:
        """Return the items that count towards the score."""
        return tuple(item for item in self.items if item.scored)

    def item(self, link_id: str) -> Item:
        """Return the item with this linkId (KeyError if unknown)."""
        for item in self.items:
            if item.link_id == link_id:
                return item
        raise KeyError(link_id)

    def band_for(self, total: float) -> Band | None:
        """Return the band whose lower bound is the highest one not above ``total``.

        Prorated totals can fall between two integer bands (e.g. 9.5 on the PHQ-9); comparing
        against lower bounds only puts 9.5 in 5–9, since it has not reached the next cut-off.
        """
        found = None
        for band in self.bands:
            if total >= band.lo:
                found = band
        return found

    def questionnaire(self) -> dict[str, object]:
        """Return the FHIR R4 Questionnaire as a fresh dict (a deep copy callers may change)."""
        parsed: dict[str, object] = json.loads(self.fhir_json)
        return parsed


def format_number(value: float) -> str:
    """Format a number without a trailing ``.0`` (``3``, ``5.5``, ``6.9``)."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text
