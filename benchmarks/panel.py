"""Benchmark the clinician panel: 1,000 consenting patients with a year of data each, on PostgreSQL.

    bash -c 'source scripts/pgtmp.sh start && DJANGO_SETTINGS_MODULE=config.settings \
        .venv/bin/python benchmarks/panel.py; rc=$?; scripts/pgtmp.sh stop "$PGTMP_DIR"; exit $rc'

Migrates the (throwaway) database named by DATABASE_URL, then builds one clinician and N
consenting patients (default 1,000), each with a year of daily check-ins from `core.synth`
(~10 % of days missed; 5 % of patients silent for the last 8–20 days), PHQ-9, GAD-7 and PEG
every 14 days, some open alerts (critical and warning) and interventions with review dates.
Then it calls the production WSGI application (`config.wsgi`, which `painmind serve` loads
in each gunicorn worker: Django set up, then `gc.freeze()`) with a GET /clinician/ for the
signed-in clinician, exactly as gunicorn would hand it a request (URL routing, middleware,
session, the view, the template, the audit insert, the response body): a few warm-up requests,
then the timed ones. Then the same again after `gc.unfreeze()`, to show what the freeze is
worth. p50/p95/max, the query count and the row count go into the "## Clinician panel" section
of docs/benchmarks.md (other sections are kept). A timing is never asserted in a test.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

LOAD_AT_START = os.getloadavg()[0]  # before this process adds its own load
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# A scratch data directory, read by the settings: the pages render with the production static
# storage (hashed names), collected into <dir>/static below, as in the tests.
os.environ.setdefault("PAINMIND_DATA_DIR", tempfile.mkdtemp(prefix="painmind-bench-"))
(Path(os.environ["PAINMIND_DATA_DIR"]) / "static").mkdir(exist_ok=True)

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks import _wsgi  # noqa: E402
from benchmarks._docs import git_commit, replace_section  # noqa: E402
from config.wsgi import application  # noqa: E402  # production's: sets Django up, then gc.freeze()
from painmind.accounts.models import Consent, Role, User  # noqa: E402
from painmind.careplan.models import Intervention, InterventionStatus, Strategy  # noqa: E402
from painmind.core.instruments import score  # noqa: E402
from painmind.core.synth import generate_cohort  # noqa: E402
from painmind.diary.instruments import site_instrument  # noqa: E402
from painmind.diary.models import CheckIn, QuestionnaireResponse  # noqa: E402
from painmind.safety.models import Alert, AlertKind, Severity  # noqa: E402

DAYS = 365
EVERY = 14  # questionnaire interval, days
CLINICIAN = "bench-clinician@example.org"
VARIABLES = ("pain", "mood", "anxiety", "sleep_quality", "activity_minutes")
TZ = "Europe/London"


def build(n: int, rng: np.random.Generator) -> None:
    today = timezone.localdate(timezone=ZoneInfo(TZ))
    start = today - timedelta(days=DAYS - 1)
    clinician = User.objects.create_user(
        CLINICIAN, "bench-password-not-secret", role=Role.CLINICIAN, discipline="primary_care", display_name="Dr Bench"
    )
    patients = User.objects.bulk_create(
        [
            User(email=f"bench{i:05d}@example.org", display_name=f"Bench Patient {i:05d}", time_zone=TZ)
            for i in range(n)
        ],
        batch_size=1000,
    )
    Consent.objects.bulk_create([Consent(patient=p, clinician=clinician, granted_by=p) for p in patients])
    cohort = generate_cohort(n, DAYS, variables=VARIABLES, start=start, tz=TZ, rng=rng).data
    # Some patients go quiet: their last 8-20 days are dropped.
    silent = {f"p{i:05d}": int(rng.integers(8, 21)) for i in range(n) if rng.random() < 0.05}
    by_code = {f"p{i:05d}": p for i, p in enumerate(patients)}
    rows = []
    columns = zip(
        cohort["patient_id"].tolist(),
        cohort["recorded_at"].dt.to_pydatetime().tolist(),
        [d.date() for d in cohort["local_date"].dt.to_pydatetime()],
        *(cohort[v].astype(int).tolist() for v in VARIABLES),
        cohort["sleep_hours"].astype(float).tolist(),
        strict=True,
    )
    for code, recorded_at, local_on, pain, mood, anxiety, sleep_quality, activity, sleep_hours in columns:
        if (today - local_on).days < silent.get(code, 0):
            continue
        rows.append(
            CheckIn(
                patient=by_code[code],
                recorded_at=recorded_at,
                local_on=local_on,
                pain=pain,
                mood=mood,
                anxiety=anxiety,
                sleep_quality=sleep_quality,
                sleep_hours=sleep_hours,
                activity_minutes=activity,
            )
        )
    CheckIn.objects.bulk_create(rows, batch_size=5000)
    responses = []
    instruments = {i: site_instrument(i) for i in ("phq9", "gad7", "peg")}
    for p in patients:
        level = rng.uniform(0.2, 0.8)
        for k, offset in enumerate(range(DAYS - 1, -1, -EVERY)):
            day = today - timedelta(days=offset)
            at = datetime(day.year, day.month, day.day, 19, tzinfo=UTC)
            drift = level + 0.15 * np.sin(k / 4)
            for iid, inst in instruments.items():
                n_items = len(inst.scored_items)
                hi = inst.scored_items[0].max_value
                answers = [int(np.clip(rng.normal(drift * hi, 0.8), 0, hi)) for _ in range(n_items)]
                if iid == "phq9":
                    answers[-1] = 0
                result = score(inst, answers)
                responses.append(
                    QuestionnaireResponse(
                        patient=p,
                        instrument=iid,
                        version=inst.version,
                        answers=list(result.answers),
                        total=result.total,
                        band=result.band.label if result.band else "",
                        status=result.status,
                        item9=result.safety.item9 if result.safety else "",
                        result=result.to_dict(),
                        completed_at=at,
                        local_on=day,
                    )
                )
    QuestionnaireResponse.objects.bulk_create(responses, batch_size=5000)
    alerts, interventions = [], []
    for i, p in enumerate(patients):
        if i % 25 == 0:
            alerts.append(
                Alert(patient=p, kind=AlertKind.SELF_HARM, severity=Severity.CRITICAL, key="r", title="PHQ-9 item 9")
            )
        if i % 7 == 0:
            alerts.append(Alert(patient=p, kind=AlertKind.FLARE, severity=Severity.WARNING, key="flare", title="Flare"))
        for s, strategy in enumerate(Strategy.values):
            if (i + s) % 2 == 0:
                interventions.append(
                    Intervention(
                        patient=p,
                        strategy=strategy,
                        title=f"{strategy} plan",
                        review_on=today + timedelta(days=int(rng.integers(-20, 60))),
                        status=InterventionStatus.ACTIVE if s % 3 else InterventionStatus.COMPLETED,
                    )
                )
    Alert.objects.bulk_create(alerts)
    Intervention.objects.bulk_create(interventions)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def get(path: str, session_key: str) -> tuple[int, bytes]:
    """GET `path` through the production WSGI application, as gunicorn calls it."""
    cookie = {"HTTP_COOKIE": f"{settings.SESSION_COOKIE_NAME}={session_key}"}
    return _wsgi.call(application, "GET", path, host="localhost", headers=cookie)


def measure(session_key: str, requests: int, warmup: int) -> dict[str, float | int]:
    for _ in range(warmup):
        assert get("/clinician/", session_key)[0] == 200
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        status, _ = get("/clinician/", session_key)
        times.append((time.perf_counter() - start) * 1000)
        assert status == 200
    with CaptureQueriesContext(connection) as ctx:
        html = get("/clinician/", session_key)[1].decode()
    times.sort()
    return {
        "p50": statistics.median(times),
        "p95": times[int(np.ceil(0.95 * len(times))) - 1],
        "max": times[-1],
        "queries": len(ctx.captured_queries),
        "rows": html.count('<tr id="patient-'),
        "bytes": len(html.encode()),
        "requests": requests,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--out", type=Path, default=Path("docs/benchmarks.md"))
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a throwaway PostgreSQL database (see the module docstring).")
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    if User.objects.filter(email=CLINICIAN).exists():
        print("Data already loaded; reusing it.")
    else:
        t = time.perf_counter()
        build(args.patients, np.random.default_rng(args.seed))
        print(f"Built {args.patients:,} patients in {time.perf_counter() - t:.0f} s", flush=True)
    counts = {
        "check-ins": CheckIn.objects.count(),
        "responses": QuestionnaireResponse.objects.count(),
        "open alerts": Alert.objects.open().count(),
        "interventions": Intervention.objects.count(),
    }
    client = Client()  # only to sign the clinician in (a session row and its cookie)
    client.force_login(User.objects.get(email=CLINICIAN))
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    load_timed = os.getloadavg()[0]
    results = {"production (gc frozen at load)": measure(session_key, args.requests, args.warmup)}
    # The same without the freeze: Python's cyclic collector then walks every long-lived object
    # whenever a request has allocated enough new ones.
    gc.unfreeze()
    results["without gc.freeze()"] = measure(session_key, args.requests, args.warmup)
    load = (LOAD_AT_START, load_timed, os.getloadavg()[0])
    print(f"1-minute load average {load[0]:.2f} at start, {load[1]:.2f} before the timed requests, {load[2]:.2f} after")
    for label, result in results.items():
        print(
            f"{label}: p50 {result['p50']:.0f} ms, p95 {result['p95']:.0f} ms, max {result['max']:.0f} ms; "
            f"{result['queries']} queries, {result['rows']} rows, {result['bytes'] / 1024:.0f} KiB; "
            + ", ".join(f"{v:,} {k}" for k, v in counts.items())
        )
    write(args, results, counts, load)


def write(
    args: argparse.Namespace,
    results: dict[str, dict[str, float | int]],
    counts: dict[str, int],
    load: tuple[float, float, float],
) -> None:
    commit = git_commit()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    lines = [
        "## Clinician panel (`benchmarks/panel.py`)",
        "",
        "Command: `bash -c 'source scripts/pgtmp.sh start && DJANGO_SETTINGS_MODULE=config.settings "
        f".venv/bin/python benchmarks/panel.py --patients {args.patients} --requests {args.requests}; "
        "scripts/pgtmp.sh stop $PGTMP_DIR'` — run "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC at commit {commit} on {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, PostgreSQL {pg} (throwaway cluster, "
        "fsync off), database and Django in the same machine. 1-minute load average: "
        f"{load[0]:.2f} when the benchmark started, {load[1]:.2f} before the timed requests, {load[2]:.2f} after "
        "(the benchmark itself, Python and PostgreSQL, keeps about one core busy).",
        "",
        f"One clinician with {args.patients:,} consenting patients, each with a year of daily check-ins from "
        "`core.synth` (~10 % of days missed, 5 % of patients silent for their last 8–20 days), PHQ-9, GAD-7 "
        f"and PEG every {EVERY} days, open alerts (critical for 1 in 25, warning for 1 in 7) and interventions "
        f"with review dates: {', '.join(f'{v:,} {k}' for k, v in counts.items())}. Each request is "
        "`GET /clinician/` for the signed-in clinician, handed to the production WSGI application "
        "(`config.wsgi`, which `painmind serve` loads in each gunicorn worker: Django set up, then "
        "`gc.freeze()`) as gunicorn hands it one: URL routing, middleware, session, the view, the queries, the "
        "audit insert, the template and the response body; not timed: the HTTP parsing and the socket. "
        f"{args.warmup} warm-up requests, then {args.requests} timed ones; then the same again after "
        "`gc.unfreeze()`, to show what the freeze is worth.",
        "",
        "| configuration | patients | rows shown | queries | p50 ms | p95 ms | max ms | page KiB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        *(
            f"| {label} | {args.patients:,} | {r['rows']:,} | {r['queries']} | {r['p50']:.0f} | {r['p95']:.0f} | "
            f"{r['max']:.0f} | {r['bytes'] / 1024:.0f} |"
            for label, r in results.items()
        ),
        "",
        "Target from the issue: p95 ≤ 200 ms: "
        + "; ".join(
            f"{label} {r['p95']:.0f} ms, {'met' if r['p95'] <= 200 else 'missed'}" for label, r in results.items()
        )
        + ". Production runs with the freeze (`config/wsgi.py`). Where the time goes and what was changed: "
        "docs/panel.md. "
        "The query count is the same for any number of patients "
        "(`painmind/care/tests/test_panel_queries.py`); it includes the session and user lookups and the one "
        "bulk audit insert.",
        "",
    ]
    replace_section(args.out, "## Clinician panel", lines)


if __name__ == "__main__":
    main()
