"""The error raised when no valid lag pair is left, with what was dropped and why."""

from __future__ import annotations

from painmind.core.cycle.result import CycleInputError

__all__ = ["no_pairs"]


def no_pairs(n_naive: int, night: int, skipped: int, missing: int) -> None:
    """Raise CycleInputError: of `n_naive` consecutive observations none made a valid pair."""
    raise CycleInputError(
        f"no valid lag pairs: {n_naive} consecutive observations, {night} across a night or gap, "
        f"{skipped} across a skipped prompt, {missing} with a missing value"
    )
