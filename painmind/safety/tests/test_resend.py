"""An open critical alert nobody acknowledged is sent again after the re-send interval (24 h; 1 h
after an acute screen: site decisions, docs/safety.md) and is shown as overdue on the panel, the
alert list and the API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from painmind.accounts.actions import do_create_user, do_grant_consent
from painmind.accounts.audit import Actor
from painmind.safety.actions import do_acknowledge_alert, do_raise_alert
from painmind.safety.models import Alert, AlertKind, AlertNotice, Screen, Severity
from painmind.safety.notify import do_notice_pass

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)


def told_at(when, screen=""):
    """A self-harm alert whose care team (pat's: cara) was told at `when`."""
    alert = Alert.objects.get(pk=raise_alert().pk)
    alert.screen = screen
    alert.save(update_fields=["screen"])
    AlertNotice.objects.filter(alert=alert).update(queued_at=when, sent_at=when, attempts=1)
    return alert


def raise_alert():
    from painmind.accounts.models import User

    pat = User.objects.get(email="pat@example.org")
    alert, _ = do_raise_alert(pat, AlertKind.SELF_HARM, Severity.CRITICAL, key="response:1", title="PHQ-9 item 9")
    return alert


def reasons():
    return list(AlertNotice.objects.order_by("queued_at", "id").values_list("clinician__email", "reason"))


@pytest.mark.parametrize(
    ("screen", "interval"),
    [("", timedelta(hours=24)), (Screen.NON_ACUTE, timedelta(hours=24)), (Screen.ACUTE, timedelta(hours=1))],
)
def test_a_reminder_goes_at_the_interval_not_a_second_before(pat, cara, screen, interval):
    alert = told_at(T0, screen)
    result = do_notice_pass(now=T0 + interval - SECOND)
    assert (result.reminders, result.sent) == (0, 0)
    assert reasons() == [("cara@example.org", "new")]
    result = do_notice_pass(now=T0 + interval)
    assert (result.reminders, result.sent) == (1, 1)
    assert reasons() == [("cara@example.org", "new"), ("cara@example.org", "reminder")]
    [message] = mail.outbox
    assert message.to == ["cara@example.org"]
    assert "an alert that nobody has acknowledged yet" in message.body
    assert "PHQ" not in message.body
    # The clock starts again from the reminder: nothing more until another interval has passed.
    assert do_notice_pass(now=T0 + 2 * interval - SECOND).reminders == 0
    assert do_notice_pass(now=T0 + 2 * interval).reminders == 1
    assert len(mail.outbox) == 2
    assert alert.pk == Alert.objects.get().pk


def test_the_reminder_goes_to_the_current_care_team_and_stops_once_acknowledged(pat, cara, settings):
    settings.ALERT_RESEND_HOURS = 6  # a site's own interval
    alert = told_at(T0)
    dan = do_create_user("dan@example.org", "x" * 20, role="clinician", discipline="primary_care", check_password=False)
    do_grant_consent(Actor(user=pat, via="web"), dan.email)
    assert do_notice_pass(now=T0 + timedelta(hours=6) - SECOND).reminders == 0
    assert do_notice_pass(now=T0 + timedelta(hours=6)).reminders == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["cara@example.org", "dan@example.org"]
    do_acknowledge_alert(Actor(user=dan, via="web"), alert.pk, "Called Pat; safety plan reviewed.")
    assert do_notice_pass(now=T0 + timedelta(days=30)).reminders == 0
    assert len(mail.outbox) == 2


def alerts_api(client, token_for, user, status="open"):
    r = client.get(f"/api/v1/alerts?status={status}", headers=token_for(user))
    assert r.status_code == 200
    return [(a["id"], a["overdue"]) for a in r.json()]


@pytest.mark.parametrize(
    ("screen", "age", "overdue"),
    [
        ("", timedelta(hours=23, minutes=59), False),
        ("", timedelta(hours=24, minutes=1), True),
        (Screen.ACUTE, timedelta(minutes=59), False),
        (Screen.ACUTE, timedelta(minutes=61), True),
    ],
)
def test_overdue_on_the_api_the_alert_list_and_the_panel(client, pat, cara, token_for, screen, age, overdue):
    from django.utils import timezone

    alert = told_at(timezone.now() - age, screen)
    warning, _ = do_raise_alert(pat, AlertKind.FLARE, Severity.WARNING, key="flare", title="Pain flare")
    Alert.objects.filter(pk=warning.pk).update(created_at=timezone.now() - timedelta(days=3))
    assert sorted(alerts_api(client, token_for, cara)) == sorted([(alert.pk, overdue), (warning.pk, False)])
    client.force_login(cara)
    page = client.get("/clinician/alerts/").content.decode()
    assert ("Overdue: not acknowledged since the care team was told" in page) is overdue
    panel = client.get("/clinician/").content.decode()
    assert ('<span class="sev-count overdue">1 overdue</span>' in panel) is overdue
    do_acknowledge_alert(Actor(user=cara, via="web"), alert.pk, "Seen; Pat is safe.")
    assert sorted(alerts_api(client, token_for, cara, "all")) == sorted([(alert.pk, False), (warning.pk, False)])
    assert "sev-count overdue" not in client.get("/clinician/").content.decode()
