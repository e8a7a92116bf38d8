"""The one outbound mail path: absolute links, queued after the commit, never raising, no text in logs."""

from __future__ import annotations

import logging

import pytest
from django.core import mail as outbox
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from conftest import REFUSING_BACKEND
from painmind.accounts.actions.invites import do_send_invite_mail
from painmind.lib import mail
from painmind.lib.tasks import run_job
from tests.tasks import run_queued_tasks

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
SECRET = "Pat Example scored 27 on the PHQ-9"  # stands for anything personal in a message


def test_absolute_url_is_the_base_url_and_the_reversed_path(settings):
    settings.BASE_URL = "https://painmind.example.org"
    assert mail.absolute_url("safety:alerts") == "https://painmind.example.org/clinician/alerts/"
    assert mail.absolute_url("care:patient_detail", 42) == "https://painmind.example.org/clinician/patients/42/"


def test_send_hands_each_message_over_and_counts_them(settings):
    settings.DEFAULT_FROM_EMAIL = "painmind@example.org"
    sent = mail.send(
        [mail.Mail("a@example.org", "Hi", "one"), mail.Mail("b@example.org", "Hi", "two")], kind="t", ref=1
    )
    assert sent == 2
    assert [(m.to, m.subject, m.body, m.from_email) for m in outbox.outbox] == [
        (["a@example.org"], "Hi", "one", "painmind@example.org"),
        (["b@example.org"], "Hi", "two", "painmind@example.org"),
    ]
    assert mail.send([], kind="t", ref=1) == 0


def test_a_failure_returns_none_and_logs_only_the_kind_and_id(settings, caplog):
    settings.EMAIL_BACKEND = REFUSING_BACKEND
    with caplog.at_level(logging.ERROR, logger="painmind.lib.mail"):
        assert mail.send([mail.Mail("a@example.org", SECRET, SECRET)], kind="invite", ref=7) is None
    [record] = caplog.records
    assert record.getMessage() == "could not send invite e-mail 7; the periodic job retries it"
    assert SECRET not in caplog.text


@pytest.mark.django_db(transaction=True)
def test_after_commit_queues_the_job_once_committed_never_on_rollback_and_the_worker_runs_it(settings):
    settings.EMAIL_BACKEND = LOCMEM
    job = "painmind.accounts.actions.invites.do_send_invite_mail"
    with transaction.atomic():
        mail.after_commit(do_send_invite_mail, 41)
        assert DBTaskResult.objects.count() == 0  # not inside the transaction
    [queued] = DBTaskResult.objects.all()
    assert (queued.task_path, queued.args_kwargs, queued.status) == (
        "painmind.lib.tasks.run_job",
        {"args": [job, 41], "kwargs": {}},
        "READY",
    )

    def failing_write() -> None:
        with transaction.atomic():
            mail.after_commit(do_send_invite_mail, 42)
            raise ZeroDivisionError  # a write that fails: rolled back

    with pytest.raises(ZeroDivisionError):
        failing_write()
    assert DBTaskResult.objects.count() == 1  # nothing about a write that never happened
    assert outbox.outbox == []  # queuing sends nothing
    assert run_queued_tasks() == 1
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"  # the job ran (no such invitation: nothing to send)
    assert run_queued_tasks() == 0


def test_only_module_level_painmind_jobs_can_be_queued():
    def local_job(ref: int) -> None:
        pass

    with pytest.raises(ValueError, match="not a module-level painmind job"):
        mail.after_commit(local_job, 1)
    with pytest.raises(ValueError, match="not a module-level painmind job"):
        mail.after_commit(print, 1)
    with pytest.raises(ValueError, match="not a painmind job"):
        run_job.call("os.system", 1)
