"""An account e-mail's task row (the address and a one-time link) does not outlive its purpose:
the periodic pass forgets it once sent, and deleting the account forgets the ones still queued.
Other finished task rows (a job path and an id) stay 14 days (docs/privacy.md)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from conftest import PASSWORD
from painmind.accounts.signin.mail import send_account_mail
from painmind.lib.tasks import run_job
from tests.tasks import run_queued_tasks

ACCOUNT_MAIL = "painmind.accounts.signin.mail.send_account_mail"


def _addresses() -> list[str]:
    return sorted(r.args_kwargs["args"][0] for r in DBTaskResult.objects.filter(task_path=ACCOUNT_MAIL))


@pytest.mark.django_db(transaction=True)
def test_a_sent_reset_link_leaves_the_task_table_at_the_next_periodic_pass(client, pat, mailoutbox):
    assert client.post("/accounts/password/reset/", {"email": "pat@example.org"}).status_code == 302
    [row] = DBTaskResult.objects.filter(task_path=ACCOUNT_MAIL)
    assert "password/reset/key" in row.args_kwargs["args"][2]  # what the row holds until then
    assert run_queued_tasks() == 1
    assert len(mailoutbox) == 1
    # Another job's row, finished 13 and 15 days ago: only the older one goes.
    recent, old = (run_job.enqueue("painmind.accounts.actions.invites.do_send_invite_mail", i) for i in (1, 2))
    assert run_queued_tasks() == 2
    now = timezone.now()
    DBTaskResult.objects.filter(pk=recent.id).update(finished_at=now - timedelta(days=13))
    DBTaskResult.objects.filter(pk=old.id).update(finished_at=now - timedelta(days=15))
    waiting = send_account_mail.enqueue("kim@example.org", "Reset", "a link")  # not yet sent: stays
    call_command("forget_tasks")
    assert sorted(str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)) == sorted(
        [str(recent.id), str(waiting.id)]
    )


@pytest.mark.django_db(transaction=True)
def test_deleting_an_account_forgets_the_mail_queued_for_its_address(client, pat, mailoutbox):
    send_account_mail.enqueue("PAT@example.org", "Reset your password", "a one-time link")
    send_account_mail.enqueue("olga@example.org", "Reset your password", "another link")
    client.force_login(pat)
    r = client.post("/settings/delete-account/", {"password": PASSWORD})
    assert r.status_code == 302
    assert _addresses() == ["olga@example.org"]  # the other address still gets its mail
    assert run_queued_tasks() == 1
    assert [m.to for m in mailoutbox] == [["olga@example.org"]]
