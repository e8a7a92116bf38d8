"""The one error type for bad input to the cycle analysis."""

from __future__ import annotations

__all__ = ["CycleInputError"]


class CycleInputError(ValueError):
    """Bad input to the cycle analysis; ``str(exc)`` is one line naming the column or argument."""
