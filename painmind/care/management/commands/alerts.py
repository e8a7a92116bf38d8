"""painmind alerts — the periodic pass (run it every 10 minutes to hourly; safe to repeat)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from painmind.accounts.actions import do_send_pending_invite_mail
from painmind.diary.actions.alerts import do_evaluate_alerts
from painmind.safety.mail import do_send_pending_alert_mail


class Command(BaseCommand):
    help = (
        "Raise pain-flare and silence alerts, close non-critical alerts whose condition has passed, "
        "e-mail care teams about critical alerts nobody has been told about yet, and retry "
        "invitation e-mails that could not be sent."
    )

    def handle(self, *args: Any, **opts: Any) -> None:
        raised, closed = do_evaluate_alerts()
        self.stdout.write(f"Raised {raised} alert{'s' if raised != 1 else ''}, closed {closed}.")
        # The lines below only when something went out, so the usual summary stays one line.
        emailed = do_send_pending_alert_mail()
        if emailed:
            self.stdout.write(f"Emailed {emailed} clinician{'s' if emailed != 1 else ''} about critical alerts.")
        invited = do_send_pending_invite_mail()
        if invited:
            self.stdout.write(f"Sent {invited} invitation e-mail{'s' if invited != 1 else ''} that had failed before.")
