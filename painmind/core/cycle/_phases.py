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
_active: list[dict[str, float]] = []  # the totals being collected, if any


def start() -> float:
    """The calling thread's CPU clock when collecting, else 0."""
    return time.thread_time() if _active else 0.0


def lap(name: str, since: float) -> float:
    """Add the thread's CPU seconds since `since` to phase `name` (when collecting); the clock now."""
    if not _active:
        return 0.0
    now = time.thread_time()
    with _lock:
        if _active:
            _active[0][name] = _active[0].get(name, 0.0) + now - since
    return now


@contextmanager
def collect() -> Iterator[dict[str, float]]:
    """Collect CPU seconds per phase (summed over threads) into the yielded dict, in first-seen order."""
    totals: dict[str, float] = {}
    with _lock:
        _active[:] = [totals]
    try:
        yield totals
    finally:
        with _lock:
            _active.clear()
