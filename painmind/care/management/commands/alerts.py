"""painmind alerts — the periodic alert pass (run it hourly or nightly; safe to repeat)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from painmind.care.rules import do_evaluate_alerts


class Command(BaseCommand):
    help = "Raise pain-flare and silence alerts and close non-critical alerts whose condition has passed."

    def handle(self, *args: Any, **opts: Any) -> None:
        raised, closed = do_evaluate_alerts()
        self.stdout.write(f"Raised {raised} alert{'s' if raised != 1 else ''}, closed {closed}.")
