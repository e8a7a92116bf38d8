"""Calls made at the same moment, as concurrent requests or overlapping job runs would make them.

The race tests of every app use this one harness: each call runs in its own thread, a barrier
releases them together, and each thread closes its own database connection (Django opens one
per thread). The tests need ``@pytest.mark.django_db(transaction=True)``, so that the threads
see each other's commits, and are marked ``slow``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection


@dataclass
class Outcome:
    """What one call returned, or the exception it raised."""

    value: Any = None
    error: BaseException | None = None


def run_at_once(*calls: Callable[[], Any], timeout_s: float = 30) -> list[Outcome]:
    """Run the calls in threads released together; their outcomes in the order given."""
    barrier = threading.Barrier(len(calls))
    outcomes = [Outcome() for _ in calls]

    def run(call: Callable[[], Any], outcome: Outcome) -> None:
        try:
            barrier.wait(timeout=10)
            outcome.value = call()
        except BaseException as exc:  # handed to the test, which asserts on it
            outcome.error = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c, o)) for c, o in zip(calls, outcomes, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout_s)
    if any(t.is_alive() for t in threads):
        raise TimeoutError(f"a call was still running after {timeout_s} s")
    return outcomes
