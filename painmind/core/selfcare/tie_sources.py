"""A seam for the care plan's tied interventions: how much the tool each prescribes was used.

`careplan` and `selfcare` are siblings in one import layer (pyproject's import-linter contract:
they must not import each other), so, as with `factor_sources`, the seam lives here: selfcare
registers a source from its AppConfig.ready() and the care plan asks every registered source. A
source takes the viewer (an `accounts.audit.Actor`, untyped here: core knows no Django), the
patient's id and the ties, and returns ``{intervention id: one line of text}``; it decides what
the viewer may see (per-tool sharing) and audits its own reads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Tie:
    """One open intervention tied to a tool (`tools.TOOL_LABELS` key), with its weekly count."""

    intervention_id: int
    tool: str
    per_week: int | None


TieSource = Callable[[Any, int, list[Tie]], dict[int, str]]
_SOURCES: list[TieSource] = []


def register_tie_source(source: TieSource) -> None:
    if source not in _SOURCES:
        _SOURCES.append(source)


def tie_usage(actor: Any, patient_id: int, ties: list[Tie]) -> dict[int, str]:
    """Each tie's usage line from the registered sources (no ties: no source is asked)."""
    out: dict[int, str] = {}
    if not ties:
        return out
    for source in _SOURCES:
        out.update(source(actor, patient_id, ties))
    return out
