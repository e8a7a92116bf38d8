"""painmind serve — make sure of the secret key and the data folder's permissions, migrate,
collect static files, then run the production server (gunicorn) with
one `painmind worker` process beside it (the e-mail queue and the periodic pass), restarted if it
dies and stopped when gunicorn stops. `--no-worker` for a deployment that runs `painmind worker`
on its own."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from gunicorn.app.base import BaseApplication

from painmind.lib.secret_key import ensure_key_file, key_file, tighten_permissions, weak_key_reason

logger = logging.getLogger(__name__)
WORKER = [sys.executable, "-m", "painmind", "worker"]  # same interpreter, settings and environment


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
        self._secure_the_data_folder()
        if not opts["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        worker = None
        arbiter = os.getpid()
        if not opts["no_worker"]:
            # Its own process beside gunicorn's, watched by a thread of the arbiter (threads are not
            # copied into the workers gunicorn forks).
            worker = _Supervised(WORKER)
            worker.start()
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
                worker.stop()

    def _secure_the_data_folder(self) -> None:
        """Never serve with a public key: with none configured, generate one into the data folder
        (once; later starts read it) and use it; refuse a weak one. Then only this account may
        read the data folder and the SQLite files, and (the umask) every file made from here on: the
        database migrate may be about to create, its WAL, the collected static files."""
        data_dir = settings.DATA_DIR
        if settings.SECRET_KEY_FROM == "the development default":
            key, created = ensure_key_file(data_dir)
            settings.SECRET_KEY = key
            settings.SECRET_KEY_FROM = "the data folder"
            if created:
                self.stdout.write(f"Generated a secret key into {key_file(data_dir)} (keep it with your backups).")
        reason = weak_key_reason(settings.SECRET_KEY)
        if reason is not None:
            raise CommandError(
                f"refusing to start: the secret key from {settings.SECRET_KEY_FROM} {reason.replace('it ', '', 1)}"
                " (unset PAINMIND_SECRET_KEY to have one generated, or set 50+ random characters)"
            )
        os.umask(0o077)
        db = settings.DATABASES["default"]
        sqlite = Path(db["NAME"]) if db["ENGINE"] == "django.db.backends.sqlite3" else None
        tighten_permissions(data_dir, sqlite)


class _Supervised:
    """One child process, started again if it exits (after 1 s, doubling to 60 s while it keeps
    failing fast), until `stop`: a worker that dies must not leave alerts unsent until someone
    notices. gunicorn's arbiter reaps every child, this one included, so `wait` may see the exit
    only as "already reaped"; either way the thread starts a new one."""

    MAX_DELAY_S = 60.0

    def __init__(self, command: list[str]) -> None:
        self.command = command
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.proc: subprocess.Popen[bytes] | None = None
        self.thread = threading.Thread(target=self._run, name="painmind-worker-supervisor", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def _run(self) -> None:
        delay = 1.0
        while not self.stopping.is_set():
            with self.lock:
                if self.stopping.is_set():
                    return
                self.proc = subprocess.Popen(self.command, stdin=subprocess.DEVNULL)  # noqa: S603  (our own WORKER)
            started = time.monotonic()
            code = self.proc.wait()
            if self.stopping.is_set():
                return
            if time.monotonic() - started > self.MAX_DELAY_S:
                delay = 1.0  # it had been running fine: start again at once
            logger.error("painmind worker exited (code %s); starting it again in %.0f s", code, delay)
            self.stopping.wait(delay)
            delay = min(delay * 2, self.MAX_DELAY_S)

    def stop(self) -> None:
        """SIGTERM: the worker finishes the task in hand (a send is bounded by EMAIL_TIMEOUT)."""
        with self.lock:
            self.stopping.set()
            proc = self.proc
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.thread.join(timeout=35)
