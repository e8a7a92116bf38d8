"""A seam for per-day "what helps me" factors from apps the analysis may not import.

`insights` and `selfcare` are siblings in one layer (pyproject's import-linter contract: they
must not import each other), so selfcare registers a source here from its AppConfig.ready() and
insights asks every registered source. A source takes patient ids and returns rows
``(patient_id, local day, {factor: value or None})``; None is a missing day, never 0.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

Row = tuple[int, date, dict[str, float | None]]
FactorSource = Callable[[list[int]], Iterable[Row]]
_SOURCES: list[FactorSource] = []


def register_factor_source(source: FactorSource) -> None:
    if source not in _SOURCES:
        _SOURCES.append(source)


def factor_rows(patient_ids: Iterable[int]) -> list[Row]:
    """Every registered source's rows for these patients, in registration order."""
    ids = list(patient_ids)
    return [row for source in _SOURCES for row in source(ids)]
