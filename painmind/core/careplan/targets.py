"""What a goal can be measured by, its target, and how far a value is from it (pure Python)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from painmind.core.checkin import SCALES

Comparator = Literal["lt", "le", "ge", "gt"]
COMPARATORS: tuple[Comparator, ...] = ("lt", "le", "ge", "gt")
SYMBOLS: dict[str, str] = {"lt": "<", "le": "≤", "ge": "≥", "gt": ">"}


@dataclass(frozen=True)
class Measure:
    """Something a goal can be measured by, with the range a target must lie in."""

    id: str
    label: str
    kind: Literal["instrument", "checkin"]
    lo: float
    hi: float
    unit: str = ""

    @property
    def choice_label(self) -> str:
        """How a form lists it: ``"PHQ-9 (0–27)"``, ``"Pain, daily check-in (0–10)"``."""
        where = "" if self.kind == "instrument" else ", daily check-in"
        unit = f" {self.unit}" if self.unit else ""
        return f"{self.label}{where} ({format_value(self.lo)}–{format_value(self.hi)}{unit})"


def checkin_measures() -> list[Measure]:
    """Every numeric daily check-in variable, with its bounds from ``core.checkin``."""
    return [Measure(s.name, s.label, "checkin", float(s.lo), float(s.hi), s.unit) for s in SCALES]


def instrument_measure(instrument_id: str, label: str, score_min: float, score_max: float) -> Measure:
    """A questionnaire total as a measure (range from the instrument's scoring rules)."""
    return Measure(instrument_id, label, "instrument", float(score_min), float(score_max))


def format_value(value: float) -> str:
    """A target or bound without a trailing ``.0``: ``4``, ``4.5``, ``1440``."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def format_day(day: date) -> str:
    """``1 Mar 2027`` (no zero padding, English month abbreviations whatever the locale)."""
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    return f"{day.day} {months[day.month - 1]} {day.year}"


def describe_target(comparator: str, target: float, target_on: date | None = None) -> str:
    """``"≤ 4 by 1 Mar 2027"`` or ``"< 10"``."""
    text = f"{SYMBOLS[comparator]} {format_value(target)}"
    return f"{text} by {format_day(target_on)}" if target_on is not None else text


def target_met(value: float, comparator: str, target: float) -> bool:
    """Whether ``value`` satisfies ``value <comparator> target``."""
    if comparator == "lt":
        return value < target
    if comparator == "le":
        return value <= target
    if comparator == "ge":
        return value >= target
    if comparator == "gt":
        return value > target
    raise ValueError(f"unknown comparator {comparator!r}; expected one of {', '.join(COMPARATORS)}")


def fraction_of_way(baseline: float, current: float, target: float, comparator: str) -> float:
    """How far ``current`` has come from ``baseline`` towards ``target``, clipped to 0–1.

    The comparator gives the direction: ``lt``/``le`` goals want the value to fall, ``ge``/``gt``
    goals want it to rise. A move the wrong way counts as 0, past the target as 1. When the
    baseline already meets the target there is no distance to cover: 1 if the target is still
    met, else 0.

    >>> round(fraction_of_way(7.0, 5.3, 4.0, "le"), 4)
    0.5667
    >>> fraction_of_way(2.0, 8.0, 6.0, "ge"), fraction_of_way(4.0, 3.0, 6.0, "ge")
    (1.0, 0.0)
    """
    if target_met(baseline, comparator, target):
        return 1.0 if target_met(current, comparator, target) else 0.0
    distance = baseline - target if comparator in ("lt", "le") else target - baseline
    moved = baseline - current if comparator in ("lt", "le") else current - baseline
    if distance <= 0:  # a strict target (< 10) with the baseline exactly on it (10)
        return 1.0 if target_met(current, comparator, target) else 0.0
    return min(1.0, max(0.0, moved / distance))
