"""Telling the care team about critical alerts: notices queued in the request, sent by the worker,
retried and re-sent by the periodic pass (docs/safety.md "How the care team is told").

- `queue_alert_notices(alert, reason)`: one `AlertNotice` per clinician on the patient's care
  team, in the caller's transaction; the sending task (`safety.mail.do_send_alert_notices`) is
  queued once it commits. The request never talks to the mail server.
- `notified_count(alert)`: how many clinicians a message was queued or sent for: what the
  crisis block may honestly say.
- `do_notice_pass()`: run by `painmind alerts` (and by the worker every few minutes): tells a
  care team that had nobody on it when the alert was raised, retries unsent notices, and
  re-sends ("reminder") an open critical alert nobody acknowledged once its last notice is
  older than the re-send interval (`resend_interval`; site decisions, not clinical rules).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import BooleanField, Case, Max, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from painmind.accounts.access import care_team
from painmind.lib import mail
from painmind.safety.mail import do_send_alert_notices
from painmind.safety.models import Alert, AlertNotice, NoticeReason, Screen, Severity


def resend_interval(screen: str) -> timedelta:
    """How long an open critical alert may go unacknowledged before it is sent again (and shown
    as overdue): PAINMIND_ACUTE_RESEND_HOURS after an acute-positive follow-up screen, else
    PAINMIND_ALERT_RESEND_HOURS. Site decisions (docs/safety.md), not clinical rules."""
    hours = settings.ACUTE_RESEND_HOURS if screen == Screen.ACUTE else settings.ALERT_RESEND_HOURS
    return timedelta(hours=hours)


def older_than_interval(field: str, now: datetime) -> Q:
    """Alerts whose `field` (an annotation: a notice time) is at least their re-send interval ago."""
    acute = now - resend_interval(Screen.ACUTE)
    usual = now - resend_interval(Screen.NONE)
    return Q(screen=Screen.ACUTE, **{f"{field}__lte": acute}) | (
        ~Q(screen=Screen.ACUTE) & Q(**{f"{field}__lte": usual})
    )


def notify_care_team_after_commit(alert: Alert) -> None:
    """A new alert: queue a "new" notice for each clinician on the care team (critical only)."""
    queue_alert_notices(alert, NoticeReason.NEW)


def queue_alert_notices(alert: Alert, reason: str) -> int:
    """Queue one message per clinician on the patient's care team about this critical alert, and
    the sending task once the current transaction commits; how many clinicians a message is
    queued for (0 for a warning or an empty care team).

    A clinician who already has an unsent notice about this alert gets no second one (one
    message to sign in says it all); they still count as having a message queued.
    """
    if alert.severity != Severity.CRITICAL:
        return 0
    created, queued = _create_notices(alert, NoticeReason(reason), timezone.now())
    if created:
        mail.after_commit(do_send_alert_notices, alert.pk)
    return queued


def _create_notices(alert: Alert, reason: NoticeReason, now: datetime) -> tuple[int, int]:
    """(notices created, clinicians with a message queued)."""
    team = care_team(alert.patient_id)
    waiting = set(AlertNotice.objects.filter(alert=alert, sent_at__isnull=True).values_list("clinician_id", flat=True))
    created = AlertNotice.objects.bulk_create(
        AlertNotice(alert=alert, clinician=c, reason=reason, queued_at=now) for c in team if c.pk not in waiting
    )
    return len(created), len(team)


def notified_count(alert: Alert) -> int:
    """Clinicians with a message queued or sent about this alert (a failed one is retried, so it
    is still queued)."""
    return AlertNotice.objects.filter(alert=alert).values("clinician_id").distinct().count()


@dataclass(frozen=True)
class NoticePass:
    sent: int  # messages that went out in this pass
    reminders: int  # clinicians a "still not acknowledged" message was queued for


def do_notice_pass(*, now: datetime | None = None) -> NoticePass:
    """Tell, retry and re-send, for every open critical alert. Safe to run twice, or twice at
    once, and beside the worker: each notice is claimed before it is sent."""
    now = now or timezone.now()
    critical = Alert.objects.open().filter(severity=Severity.CRITICAL)
    reminders = 0
    # Nobody was on the care team when it was raised: whoever is on it now is told.
    for alert in critical.filter(notices__isnull=True).order_by("created_at", "id"):
        with transaction.atomic():
            _create_notices(alert, NoticeReason.NEW, now)
    # Nobody acknowledged it within the interval since the last message: send it again.
    due = critical.annotate(last_notice_at=Max("notices__queued_at")).filter(older_than_interval("last_notice_at", now))
    for alert in due.order_by("created_at", "id"):
        with transaction.atomic():
            reminders += _create_notices(alert, NoticeReason.REMINDER, now)[0]
    # Everything unsent: new, reminders, and what failed before.
    pending = (
        AlertNotice.objects.filter(sent_at__isnull=True, alert__in=critical)
        .order_by("alert_id")
        .values_list("alert_id", flat=True)
        .distinct()
    )
    sent = sum(do_send_alert_notices(pk) for pk in list(pending))
    return NoticePass(sent=sent, reminders=reminders)


def with_overdue(alerts: QuerySet[Alert], *, now: datetime | None = None) -> QuerySet[Alert]:
    """Annotate each alert with `overdue`: open, critical, and its first message went out at
    least its re-send interval ago without anyone acknowledging it (one subquery, no grouping)."""
    now = now or timezone.now()
    first = AlertNotice.objects.filter(alert=OuterRef("pk")).order_by("queued_at").values("queued_at")[:1]
    late = Q(acknowledged_at__isnull=True, resolved_at__isnull=True, severity=Severity.CRITICAL) & older_than_interval(
        "first_notice_at", now
    )
    return alerts.annotate(first_notice_at=Subquery(first)).annotate(
        overdue=Case(When(late, then=Value(True)), default=Value(False), output_field=BooleanField())
    )
