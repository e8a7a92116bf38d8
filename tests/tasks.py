"""Let the worker run: every queued task, through django-tasks-db's own worker (`lib.tasks.drain`).

In a test that runs inside a transaction (pytest-django's default `db`), the worker's
`close_old_connections()` would close the test's connection, as it should between tasks in
production: Django's test client switches the same housekeeping off for requests, and so does
this helper for the worker, only while a test transaction is open. Everything else (picking,
claiming, running, recording each task) is the real worker's code.
"""

from __future__ import annotations

from unittest import mock

from django.db import connection

from painmind.lib.tasks import drain


def run_queued_tasks() -> int:
    """Run every task that is queued and ready; how many ran."""
    if not connection.in_atomic_block:
        return drain(worker_id="test")
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        return drain(worker_id="test")
