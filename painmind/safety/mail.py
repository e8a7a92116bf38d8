"""E-mailing the care team about critical alerts: a neutral nudge to sign in, never clinical content.

An e-mail leaves the server's control (mail relays, shared inboxes, phone lock screens), so it
says only that *a* patient who shares their diary has an alert, and links to the alert list.
The patient, the answers, the score and the alert's kind stay behind the sign-in.

One message per `AlertNotice` (one clinician, one alert, one reason), queued by
`safety.notify` in the request and sent here by the worker. Exactly once per notice: a sender
claims it with a conditional update of `AlertNotice.sent_at` (NULL → now); only the one whose
update matched a row sends. A failed send puts the NULL back and stamps `failed_at`, so the
next periodic pass retries. (A worker killed between the claim and the hand-over to the mail
server leaves the notice marked sent: the re-send after the interval covers that case.)
Warnings are not e-mailed: the clinician panel shows them, and a mailbox that fills with
routine warnings teaches people to ignore the critical ones.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import F
from django.utils import timezone

from painmind.lib import mail
from painmind.safety.models import Alert, AlertNotice, NoticeReason, Severity

SUBJECT = "PainMind: an alert needs your attention"
LEAD = {
    NoticeReason.NEW: "A patient who shares their PainMind diary with you has a new alert that needs your attention.",
    NoticeReason.WORSE: (
        "A patient who shares their PainMind diary with you has new information on an alert that needs your attention."
    ),
    NoticeReason.ACUTE: (
        "A patient who shares their PainMind diary with you has new information on an alert that needs your attention."
    ),
    NoticeReason.REMINDER: (
        "A patient who shares their PainMind diary with you has an alert that nobody has "
        "acknowledged yet. It still needs your attention."
    ),
}
BODY = (
    "Hello,\n\n"
    "{lead}\n\n"
    "Sign in to see it:\n{url}\n\n"
    "For privacy this email does not say who the patient is or what the alert is about.\n\n"
    "— PainMind\n"
)


def body(reason: str) -> str:
    return BODY.format(lead=LEAD[NoticeReason(reason)], url=mail.absolute_url("safety:alerts"))


def do_send_alert_notices(alert_id: int) -> int:
    """Send each unsent notice of one open critical alert; how many went out. Never raises on a
    mail failure.

    Each notice is claimed on its own (`sent_at` NULL → now), so two workers, or a worker and
    the periodic pass, never send one twice. On the first failure the claim is released,
    `failed_at` and `attempts` record it, and the notices not yet tried stay pending: the next
    pass retries them all (a mail server that is down should not be waited on once per clinician).
    A closed alert's notices are not sent: nobody needs to sign in for it any more.
    """
    if not Alert.objects.open().filter(pk=alert_id, severity=Severity.CRITICAL).exists():
        return 0
    pending = list(
        AlertNotice.objects.filter(alert_id=alert_id, sent_at__isnull=True)
        .select_related("clinician")
        .order_by("queued_at", "id")
    )
    if not pending:
        return 0
    sent = 0
    via = mail.connection()  # not opened here: opening may fail, and `mail.send` never raises
    for notice in pending:
        claimed_at = timezone.now()
        claimed = AlertNotice.objects.filter(pk=notice.pk, sent_at__isnull=True).update(
            sent_at=claimed_at, attempts=F("attempts") + 1
        )
        if claimed != 1:
            continue  # another sender has it
        message = mail.Mail(notice.clinician.email, SUBJECT, body(notice.reason))
        if mail.send([message], kind="alert", ref=alert_id, via=via):
            sent += 1
            continue
        _release(notice.pk, claimed_at)
        break
    if sent:
        first = Alert.objects.filter(pk=alert_id, notified_at__isnull=True)
        first.update(notified_at=timezone.now())
    return sent


def _release(notice_id: int, claimed_at: datetime) -> None:
    # Only our own claim: a later sender's (different timestamp) is not ours to undo.
    AlertNotice.objects.filter(pk=notice_id, sent_at=claimed_at).update(sent_at=None, failed_at=claimed_at)
