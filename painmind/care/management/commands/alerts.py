"""painmind alerts — the periodic alert pass (run it every 10 minutes to hourly; safe to repeat)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from painmind.diary.actions.alerts import do_evaluate_alerts
from painmind.safety.mail import do_send_pending_alert_mail


class Command(BaseCommand):
    help = (
        "Raise pain-flare and silence alerts, close non-critical alerts whose condition has passed, "
        "and email care teams about critical alerts nobody has been told about yet."
    )

    def handle(self, *args: Any, **opts: Any) -> None:
        raised, closed = do_evaluate_alerts()
        self.stdout.write(f"Raised {raised} alert{'s' if raised != 1 else ''}, closed {closed}.")
        emailed = do_send_pending_alert_mail()
        if emailed:
            # Only when something went out, so the usual one-line summary stays one line.
            self.stdout.write(f"Emailed {emailed} clinician{'s' if emailed != 1 else ''} about critical alerts.")
