"""Benchmark: a patient's self-harm answer is as fast with a hung mail server as with none.

    .venv/bin/python benchmarks/crisis_mail.py [--patients 40]

Builds a throwaway SQLite database (migrated like production) with one clinician and N
patients who share with them. Each patient then posts one PHQ-9 with item 9 = 2 through the
production WSGI application (`config.wsgi`, as gunicorn hands it a request; bearer token), so
each request raises a critical alert, writes a notice and queues the sending task. Three
phases, each with its own patients: mail to the in-memory backend; mail to an SMTP server
that accepts connections and never answers (a socket in a thread); and, for scale, the same
hung server with the old way (a request that sends the mail itself would wait for
`EMAIL_TIMEOUT`), shown by timing one direct send to it. The hung server counts the
connections it saw during the requests: there must be none. p50/p95/max go into the
"## Crisis response and mail" section of docs/benchmarks.md. A timing is never asserted in a test
(painmind/safety/tests/test_hung_mail.py asserts the behaviour: no connection from a request).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

LOAD_AT_START = os.getloadavg()[0]
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["PAINMIND_DATA_DIR"] = tempfile.mkdtemp(prefix="painmind-bench-")
os.environ.pop("DATABASE_URL", None)  # SQLite, the default deployment
os.environ.setdefault("PAINMIND_DEFAULT_COUNTRY", "GB")
(Path(os.environ["PAINMIND_DATA_DIR"]) / "static").mkdir(exist_ok=True)

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from benchmarks import _wsgi  # noqa: E402
from benchmarks._docs import replace_section  # noqa: E402
from config.wsgi import application  # noqa: E402
from tests.smtp import Server  # noqa: E402  (the tests' hung mail server)

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
SMTP = "django.core.mail.backends.smtp.EmailBackend"
TIMEOUT_S = 5


def people(n: int, tag: str) -> list[dict[str, str]]:
    """N patients sharing with one clinician; the bearer header of each."""
    from painmind.accounts.actions import do_create_api_token, do_create_user, do_grant_consent
    from painmind.accounts.audit import Actor

    clinician = do_create_user(
        f"dr-{tag}@example.org", "not-a-secret-0", role="clinician", discipline="psychology", check_password=False
    )
    headers = []
    for i in range(n):
        patient = do_create_user(f"{tag}{i:03d}@example.org", "not-a-secret-0", role="patient", check_password=False)
        do_grant_consent(Actor(user=patient, via="web"), clinician.email)
        _, secret = do_create_api_token(patient)
        headers.append({"HTTP_AUTHORIZATION": f"Bearer {secret}", "CONTENT_TYPE": "application/json"})
    return headers


def post_all(headers: list[dict[str, str]]) -> list[float]:
    body = json.dumps({"instrument": "phq9", "answers": [0, 0, 0, 0, 0, 0, 0, 0, 2]}).encode()
    times = []
    for h in headers:
        t0 = time.perf_counter()
        status, content = _wsgi.call(application, "POST", "/api/v1/responses", body=body, headers=h)
        times.append((time.perf_counter() - t0) * 1000)
        assert status == 201, content[:300]
        assert json.loads(content)["crisis"]["care_team_notified"] == 1
    return times


def summary(ms: list[float]) -> str:
    q = statistics.quantiles(ms, n=20, method="inclusive")  # never beyond the slowest request
    return f"{statistics.median(ms):.1f} | {q[18]:.1f} | {max(ms):.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=40)
    parser.add_argument("--no-docs", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    from painmind.safety.models import AlertNotice

    post_all(people(5, "warm"))  # warm-up: first requests import and compile templates
    settings.EMAIL_BACKEND = LOCMEM
    no_mail = post_all(people(args.patients, "locmem"))

    hung = Server(hang=True)
    settings.EMAIL_BACKEND = SMTP
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", hung.port, TIMEOUT_S
    settings.EMAIL_USE_TLS = False
    try:
        with_hung = post_all(people(args.patients, "hung"))
        seen_in_requests = hung.connections
        # What a request that sent the mail itself would have waited for: one send to the hung server.
        from django.core.mail import EmailMessage, get_connection

        t0 = time.perf_counter()
        with contextlib.suppress(OSError):
            get_connection(fail_silently=False).send_messages([EmailMessage("x", "x", "a@b.c", ["d@e.f"])])
        direct_ms = (time.perf_counter() - t0) * 1000
    finally:
        hung.stop()
    queued = AlertNotice.objects.filter(sent_at__isnull=True).count()

    lines = [
        "## Crisis response and mail (`benchmarks/crisis_mail.py`)",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()} with {os.cpu_count()} CPUs "
        f"(load average {LOAD_AT_START:.1f} at start), SQLite, the production WSGI application in-process. "
        f"`.venv/bin/python benchmarks/crisis_mail.py --patients {args.patients}`.",
        "",
        "Each request is one patient's PHQ-9 with item 9 = 2: scored, stored, a critical alert, one notice,"
        " the sending task queued, the crisis resources in the answer. Milliseconds per request:",
        "",
        "| mail server | requests | p50 | p95 | max |",
        "|---|---|---|---|---|",
        f"| none (in-memory backend) | {len(no_mail)} | {summary(no_mail)} |",
        f"| accepts and never answers (timeout {TIMEOUT_S} s) | {len(with_hung)} | {summary(with_hung)} |",
        "",
        f"The hung server saw **{seen_in_requests} connections** during those requests: the request only"
        f" writes rows ({queued} notices were left queued for the worker). One direct send to it, as a"
        f" request that mailed by itself would have made, took {direct_ms / 1000:.1f} s.",
    ]
    print("\n".join(lines))
    if not args.no_docs:
        replace_section(Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md", "## Crisis response", lines)


if __name__ == "__main__":
    main()
