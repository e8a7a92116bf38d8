"""painmind alerts — the periodic pass (the worker runs it every PAINMIND_PERIODIC_PASS_MINUTES;
with cron, every 10 minutes to hourly; safe to repeat or overlap)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from painmind.accounts.actions import do_send_pending_invite_mail
from painmind.diary.actions.alerts import do_evaluate_alerts
from painmind.meds.safety import do_medication_alert_pass
from painmind.safety.notify import do_notice_pass


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


class Command(BaseCommand):
    help = (
        "Raise pain-flare, silence and medication-safety alerts, close non-critical alerts whose condition has passed, "
        "e-mail care teams about critical alerts (retrying what failed, and again when nobody has "
        "acknowledged one within the re-send interval), and retry invitation e-mails that could not be sent."
    )

    def handle(self, *args: Any, **opts: Any) -> None:
        raised, closed = do_evaluate_alerts()
        # Medication rules: what time alone changes (a stopped MAOI leaving its 14-day window).
        med_raised, med_closed = do_medication_alert_pass()
        raised += med_raised
        closed += med_closed
        self.stdout.write(f"Raised {plural(raised, 'alert')}, closed {closed}.")
        # The lines below only when something happened, so the usual summary stays one line.
        notices = do_notice_pass()
        if notices.reminders:
            self.stdout.write(
                f"Queued a reminder for {plural(notices.reminders, 'clinician')} about unacknowledged critical alerts."
            )
        if notices.sent:
            self.stdout.write(f"Emailed {plural(notices.sent, 'clinician')} about critical alerts.")
        invited = do_send_pending_invite_mail()
        if invited:
            self.stdout.write(f"Sent {plural(invited, 'invitation e-mail')} that had failed before.")
