"""painmind forget_tasks — clear finished rows out of the task table (part of the periodic pass).

Project rule (docs/privacy.md, "The task table"): an account e-mail's row (an address and a
one-time link) goes as soon as it is sent or has failed; every other finished row (a job path and
a record id) after `TASK_RESULT_DAYS` days, long enough to look into a failure. Waiting and running
rows are never touched.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from painmind.accounts.signin.mail import forget_finished_account_mail

TASK_RESULT_DAYS = 14  # django-tasks-db's own default for `prune_db_task_results`


class Command(BaseCommand):
    help = "Forget sent account e-mails at once and other finished tasks after 14 days."

    def handle(self, *args: Any, **opts: Any) -> None:
        mails = forget_finished_account_mail()
        cutoff = timezone.now() - timedelta(days=TASK_RESULT_DAYS)
        old, _ = DBTaskResult.objects.filter(status__in=["SUCCESSFUL", "FAILED"], finished_at__lt=cutoff).delete()
        if mails or old:
            self.stdout.write(f"forgot {mails} account e-mails and {old} tasks finished before {cutoff:%Y-%m-%d}")
