"""Benchmark the one-page report: a clinician's PDF of a patient with a full year of everything.

    .venv/bin/python benchmarks/report.py [--requests 10] [--paper A4|Letter]

Migrates a scratch SQLite database in a temporary data directory, builds the tests' patient
with a full year of everything (`painmind/exchange/tests/report_helpers.full_year`: 730
check-ins, 39 questionnaires, two medicines with a rule hit, four goals, the demo's tools) and a
consenting clinician, then asks for `GET /clinician/patients/<id>/report.pdf?days=365` through
Django's test client (routing, middleware, session, the view, every loader and its audit
insert, the template, WeasyPrint, the response): the first request (which also computes the
cached cycle analysis), then the timed ones, each split into reading (`get_report_for_user`)
and drawing (`render_pdf`). Wall and CPU time (user+sys of this process) go into the
"## One-page report" section of docs/benchmarks.md (other sections are kept). The target from
the issue is under 1 s; a timing is never asserted in a test.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

LOAD_AT_START = os.getloadavg()[0]
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["PAINMIND_DATA_DIR"] = tempfile.mkdtemp(prefix="painmind-bench-report-")
os.environ.pop("DATABASE_URL", None)  # always the scratch SQLite file
(Path(os.environ["PAINMIND_DATA_DIR"]) / "static").mkdir()
os.environ["PAINMIND_ALLOWED_HOSTS"] = "testserver"
os.environ["PAINMIND_MFA_REQUIRED_ROLES"] = "none"  # the clinician is signed in directly (no TOTP step)
os.environ.setdefault("PAINMIND_DEFAULT_COUNTRY", "GB")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from benchmarks._docs import git_commit, replace_section  # noqa: E402
from painmind.accounts.actions import do_create_user, do_grant_consent  # noqa: E402
from painmind.accounts.audit import Actor  # noqa: E402
from painmind.exchange.report.content import get_report_for_user  # noqa: E402
from painmind.exchange.report.render import render_pdf  # noqa: E402
from painmind.exchange.tests.report_helpers import full_year, pdf_pages_and_text  # noqa: E402

PASSWORD = "bench-password-not-secret"


def _cpu() -> float:
    t = os.times()
    return t.user + t.system


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--paper", choices=["A4", "Letter"], default="A4")
    parser.add_argument("--no-docs", action="store_true", help="print only; leave docs/benchmarks.md alone")
    parser.add_argument("--out", type=Path, help="also write the first request's PDF here (to look at)")
    args = parser.parse_args()
    settings.REPORT_PAPER = args.paper
    call_command("migrate", verbosity=0)
    patient = do_create_user(
        "bench-pat@example.org", PASSWORD, role="patient", display_name="Bench Patient", check_password=False
    )
    clinician = do_create_user(
        "bench-cara@example.org",
        PASSWORD,
        role="clinician",
        discipline="psychology",
        display_name="Dr Bench",
        check_password=False,
    )
    do_grant_consent(Actor(user=patient, via="web"), clinician.email)
    full_year(patient, clinician)
    client = Client()
    client.force_login(clinician)
    url = f"/clinician/patients/{patient.pk}/report.pdf?days=365"

    def request() -> tuple[float, float, bytes]:
        wall, cpu = time.perf_counter(), _cpu()
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return time.perf_counter() - wall, _cpu() - cpu, response.content

    first_wall, first_cpu, content = request()
    pages, _ = pdf_pages_and_text(content)
    if args.out:
        args.out.write_bytes(content)
    load_before = os.getloadavg()[0]
    walls, cpus = [], []
    for _ in range(args.requests):
        wall, cpu, _body = request()
        walls.append(wall)
        cpus.append(cpu)
    actor = Actor(user=clinician, via="web")
    reads, draws = [], []
    for _ in range(args.requests):
        t0, c0 = time.perf_counter(), _cpu()
        report = get_report_for_user(actor, patient.pk, period_days=365, fmt="pdf")
        t1, c1 = time.perf_counter(), _cpu()
        render_pdf(report)
        reads.append((t1 - t0, c1 - c0))
        draws.append((time.perf_counter() - t1, _cpu() - c1))
    load_after = os.getloadavg()[0]

    def ms(xs: list[float]) -> str:
        return f"{statistics.median(xs) * 1000:.0f}"

    rows = [
        ("first request (computes the cycle analysis too)", [first_wall], [first_cpu]),
        ("whole request (p50 of the timed ones)", walls, cpus),
        ("reading: get_report_for_user", [w for w, _ in reads], [c for _, c in reads]),
        ("drawing: render_pdf (WeasyPrint)", [w for w, _ in draws], [c for _, c in draws]),
    ]
    table = ["| step | wall ms (p50) | wall ms (max) | CPU ms (p50) |", "|---|---:|---:|---:|"]
    table += [f"| {name} | {ms(w)} | {max(w) * 1000:.0f} | {ms(c)} |" for name, w, c in rows]
    commit = git_commit()
    p50 = statistics.median(walls)
    lines = [
        "## One-page report (`benchmarks/report.py`)",
        "",
        f"Command: `.venv/bin/python benchmarks/report.py --requests {args.requests} --paper {args.paper}` — run "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC at commit {commit} on {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, SQLite (scratch file). 1-minute load "
        f"average: {LOAD_AT_START:.2f} when the benchmark started, {load_before:.2f} before the timed requests, "
        f"{load_after:.2f} after (other work shares the machine: compare the CPU column).",
        "",
        "One patient with a full year of everything (the tests' `full_year`: 730 check-ins, 39 questionnaires, "
        "two medicines with an R1 hit, four goals, the demo's self-management tools), read by a consenting "
        f"clinician: `GET /clinician/patients/<id>/report.pdf?days=365` through Django's test client, {pages} "
        f"page ({args.paper}), {len(content) / 1024:.0f} KiB. {args.requests} timed requests after the first; "
        "then reading and drawing timed apart.",
        "",
        *table,
        "",
        f"Target from the issue: under 1 s: p50 {p50 * 1000:.0f} ms wall, {'met' if p50 < 1 else 'missed'} "
        f"under the load above; the request's own CPU time (user+sys) is {statistics.median(cpus) * 1000:.0f} ms."
        + (
            " The machine was overloaded (load average above its cores), so the wall times are mostly waiting "
            "for a core: re-run on an idle machine before reading the wall column as the report's speed."
            if max(LOAD_AT_START, load_before, load_after) > (os.cpu_count() or 1)
            else ""
        ),
    ]
    print("\n".join(lines))
    if not args.no_docs:
        replace_section(ROOT / "docs" / "benchmarks.md", "## One-page report", lines)


if __name__ == "__main__":
    main()
