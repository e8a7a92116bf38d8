"""Critical alerts email each clinician with active consent once: a neutral link, no clinical content."""

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
from painmind.safety.mail import do_send_pending_alert_mail
from painmind.safety.models import Alert, AlertKind, Severity
from tests.concurrency import run_at_once

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


def test_self_harm_answer_emails_each_consenting_clinician_and_nobody_else(
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
    # One message per clinician with active consent: cara and dan; not olga (never), not rita (revoked).
    assert sorted(m.to for m in mail.outbox) == [["cara@example.org"], ["dan@example.org"]]
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
    alert = Alert.objects.get(kind="self_harm")
    assert alert.notified_at is not None


def test_the_email_waits_for_the_commit(pat, cara, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        self_harm_alert(pat)
        assert mail.outbox == []  # inside the transaction: nothing has gone out
    assert len(callbacks) == 1
    assert mail.outbox == []
    callbacks[0]()
    assert [m.to for m in mail.outbox] == [["cara@example.org"]]


def test_exactly_once_when_raised_twice_and_the_pass_runs_twice(pat, cara, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = self_harm_alert(pat)
        second = self_harm_alert(pat)  # same key: the open alert, not a new one
    assert first.pk == second.pk
    assert len(mail.outbox) == 1
    assert run_pass() == "Raised 0 alerts, closed 0."
    assert run_pass() == "Raised 0 alerts, closed 0."
    assert len(mail.outbox) == 1


def test_warnings_are_not_emailed(client, pat, cara, token_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        r = phq9(client, token_for(pat), [3, 3, 3, 3, 3, 3, 3, 3], 0)  # 24: severe band, item 9 = 0
        do_raise_alert(pat, AlertKind.FLARE, Severity.WARNING, key="flare", title="Pain flare")
    assert r.status_code == 201
    assert set(Alert.objects.values_list("kind", "severity")) == {("severe_band", "warning"), ("flare", "warning")}
    run_pass()
    assert mail.outbox == []
    assert not Alert.objects.filter(notified_at__isnull=False).exists()


def test_nobody_connected_nothing_sent_until_a_clinician_joins_while_it_is_open(
    pat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        alert = self_harm_alert(pat)
    assert mail.outbox == []
    assert run_pass() == "Raised 0 alerts, closed 0."
    alert.refresh_from_db()
    assert alert.notified_at is None  # nobody has been told
    gp = clinician("gp@example.org", "Dr G P")
    share(pat, gp)
    assert run_pass() == "Raised 0 alerts, closed 0.\nEmailed 1 clinician about critical alerts."
    assert [m.to for m in mail.outbox] == [["gp@example.org"]]


def test_acknowledged_alerts_are_not_emailed_later(pat, cara, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = REFUSING_BACKEND
    with django_capture_on_commit_callbacks(execute=True):
        alert = self_harm_alert(pat)
    do_acknowledge_alert(Actor(user=cara, via="web"), alert.pk, "Saw it on the panel; phoned Pat, safe.")
    settings.EMAIL_BACKEND = LOCMEM
    assert do_send_pending_alert_mail() == 0
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_a_mail_failure_keeps_the_save_and_the_crisis_page_and_the_pass_retries(client, pat, cara, settings, caplog):
    settings.EMAIL_BACKEND = REFUSING_BACKEND
    client.force_login(pat)
    with caplog.at_level(logging.ERROR, logger="painmind.lib.mail"):
        r = client.post("/me/measures/phq9/", phq9_form("2"), follow=True)
    assert r.status_code == 200
    html = r.content.decode()
    assert 'href="tel:116123"' in html  # the crisis resources are shown
    assert QuestionnaireResponse.objects.filter(patient=pat, instrument="phq9").count() == 1
    alert = Alert.objects.get(kind="self_harm")
    assert alert.notified_at is None  # claim released for the pass
    assert mail.outbox == []
    [record] = [r for r in caplog.records if r.name == "painmind.lib.mail"]
    assert record.getMessage() == f"could not send alert e-mail {alert.pk}; the periodic job retries it"

    settings.EMAIL_BACKEND = LOCMEM
    assert run_pass() == "Raised 0 alerts, closed 0.\nEmailed 1 clinician about critical alerts."
    assert [m.to for m in mail.outbox] == [["cara@example.org"]]
    alert.refresh_from_db()
    assert alert.notified_at is not None
    assert run_pass() == "Raised 0 alerts, closed 0."
    assert len(mail.outbox) == 1


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_passes_at_once_send_once(pat, cara, settings):
    dan = clinician("dan@example.org", "Dr Dan Ode")
    share(pat, dan)
    settings.EMAIL_BACKEND = REFUSING_BACKEND
    self_harm_alert(pat)  # raised while mail is down: pending
    assert Alert.objects.get().notified_at is None
    settings.EMAIL_BACKEND = LOCMEM
    outcomes = run_at_once(do_send_pending_alert_mail, do_send_pending_alert_mail)
    assert [o.error for o in outcomes] == [None, None]
    assert sorted(o.value for o in outcomes) == [0, 2]  # one pass won the claim and emailed both clinicians
    assert sorted(m.to[0] for m in mail.outbox) == ["cara@example.org", "dan@example.org"]


def test_the_page_counts_exactly_the_clinicians_who_are_emailed(
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
    assert [m.to for m in mail.outbox] == [["cara@example.org"]]
