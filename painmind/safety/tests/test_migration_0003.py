"""safety/0003: open self-harm alerts from before attaching join the new scheme without closing any."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from painmind.safety.models import Alert

BEFORE = ("safety", "0002_alert_entries_notices_screenings")
T0 = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)


def _latest() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_newest_open_self_harm_alert_takes_the_key_and_each_gets_its_entry(pat):
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    try:
        executor.loader.build_graph()
        old = executor.loader.project_state([BEFORE]).apps.get_model("safety", "Alert")

        def make(key, title, minutes, **extra):
            return old.objects.create(
                patient_id=pat.pk,
                kind="self_harm",
                severity="critical",
                key=key,
                title=title,
                source_type="questionnaire_response",
                source_id=key.split(":")[1],
                created_at=T0 + dt.timedelta(minutes=minutes),
                **extra,
            ).pk

        older = make("response:11", "PHQ-9 item 9 (thoughts of being better off dead or of self-harm) answered 2", 0)
        newest = make("response:12", "PHQ-9 item 9 (thoughts of self-harm) left blank: risk unknown", 5)
        done = make(
            "response:10",
            "PHQ-9 item 9 (thoughts of being better off dead or of self-harm) answered 3",
            -60,
            acknowledged_at=T0,
            acknowledged_by_id=pat.pk,  # any user satisfies the constraint for this test
        )
    finally:
        _latest()
    rows = {a.pk: a for a in Alert.objects.all()}
    assert (rows[newest].key, rows[newest].level) == ("self_harm", 0)
    assert (rows[older].key, rows[older].level) == ("response:11", 2)  # still open, own key
    assert rows[older].is_open
    assert rows[newest].is_open
    assert rows[done].key == "response:10"  # closed alerts are left alone
    assert [e.source_id for e in rows[newest].entries.all()] == ["12"]
    assert [(e.source_id, e.level) for e in rows[older].entries.all()] == [("11", 2)]
    assert rows[done].entries.count() == 0
