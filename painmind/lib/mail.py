"""The one way PainMind sends e-mail: critical-alert nudges, invitations, reminders, and every
message later features add.

- **Links are absolute**, built with `reverse()` and ``PAINMIND_BASE_URL`` (`absolute_url`).
- **After the commit, never inside it** (`after_commit`): a rollback must not leave an e-mail
  about something that does not exist, and a slow mail server must not hold a write open.
- **Never raises** into the request or the job (`send`): a failure is logged with the kind of
  message and an id only (never the text, which may name a patient, and never clinical
  content) and reported to the caller, which releases its claim so that the periodic job
  (`painmind alerts`, `painmind reminders`) retries it.
- **Never in a request**: every message is sent by a job, a module-level function of one id
  that claims its work with a conditional update and releases the claim on failure.
  `after_commit` queues the job on the task queue (`painmind.lib.tasks`); the worker runs it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.urls import reverse

from painmind.lib import tasks

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Mail:
    """One message to one address."""

    to: str
    subject: str
    body: str


def absolute_url(viewname: str, *args: Any) -> str:
    """The address of a page as people reach this server: ``PAINMIND_BASE_URL`` + its path."""
    return str(settings.BASE_URL) + reverse(viewname, args=args)


def connection() -> BaseEmailBackend:
    """A connection to the configured mail server, for a job that sends many messages in one go
    (``with connection() as c: send(..., via=c)``)."""
    backend: BaseEmailBackend = get_connection(fail_silently=False)
    return backend


def send(messages: Sequence[Mail], *, kind: str, ref: object, via: BaseEmailBackend | None = None) -> int | None:
    """Hand the messages to the mail server; how many it took, or None when sending failed.

    Never raises. A failure is logged as `kind` ("alert", "invite", "reminder"…) and `ref` (an
    id), so the log carries no message text and no clinical content.
    """
    if not messages:
        return 0
    email = [EmailMessage(m.subject, m.body, settings.DEFAULT_FROM_EMAIL, [m.to]) for m in messages]
    try:
        return (via or connection()).send_messages(email) or 0
    except Exception:
        logger.exception("could not send %s e-mail %s; the periodic job retries it", kind, ref)
        return None


def after_commit(job: Callable[[int], object], ref: int) -> None:
    """Queue ``job(ref)`` for the worker once the current transaction commits (at once outside
    one): the task queue's `run_job` (`painmind.lib.tasks`), never the mail server, so a request
    only ever writes one row to the task table.

    `robust`: a failure to enqueue is logged, never raised into the request that committed; the
    job's own pending state (an unsent notice, an invitation not yet e-mailed) is what the
    periodic pass retries, so nothing is lost. This is the one place that decides when mail jobs run.
    """
    path = tasks.job_path(job)

    def enqueue() -> None:
        tasks.run_job.enqueue(path, ref)

    # Django's robust on_commit names the callback in its log by __qualname__ (a partial has none).
    enqueue.__qualname__ = f"enqueue {path}({ref})"
    transaction.on_commit(enqueue, robust=True)
