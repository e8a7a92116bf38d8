"""A mail server that accepts connections and never answers cannot slow a patient's crisis
response: the request only queues; the worker meets the hang, times out, records the failure,
and a later pass delivers through a server that works."""

from __future__ import annotations

import io
import time

import pytest
from django.core.management import call_command

from painmind.safety.models import Alert, AlertNotice
from tests.smtp import Server
from tests.tasks import run_queued_tasks

from .test_safety import phq9

SMTP = "django.core.mail.backends.smtp.EmailBackend"
TIMEOUT_S = 3  # the worker's EMAIL_TIMEOUT here; a request that waited on the mail server would take this long


@pytest.fixture
def hung():
    server = Server(hang=True)
    yield server
    server.stop()


@pytest.fixture
def working():
    server = Server(hang=False)
    yield server
    server.stop()


def point_mail_at(settings, server: Server) -> None:
    settings.EMAIL_BACKEND = SMTP
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = TIMEOUT_S


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)  # commits for real, so the request's on-commit queueing runs
def test_a_hung_mail_server_never_touches_the_request_and_the_worker_records_and_retries(
    client, pat, cara, token_for, settings, hung, working
):
    point_mail_at(settings, hung)
    headers = token_for(pat)
    started = time.monotonic()
    r = phq9(client, headers, [1] * 8, 2)  # item 9 = 2
    elapsed = time.monotonic() - started
    assert r.status_code == 201
    assert r.json()["crisis"] is not None  # the crisis block's content comes back at once
    assert hung.connections == 0  # no mail I/O at all in the request
    assert elapsed < TIMEOUT_S  # and so no wait on the hung server
    [notice] = AlertNotice.objects.all()
    assert (notice.clinician, notice.reason, notice.sent_at, notice.attempts) == (cara, "new", None, 0)

    started = time.monotonic()
    assert run_queued_tasks() == 1  # the worker tries: connects, hears nothing, gives up
    waited = time.monotonic() - started
    assert hung.connections == 1
    assert TIMEOUT_S - 0.5 <= waited < TIMEOUT_S + 10
    notice.refresh_from_db()
    assert (notice.sent_at, notice.attempts, notice.failed_at is not None) == (None, 1, True)
    assert Alert.objects.get().notified_at is None

    point_mail_at(settings, working)
    out = io.StringIO()
    call_command("alerts", stdout=out)
    assert out.getvalue().strip() == "Raised 0 alerts, closed 0.\nEmailed 1 clinician about critical alerts."
    [(to, data)] = working.messages
    assert to == ["cara@example.org"]
    assert "a new alert that needs your attention" in data
    notice.refresh_from_db()
    assert (notice.sent_at is not None, notice.attempts) == (True, 2)
    assert hung.connections == 1  # nothing more went to the hung one
