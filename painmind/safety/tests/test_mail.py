"""Critical alerts: one notice per clinician with active consent, queued in the request, sent once by
the worker (a neutral link, no clinical content), retried by the periodic pass."""

from __future__ import annotations

import io
import logging

import pytest
from django.core import mail
from django.core.management import call_command

from conftest import REFUSING_BACKEND
from painmind.accounts.actions import do_create_user, do_grant_consent, do_revoke_consent
from painmind.accounts.audit import Actor
from painmind.diary.models import QuestionnaireResponse
from painmind.safety.actions import do_acknowledge_alert, do_raise_alert
from painmind.safety.mail import do_send_alert_notices
from painmind.safety.models import Alert, AlertKind, AlertNotice, Severity
from painmind.safety.notify import do_notice_pass, notified_count, queue_alert_notices
from tests.concurrency import run_at_once
from tests.tasks import run_queued_tasks

from .test_safety import phq9, phq9_form

SITE = "https://painmind.example.org"
LINK = f"{SITE}/clinician/alerts/"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _site(settings):
    # Not the default 127.0.0.1:8000, whose "27" would hide a leaked PHQ-9 total of 27.
    settings.BASE_URL = SITE


def clinician(email, name):
    return do_create_user(
        email, "x" * 20, role="clinician", discipline="primary_care", display_name=name, check_password=False
    )


def share(patient, doctor):
    consent, _ = do_grant_consent(Actor(user=patient, via="web"), doctor.email)
    return consent


def run_pass():
    out = io.StringIO()
    call_command("alerts", stdout=out)
    return out.getvalue().strip()


def self_harm_alert(patient, key="response:1"):
    alert, _ = do_raise_alert(patient, AlertKind.SELF_HARM, Severity.CRITICAL, key=key, title="PHQ-9 item 9 answered 3")
    return alert


def notices(alert=None):
    qs = AlertNotice.objects.order_by("clinician__email", "id")
    if alert is not None:
        qs = qs.filter(alert=alert)
    return [(n.clinician.email, n.reason, n.sent_at is not None, n.attempts) for n in qs]


def test_self_harm_answer_queues_one_notice_per_consenting_clinician_and_the_request_sends_nothing(
    client, pat, cara, olga, token_for, django_capture_on_commit_callbacks
):
    dan = clinician("dan@example.org", "Dr Dan Ode")
    share(pat, dan)
    rita = clinician("rita@example.org", "Dr Rita Gone")
    do_revoke_consent(Actor(user=pat, via="web"), share(pat, rita).pk)
    with django_capture_on_commit_callbacks(execute=True):
        r = phq9(client, token_for(pat), [3, 3, 3, 3, 3, 3, 3, 3], 3)  # total 27, item 9 = 3
    assert r.status_code == 201
    assert r.json()["total"] == 27
    assert mail.outbox == []  # the request only queued
    # One notice per clinician with active consent: cara and dan; not olga (never), not rita (revoked).
    assert notices() == [("cara@example.org", "new", False, 0), ("dan@example.org", "new", False, 0)]
    alert = Alert.objects.get(kind="self_harm")
    assert notified_count(alert) == 2
    assert alert.notified_at is None
    assert run_queued_tasks() == 1  # one task sends the alert's notices
    assert sorted(m.to for m in mail.outbox) == [["cara@example.org"], ["dan@example.org"]]
    assert notices() == [("cara@example.org", "new", True, 1), ("dan@example.org", "new", True, 1)]
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        assert LINK in message.body
        assert "A patient who shares their PainMind diary with you has a new alert" in message.body
        for leak in (
            "Pat",
            "pat@example.org",
            "PHQ",
            "phq9",
            "27",
            "item 9",
            "self-harm",
            "self_harm",
            "Self-harm",
            "critical",
            "3 3",
            "dead",
        ):
            assert leak not in text, leak
    alert.refresh_from_db()
    assert alert.notified_at is not None


def test_the_notices_wait_for_the_commit_and_the_worker(pat, cara, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        self_harm_alert(pat)
        assert notices() == [("cara@example.org", "new", False, 0)]  # in the same transaction as the alert
    assert len(callbacks) == 1
    assert run_queued_tasks() == 0  # nothing queued before the commit
    callbacks[0]()  # the commit: the task is queued, nothing is sent
    assert mail.outbox == []
    assert run_queued_tasks() == 1
    assert [m.to for m in mail.outbox] == [["cara@example.org"]]


def test_exactly_once_when_raised_twice_the_worker_runs_twice_and_the_pass_runs_twice(
    pat, cara, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = self_harm_alert(pat)
        second = self_harm_alert(pat)  # same key: the open alert, not a new one
    assert first.pk == second.pk
    assert run_queued_tasks() == 1
    assert run_queued_tasks() == 0
    assert do_send_alert_notices(first.pk) == 0  # the task run again by hand: already sent
    assert len(mail.outbox) == 1
    assert run_pass() == "Raised 0 alerts, closed 0."
    assert run_pass() == "Raised 0 alerts, closed 0."
    assert len(mail.outbox) == 1


def test_warnings_are_not_emailed(client, pat, cara, token_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        r = phq9(client, token_for(pat), [3, 3, 3, 3, 3, 3, 3, 3], 0)  # 24: severe band, item 9 = 0
        alert, _ = do_raise_alert(pat, AlertKind.FLARE, Severity.WARNING, key="flare", title="Pain flare")
    assert r.status_code == 201
    assert set(Alert.objects.values_list("kind", "severity")) == {("severe_band", "warning"), ("flare", "warning")}
    assert queue_alert_notices(alert, "worse") == 0
    assert run_queued_tasks() == 0
    run_pass()
    assert mail.outbox == []
    assert notices() == []
    assert not Alert.objects.filter(notified_at__isnull=False).exists()


def test_nobody_connected_nothing_sent_until_a_clinician_joins_while_it_is_open(
    pat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        alert = self_harm_alert(pat)
    assert notified_count(alert) == 0  # the crisis block must not say anyone was told
    assert run_queued_tasks() == 0
    assert run_pass() == "Raised 0 alerts, closed 0."
    alert.refresh_from_db()
    assert alert.notified_at is None  # nobody has been told
    gp = clinician("gp@example.org", "Dr G P")
    share(pat, gp)
    assert run_pass() == "Raised 0 alerts, closed 0.\nEmailed 1 clinician about critical alerts."
    assert [m.to for m in mail.outbox] == [["gp@example.org"]]
    assert notices() == [("gp@example.org", "new", True, 1)]


def test_a_further_reason_queues_again_but_never_twice_for_a_message_still_waiting(
    pat, cara, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        alert = self_harm_alert(pat)
        assert queue_alert_notices(alert, "worse") == 1  # cara still has an unsent "new": no second message
    assert notices() == [("cara@example.org", "new", False, 0)]
    assert run_queued_tasks() == 1
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert queue_alert_notices(alert, "acute") == 1
    assert run_queued_tasks() == 1
    assert notices() == [("cara@example.org", "new", True, 1), ("cara@example.org", "acute", True, 1)]
    assert "has new information on an alert that needs your attention" in mail.outbox[1].body
    assert notified_count(alert) == 1  # clinicians, not messages


def test_acknowledged_alerts_are_not_emailed_later(pat, cara, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = REFUSING_BACKEND
    with django_capture_on_commit_callbacks(execute=True):
        alert = self_harm_alert(pat)
    assert run_queued_tasks() == 1
    assert notices() == [("cara@example.org", "new", False, 1)]  # tried once, failed
    do_acknowledge_alert(Actor(user=cara, via="web"), alert.pk, "Saw it on the panel; phoned Pat, safe.")
    settings.EMAIL_BACKEND = LOCMEM
    assert do_notice_pass().sent == 0
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_a_mail_failure_keeps_the_save_and_the_crisis_page_and_the_pass_retries(client, pat, cara, settings, caplog):
    settings.EMAIL_BACKEND = REFUSING_BACKEND
    client.force_login(pat)
    r = client.post("/me/measures/phq9/", phq9_form("2"), follow=True)
    assert r.status_code == 200
    html = r.content.decode()
    assert 'href="tel:116123"' in html  # the crisis resources are shown
    assert QuestionnaireResponse.objects.filter(patient=pat, instrument="phq9").count() == 1
    alert = Alert.objects.get(kind="self_harm")
    with caplog.at_level(logging.ERROR, logger="painmind.lib.mail"):
        assert run_queued_tasks() == 1  # the worker tries: the mail server refuses
    [notice] = AlertNotice.objects.all()
    assert (notice.sent_at, notice.attempts, notice.failed_at is not None) == (None, 1, True)
    alert.refresh_from_db()
    assert alert.notified_at is None
    assert mail.outbox == []
    [record] = [r for r in caplog.records if r.name == "painmind.lib.mail"]
    assert record.getMessage() == f"could not send alert e-mail {alert.pk}; the periodic job retries it"

    settings.EMAIL_BACKEND = LOCMEM
    assert run_pass() == "Raised 0 alerts, closed 0.\nEmailed 1 clinician about critical alerts."
    assert [m.to for m in mail.outbox] == [["cara@example.org"]]
    assert notices() == [("cara@example.org", "new", True, 2)]
    alert.refresh_from_db()
    assert alert.notified_at is not None
    assert run_pass() == "Raised 0 alerts, closed 0."
    assert len(mail.outbox) == 1


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_passes_and_two_workers_at_once_send_once(pat, cara, settings):
    dan = clinician("dan@example.org", "Dr Dan Ode")
    share(pat, dan)
    settings.EMAIL_BACKEND = REFUSING_BACKEND
    alert = self_harm_alert(pat)  # raised while mail is down: the worker fails, the notices stay pending
    assert run_queued_tasks() == 1
    assert Alert.objects.get().notified_at is None
    settings.EMAIL_BACKEND = LOCMEM
    outcomes = run_at_once(
        lambda: do_notice_pass().sent,
        lambda: do_notice_pass().sent,
        lambda: do_send_alert_notices(alert.pk),
        lambda: do_send_alert_notices(alert.pk),
    )
    assert [o.error for o in outcomes] == [None] * 4
    assert sum(o.value for o in outcomes) == 2  # each clinician's notice was sent by exactly one of them
    assert sorted(m.to[0] for m in mail.outbox) == ["cara@example.org", "dan@example.org"]
    # cara's first try failed (the first failure stops the run); dan's was never tried then.
    assert [n[2:] for n in notices()] == [(True, 2), (True, 1)]


def test_the_page_counts_exactly_the_clinicians_who_are_notified(
    client, pat, cara, token_for, django_capture_on_commit_callbacks
):
    # Dan shared with, then his account became a researcher's: he is no longer on the care team.
    dan = clinician("dan@example.org", "Dr Dan Ode")
    share(pat, dan)
    dan.role, dan.discipline = "researcher", ""
    dan.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = phq9(client, token_for(pat), [1] * 8, 1)
    assert response.status_code == 201
    assert response.json()["crisis"]["care_team_notified"] == 1
    assert notices() == [("cara@example.org", "new", False, 0)]
    run_queued_tasks()
    assert [m.to for m in mail.outbox] == [["cara@example.org"]]
