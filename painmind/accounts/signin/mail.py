"""allauth's account e-mails (password reset, address verification, security notices) leave
through the task queue like every other message (painmind.lib.mail): the request only writes a
task row after its commit; `painmind worker` sends."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django_tasks import task

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
