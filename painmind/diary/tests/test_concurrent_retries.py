"""Retries that arrive at the same moment still store one entry (the unique index decides)."""

from __future__ import annotations

import uuid

import pytest

from painmind.accounts.audit import Actor
from painmind.diary.actions import do_record_checkin
from painmind.diary.models import CheckIn
from tests.concurrency import run_at_once


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_simultaneous_identical_retries_store_one_entry(pat):
    key = uuid.uuid4()
    n = 4

    def submit() -> tuple[int, bool]:
        entry, created = do_record_checkin(Actor(user=pat, via="api"), pat, {"pain": 5, "mood": 5}, client_id=key)
        return entry.pk, created

    outcomes = run_at_once(*[submit] * n)
    assert [o.error for o in outcomes] == [None] * n
    results = [o.value for o in outcomes]
    assert CheckIn.objects.count() == 1
    assert {pk for pk, _ in results} == {CheckIn.objects.get().pk}
    assert sorted(created for _, created in results) == [False] * (n - 1) + [True]
