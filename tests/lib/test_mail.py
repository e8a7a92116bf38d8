"""The one outbound mail path: absolute links, after the commit, never raising, no text in logs."""

from __future__ import annotations

import logging

import pytest
from django.core import mail as outbox
from django.db import transaction

from conftest import REFUSING_BACKEND
from painmind.lib import mail

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
def test_after_commit_runs_the_job_once_committed_never_on_rollback_and_never_raises(caplog):
    ran: list[int] = []

    def job(ref: int) -> None:
        ran.append(ref)
        if ref == 3:
            raise RuntimeError("the mail server is down")

    with transaction.atomic():
        mail.after_commit(job, 1)
        assert ran == []  # not inside the transaction
    assert ran == [1]

    def failing_write() -> None:
        with transaction.atomic():
            mail.after_commit(job, 2)
            raise ZeroDivisionError  # a write that fails: rolled back

    with pytest.raises(ZeroDivisionError):
        failing_write()
    assert ran == [1]  # nothing about a write that never happened
    mail.after_commit(job, 3)  # outside a transaction: at once; its failure is logged, not raised
    assert ran == [1, 3]
    assert "the mail server is down" in caplog.text
