"""painmind worker — send what the requests queued, and run the periodic pass every few minutes.

Runs django-tasks-db's worker (batch mode, in a loop) on the database's task table, so every
e-mail leaves here and never from a request; and, every PAINMIND_PERIODIC_PASS_MINUTES,
`painmind alerts`, `painmind reminders` and `painmind forget_tasks`, so a deployment without cron
still retries failed mail, re-sends unacknowledged critical alerts and clears finished task rows;
and every PAINMIND_CYCLE_REFRESH_HOURS (24), `painmind refresh_cycles` (stale cycle analyses and
the site priors, the nightly cohort pass). `painmind serve` starts one beside gunicorn; run it on
its own (under a service manager) when serving some other way. Several may run at once: tasks
and notices are claimed, so nothing is sent twice. SIGTERM or Ctrl-C stops it after
the task in hand.
"""

from __future__ import annotations

import logging
import os
import signal
import time
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from painmind.lib.tasks import drain

logger = logging.getLogger(__name__)
# `forget_tasks` last: it clears the rows the first two and the queue have finished with.
PERIODIC_COMMANDS = ("alerts", "reminders", "forget_tasks")
DAILY_COMMANDS = ("refresh_cycles",)


class Command(BaseCommand):
    help = "Run queued tasks (e-mail) as they arrive, and the periodic pass every few minutes."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between looks at the queue (1)")
        parser.add_argument(
            "--pass-minutes",
            type=float,
            default=None,
            help="minutes between periodic passes (default PAINMIND_PERIODIC_PASS_MINUTES; 0 = never)",
        )
        parser.add_argument("--once", action="store_true", help="run what is queued and one periodic pass, then exit")

    def handle(self, *args: Any, **opts: Any) -> None:
        interval: float = opts["interval"]
        minutes: float = settings.PERIODIC_PASS_MINUTES if opts["pass_minutes"] is None else opts["pass_minutes"]
        if interval <= 0 or minutes < 0:
            raise CommandError("--interval must be above 0 and --pass-minutes 0 or more")
        worker_id = f"painmind-{os.getpid()}"
        running = True

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal running
            running = False

        if not opts["once"]:
            signal.signal(signal.SIGTERM, stop)
            signal.signal(signal.SIGINT, stop)
            self.stdout.write(
                f"PainMind worker {worker_id}: queue every {interval:g} s, periodic pass "
                + (f"every {minutes:g} min" if minutes else "off")
            )
            self.stdout.flush()
        next_pass = time.monotonic()
        hours = settings.CYCLE_REFRESH_HOURS
        next_refresh = time.monotonic() + (0 if opts["once"] else 60)  # a minute after start, then daily
        while True:
            close_old_connections()
            drain(worker_id=worker_id)
            if minutes and time.monotonic() >= next_pass:
                next_pass = time.monotonic() + minutes * 60
                self._periodic_pass()
            if hours and time.monotonic() >= next_refresh:
                next_refresh = time.monotonic() + hours * 3600
                self._run(DAILY_COMMANDS)
            if opts["once"] or not running:
                break
            deadline = time.monotonic() + interval
            while running and time.monotonic() < deadline:
                time.sleep(min(0.2, interval))
            if not running:
                break
        close_old_connections()

    def _periodic_pass(self) -> None:
        self._run(PERIODIC_COMMANDS)

    def _run(self, commands: tuple[str, ...]) -> None:
        for name in commands:
            try:
                call_command(name, stdout=self.stdout)
            except Exception:
                # One failed pass must not stop the worker: the next pass tries again.
                logger.exception("the periodic `painmind %s` failed; it runs again next time", name)
