"""Validated questionnaires for PainMind: definitions, scoring and change between responses.

Pure Python (no Django). Clinical facts live in the JSON files in ``data/``, each with its
section of the clinical reference; docs/instruments.md explains every rule and every choice the
reference left open.

Examples
--------
>>> from painmind.core.instruments import compare, get_instrument, score
>>> phq9 = get_instrument("PHQ-9")
>>> [item.code for item in phq9.scored_items][-1]
'44260-8'
>>> result = score(phq9, [1, 1, 1, 1, 1, 1, 1, 1, 0])
>>> result.total, result.band.label, result.screen_positive, result.safety.item9
(8.0, 'mild', False, 'negative')
>>> print(compare("phq9", result, 16.0).text)  # doctest: +NORMALIZE_WHITESPACE
Reliable worsening: up 8 points (more than the 6.9 points measurement error can explain).
This is a clinically important worsening (at least 5 points).
"""

from __future__ import annotations

from painmind.core.instruments.change import ChangeResult, compare, pain_change, plain_change, plain_step
from painmind.core.instruments.change_config import ReliableChangeConfig, load_change_config
from painmind.core.instruments.model import AnswerOption, Band, Instrument, InvalidAnswers, Item
from painmind.core.instruments.registry import INSTRUMENT_IDS, get_instrument, list_instruments
from painmind.core.instruments.scoring import (
    GAD7_PRORATE_MAX_MISSING,
    PCS_TOTAL_COMPARISON,
    SafetyResult,
    ScoreResult,
    ScoringOptions,
    SubscaleResult,
    score,
)

__all__ = [
    "GAD7_PRORATE_MAX_MISSING",
    "INSTRUMENT_IDS",
    "PCS_TOTAL_COMPARISON",
    "AnswerOption",
    "Band",
    "ChangeResult",
    "Instrument",
    "InvalidAnswers",
    "Item",
    "ReliableChangeConfig",
    "SafetyResult",
    "ScoreResult",
    "ScoringOptions",
    "SubscaleResult",
    "compare",
    "get_instrument",
    "list_instruments",
    "load_change_config",
    "pain_change",
    "plain_change",
    "plain_step",
    "score",
]
