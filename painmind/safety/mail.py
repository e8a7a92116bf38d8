"""E-mailing the care team about critical alerts: a neutral nudge to sign in, never clinical content.

An e-mail leaves the server's control (mail relays, shared inboxes, phone lock screens), so it
says only that *a* patient who shares their diary has an alert, and links to the alert list.
The patient, the answers, the score and the alert's kind stay behind the sign-in.

Exactly once per alert: a sender claims it with a conditional update of `Alert.notified_at`
(NULL → now); only the one whose update matched a row sends. A failed send puts the NULL back,
so the next `painmind alerts` pass retries. Sent through `painmind.lib.mail`, after the commit.
Warnings are not e-mailed: the clinician panel shows them, and a mailbox that fills with
routine warnings teaches people to ignore the critical ones.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Exists, OuterRef
from django.utils import timezone

from painmind.accounts.access import care_team, care_team_consents
from painmind.lib import mail
from painmind.safety.models import Alert, Severity

SUBJECT = "PainMind: an alert needs your attention"
BODY = (
    "Hello,\n\n"
    "A patient who shares their PainMind diary with you has a new alert that needs your attention.\n\n"
    "Sign in to see it:\n{url}\n\n"
    "For privacy this email does not say who the patient is or what the alert is about.\n\n"
    "— PainMind\n"
)


def notify_care_team_after_commit(alert: Alert) -> None:
    """E-mail the care team about a new critical alert once the current transaction commits
    (`lib.mail.after_commit`); warnings are not e-mailed."""
    if alert.severity != Severity.CRITICAL:
        return
    mail.after_commit(do_send_alert_mail, alert.pk)


def tell_care_team_again_after_commit(alert: Alert) -> None:
    """E-mail the care team again about an open critical alert that got graver: the claim on
    `notified_at` is released so the send job runs once more after the commit."""
    if alert.severity != Severity.CRITICAL:
        return
    Alert.objects.filter(pk=alert.pk).update(notified_at=None)
    mail.after_commit(do_send_alert_mail, alert.pk)


def do_send_alert_mail(alert_id: int, *, now: datetime | None = None) -> int:
    """Claim one open critical alert and email each clinician with active consent.

    Returns how many emails were sent: 0 when another sender had already claimed it, when it
    is closed or not critical, when no clinician is connected (the claim is released, so a
    clinician who joins while it is still open hears of it on the next pass), or when sending
    failed (logged by `lib.mail`; the claim is released for the next pass). Never raises on a
    mail failure.
    """
    now = now or timezone.now()
    claimed = (
        Alert.objects.open()
        .filter(pk=alert_id, severity=Severity.CRITICAL, notified_at__isnull=True)
        .update(notified_at=now)
    )
    if claimed != 1:
        return 0
    patient_id = Alert.objects.values_list("patient_id", flat=True).get(pk=alert_id)
    team = care_team(patient_id)
    body = BODY.format(url=mail.absolute_url("safety:alerts"))
    sent = mail.send([mail.Mail(c.email, SUBJECT, body) for c in team], kind="alert", ref=alert_id)
    if not sent:
        # Nobody to tell yet (a clinician who joins while it is open hears of it on the next
        # pass), or the mail server failed (logged by lib.mail): the next pass retries.
        _release(alert_id, now)
        return 0
    return sent


def _release(alert_id: int, claimed_at: datetime) -> None:
    # Only our own claim: a later sender's (different timestamp) is not ours to undo.
    Alert.objects.filter(pk=alert_id, notified_at=claimed_at).update(notified_at=None)


def do_send_pending_alert_mail(*, now: datetime | None = None) -> int:
    """Email the care teams of open critical alerts nobody has been told about yet.

    For alerts raised while mail was down (or before a clinician joined). Safe to run twice,
    or twice at once: each alert is claimed with a conditional update. Returns emails sent.
    """
    has_team = Exists(care_team_consents(OuterRef("patient_id")))
    pending = (
        Alert.objects.open()
        .filter(severity=Severity.CRITICAL, notified_at__isnull=True)
        .filter(has_team)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)
    )
    return sum(do_send_alert_mail(pk, now=now) for pk in list(pending))
