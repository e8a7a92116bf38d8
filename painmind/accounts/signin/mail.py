"""allauth's account e-mails (password reset, address verification, security notices) leave
through the task queue like every other message (painmind.lib.mail): the request only writes a
task row after its commit; `painmind worker` sends.

Unlike the other mail jobs (a job path and a record id), an account e-mail's task row holds the
address and the text with its one-time link, so it must not outlive its purpose (project rule,
docs/privacy.md): the periodic pass forgets a sent or failed one (`forget_finished_account_mail`),
and deleting an account forgets the ones still waiting for its address (`forget_account_mail_to`)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from painmind.lib import mail

logger = logging.getLogger(__name__)


@task()
def send_account_mail(to: str, subject: str, body: str) -> None:
    """Send one account e-mail. Its text holds a one-time link and no clinical content; a failure
    is logged without it (the person can ask for another link)."""
    if mail.connection().send_messages([EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to])]) != 1:
        logger.error("could not send an account e-mail")


def queue_account_mail(to: str, subject: str, body: str) -> None:
    def enqueue() -> None:
        send_account_mail.enqueue(to, subject, body)

    enqueue.__qualname__ = "enqueue account mail"
    transaction.on_commit(enqueue, robust=True)


def _account_mail_rows() -> QuerySet[DBTaskResult[..., None]]:
    return DBTaskResult.objects.filter(task_path=send_account_mail.module_path)


def forget_finished_account_mail() -> int:
    """Delete the task rows of account e-mails that were sent or failed (their address and link
    served their purpose: a failed one is asked for again); how many."""
    n, _ = _account_mail_rows().filter(status__in=["SUCCESSFUL", "FAILED"]).delete()
    return n


def forget_account_mail_to(email: str) -> int:
    """Delete the task rows of account e-mails to `email` that are waiting or done (a deleted
    account's address leaves the queue with it; one the worker holds right now finishes, and the
    next periodic pass forgets it); how many."""
    address = email.strip().lower()
    ids = [
        row.pk
        for row in _account_mail_rows().exclude(status="RUNNING").only("id", "args_kwargs")
        if str((row.args_kwargs.get("args") or [""])[0]).strip().lower() == address
    ]
    n, _ = DBTaskResult.objects.filter(pk__in=ids).delete()
    return n
