"""painmind reminders — send due check-in and questionnaire reminders (run every 5-15 minutes)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from painmind.reminders.sending import do_send_due_reminders


class Command(BaseCommand):
    help = (
        "Email each patient whose daily reminder time has come (in their own time zone). "
        "Safe to repeat or overlap: each reminder goes out once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now",
            help="pretend the clock says this (ISO 8601 with an offset, e.g. 2026-11-26T20:05:00+00:00)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        now = None
        if opts["now"]:
            try:
                now = datetime.fromisoformat(opts["now"])
            except ValueError:
                raise CommandError(f"--now: {opts['now']!r} is not an ISO 8601 date and time") from None
            if now.tzinfo is None:
                raise CommandError("--now needs a UTC offset (e.g. +00:00 or Z)")
        self.stdout.write(do_send_due_reminders(now).text)
