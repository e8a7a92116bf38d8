"""painmind serve — migrate, collect static files, then run the production server (gunicorn) with
one `painmind worker` process beside it (the e-mail queue and the periodic pass), stopped when
gunicorn stops. `--no-worker` for a deployment that runs `painmind worker` on its own."""

from __future__ import annotations

import os
import subprocess
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        # The production WSGI module: the app, then gc.freeze() (see config/wsgi.py).
        from config.wsgi import application

        return application


class Command(BaseCommand):
    help = "Apply migrations, collect static files and serve PainMind with gunicorn (not runserver)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default=os.environ.get("PAINMIND_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PAINMIND_PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("PAINMIND_WORKERS", "2")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("PAINMIND_THREADS", "4")))
        parser.add_argument("--no-migrate", action="store_true", help="skip applying migrations")
        parser.add_argument(
            "--no-worker", action="store_true", help="do not start `painmind worker` (run it separately)"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if not opts["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        worker = None
        arbiter = os.getpid()
        if not opts["no_worker"]:
            # Its own process (gunicorn forks its workers; a thread would be copied into each).
            # Same interpreter, settings and environment as this one.
            worker = subprocess.Popen([sys.executable, "-m", "painmind", "worker"], stdin=subprocess.DEVNULL)
        self.stdout.write(
            f"PainMind listening on http://{opts['host']}:{opts['port']}/ "
            f"{'with' if worker else 'without'} its worker (Ctrl-C stops it)"
        )
        self.stdout.flush()
        try:
            _Gunicorn(
                {
                    "bind": f"{opts['host']}:{opts['port']}",
                    "workers": opts["workers"],
                    "threads": opts["threads"],
                    "worker_class": "gthread",
                    "timeout": 60,
                    "accesslog": "-",
                    "errorlog": "-",
                    "loglevel": "warning",
                    "proc_name": "painmind",
                }
            ).run()
        finally:
            # gunicorn's forked workers leave through here too: only the arbiter owns the worker.
            if worker is not None and os.getpid() == arbiter:
                _stop(worker)


def _stop(worker: subprocess.Popen[bytes]) -> None:
    """SIGTERM: the worker finishes the task in hand (a send is bounded by EMAIL_TIMEOUT)."""
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
