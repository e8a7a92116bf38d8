"""The task queue: django-tasks with its database backend (settings.TASKS), the same on SQLite
and PostgreSQL.

- `run_job` is the one task: it runs a module-level job of one id (``do_send_invite_mail(7)``)
  named by its dotted path. Jobs claim their work with a conditional update, so a task that runs
  twice, or a periodic pass that runs beside it, does nothing twice.
- `drain` runs every task that is ready, with django-tasks-db's own worker in batch mode, then
  returns: `painmind worker` calls it in its loop and tests call it to "let the worker run".
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.module_loading import import_string
from django_tasks import task
from django_tasks_db.management.commands.db_worker import Worker

# Only our own jobs: a row in the task table never names arbitrary code to import.
JOB_PREFIX = "painmind."


def job_path(job: Callable[[int], object]) -> str:
    """The dotted path `run_job` imports `job` by; ValueError for anything but a module-level
    function of ours."""
    path = f"{job.__module__}.{job.__qualname__}"
    if not path.startswith(JOB_PREFIX) or "<" in path or "." in job.__qualname__:
        raise ValueError(f"not a module-level painmind job: {path}")
    return path


@task()
def run_job(path: str, ref: int) -> None:
    """Run one mail job (`job_path`) for one id. Jobs never raise on a mail failure (they record
    it for the periodic pass); anything else they raise is recorded as the task's failure."""
    if not path.startswith(JOB_PREFIX):
        raise ValueError(f"not a painmind job: {path}")
    job: Callable[[int], object] = import_string(path)
    job(ref)


def drain(*, worker_id: str = "painmind") -> int:
    """Run every ready task to completion with django-tasks-db's worker (batch mode); how many ran."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    worker.run()
    return worker._run_tasks
