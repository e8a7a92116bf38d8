"""core.instruments configured for this site (licensed wording, reliable-change overrides)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.conf import settings

from painmind.core.instruments import (
    Instrument,
    ReliableChangeConfig,
    ScoringOptions,
    get_instrument,
    list_instruments,
    load_change_config,
)


def _licensed_dir() -> Path | None:
    return Path(settings.LICENSED_INSTRUMENTS_DIR) if settings.LICENSED_INSTRUMENTS_DIR else None


def site_instrument(instrument_id: str) -> Instrument:
    """The instrument with this site's licensed wording, if any; ValueError if unknown."""
    return get_instrument(instrument_id, licensed_dir=_licensed_dir())


def site_instruments() -> list[Instrument]:
    return list_instruments(licensed_dir=_licensed_dir())


@cache
def _change_config(path: str) -> dict[str, ReliableChangeConfig]:
    return load_change_config(Path(path) if path else None)


def change_config() -> dict[str, ReliableChangeConfig]:
    return _change_config(str(settings.RELIABLE_CHANGE_FILE))


def short_name(instrument: Instrument) -> str:
    """'PHQ-9' from 'Patient Health Questionnaire-9 (PHQ-9)'; the id in capitals otherwise."""
    title = instrument.title
    if title.endswith(")") and "(" in title:
        return title.rsplit("(", 1)[1].rstrip(")")
    return instrument.id.upper()


def scoring_options() -> ScoringOptions:
    """The site's choices for rules the clinical reference leaves unverified."""
    comparison = settings.PCS_TOTAL_COMPARISON
    if comparison == ">":
        return ScoringOptions(gad7_prorate_max_missing=settings.GAD7_PRORATE_MAX_MISSING, pcs_total_comparison=">")
    if comparison == ">=":
        return ScoringOptions(gad7_prorate_max_missing=settings.GAD7_PRORATE_MAX_MISSING, pcs_total_comparison=">=")
    raise ValueError("PAINMIND_PCS_TOTAL_COMPARISON must be '>' or '>='")
