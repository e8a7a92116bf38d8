"""Retries that arrive at the same moment still store one entry (the unique index decides)."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection

from painmind.accounts.audit import Actor
from painmind.diary.actions import do_record_checkin
from painmind.diary.models import CheckIn


@pytest.mark.django_db(transaction=True)
def test_simultaneous_identical_retries_store_one_entry(pat):
    key = uuid.uuid4()
    n = 4
    barrier = threading.Barrier(n)
    results: list[tuple[int, bool]] = []
    failures: list[BaseException] = []

    def submit() -> None:
        try:
            barrier.wait(timeout=10)
            entry, created = do_record_checkin(Actor(user=pat, via="api"), pat, {"pain": 5, "mood": 5}, client_id=key)
            results.append((entry.pk, created))
        except BaseException as exc:  # collected and reported below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert failures == []
    assert CheckIn.objects.count() == 1
    assert {pk for pk, _ in results} == {CheckIn.objects.get().pk}
    assert sorted(created for _, created in results) == [False] * (n - 1) + [True]
