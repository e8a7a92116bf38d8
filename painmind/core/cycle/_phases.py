"""Optional per-phase CPU accounting of the kernel, for ``benchmarks/cycle.py --phases``.

Off unless :func:`collect` is active: then :func:`lap` adds the calling thread's CPU time
(``time.thread_time``, so two threads do not count each other) to a named phase.  When off, a
lap costs one global lookup.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_totals: dict[str, float] | None = None


def start() -> float:
    """The calling thread's CPU clock when collecting, else 0."""
    return time.thread_time() if _totals is not None else 0.0


def lap(name: str, since: float) -> float:
    """Add the thread's CPU seconds since `since` to phase `name` (when collecting); the clock now."""
    totals = _totals
    if totals is None:
        return 0.0
    now = time.thread_time()
    with _lock:
        totals[name] = totals.get(name, 0.0) + now - since
    return now


@contextmanager
def collect() -> Iterator[dict[str, float]]:
    """Collect CPU seconds per phase (summed over threads) into the yielded dict, in first-seen order."""
    global _totals
    _totals = {}
    try:
        yield _totals
    finally:
        _totals = None
