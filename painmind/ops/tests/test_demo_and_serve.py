"""`painmind demo` loads a consistent cohort once; `painmind serve` serves the app with gunicorn."""

from __future__ import annotations

import io
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from contextlib import closing
from pathlib import Path

import pytest
from django.core.management import call_command

from painmind.accounts.models import Consent, User
from painmind.diary.models import CheckIn
from painmind.ops.management.commands.demo import CLINICIAN, PASSWORD, PATIENT

TEAM_EMAILS = (CLINICIAN, "psychologist@demo.example.org", "psychiatrist@demo.example.org", "gp@demo.example.org")


def test_demo_loads_once_and_every_patient_shares_with_the_clinician(db):
    out = io.StringIO()
    call_command("demo", patients=3, days=30, stdout=out)
    assert "Loaded the demo cohort: 4 clinicians, 4 patients, 30 days each." in out.getvalue()
    assert PATIENT in out.getvalue()
    assert CLINICIAN in out.getvalue()
    patients = User.objects.filter(role="patient")
    assert patients.count() == 4
    clinician = User.objects.get(email=CLINICIAN)
    assert set(Consent.objects.active().filter(clinician=clinician).values_list("patient", flat=True)) == set(
        patients.values_list("pk", flat=True)
    )
    per_patient = [CheckIn.objects.filter(patient=p).count() for p in patients]
    # 30 daily prompts with ~10 % of days missed: comfortably between 15 and 30 each.
    assert all(15 <= n <= 30 for n in per_patient), per_patient
    n_before = CheckIn.objects.count()
    again = io.StringIO()
    call_command("demo", patients=3, days=30, stdout=again)
    assert "already loaded" in again.getvalue()
    assert CheckIn.objects.count() == n_before
    assert User.objects.count() == 8


def test_demo_logins_work_on_the_web_and_the_api(db, client):
    call_command("demo", patients=1, days=10, stdout=io.StringIO())
    logins = [(PATIENT, "/me/")] + [(email, "/clinician/") for email in TEAM_EMAILS]
    for email, home in logins:
        r = client.post("/api/v1/auth/token", {"email": email, "password": PASSWORD}, content_type="application/json")
        assert r.status_code == 200
        r = client.post("/login/", {"login": email, "password": PASSWORD}, follow=True)
        assert r.redirect_chain[-1][0] == home
        client.post("/logout/")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_serve_migrates_and_serves_pages_api_and_static_with_its_worker(tmp_path: Path):
    port = _free_port()
    # A production-like start: its system checks need the site's default country (painmind.E003).
    env = {**os.environ, "PAINMIND_DATA_DIR": str(tmp_path), "PAINMIND_DEFAULT_COUNTRY": "GB"}
    env.pop("DATABASE_URL", None)
    log_path = tmp_path / "serve.log"
    log = log_path.open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "painmind", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as r:
                    assert r.status == 200
                    break
            except OSError:
                assert proc.poll() is None, log_path.read_text()
                assert time.monotonic() < deadline, "server did not start within 60 s"
                time.sleep(0.2)
        with urllib.request.urlopen(f"{base}/login/", timeout=5) as r:
            html = r.read().decode()
        assert r.headers["Server"].startswith("gunicorn")
        css = re.search(r'href="(/static/painmind/app\.[0-9a-f]{12}\.css)"', html)
        assert css is not None, "the stylesheet should have a hashed, cacheable name"
        with urllib.request.urlopen(f"{base}{css.group(1)}", timeout=5) as r:
            assert r.status == 200
            assert "max-age=315360000" in r.headers["Cache-Control"]
        with urllib.request.urlopen(f"{base}/api/v1/openapi.json", timeout=5) as r:
            assert r.status == 200
        assert (tmp_path / "painmind.sqlite3").exists()
        # No key configured: one was generated into the data folder; only this account reads it
        # all (docs/security.md).
        assert "Generated a secret key into" in log_path.read_text()
        assert len((tmp_path / "secret_key").read_text().strip()) >= 50
        modes = {p.name: p.stat().st_mode & 0o777 for p in (tmp_path, *tmp_path.glob("painmind.sqlite3*"))}
        modes["secret_key"] = (tmp_path / "secret_key").stat().st_mode & 0o777
        assert modes[tmp_path.name] == 0o700, modes
        assert all(m == 0o600 for name, m in modes.items() if name != tmp_path.name), modes
        # Its worker runs beside gunicorn (the e-mail queue and the periodic pass)...
        while "PainMind worker painmind-" not in log_path.read_text():
            assert time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.2)
        # ...and is started again when it dies.
        [first] = re.findall(r"PainMind worker painmind-(\d+):", log_path.read_text())
        os.kill(int(first), signal.SIGKILL)
        while len(re.findall(r"PainMind worker painmind-(\d+):", log_path.read_text())) < 2:
            assert time.monotonic() < deadline + 30, log_path.read_text()
            time.sleep(0.2)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
    pids = re.findall(r"PainMind worker painmind-(\d+):", log_path.read_text())
    assert len(pids) == 2
    assert pids[0] != pids[1]
    with pytest.raises(ProcessLookupError):  # the second one stopped (and reaped) with gunicorn
        os.kill(int(pids[1]), 0)


DEMO_SERVE = [sys.executable, "-m", "painmind", "demo", "--serve", "--patients", "1", "--days", "20"]


@pytest.mark.slow
def test_demo_serve_starts_its_worker_without_a_site_country_of_its_own(tmp_path: Path):
    """`make demo` on a fresh machine: no PAINMIND_DEFAULT_COUNTRY set; the demo chooses GB for
    itself, the server it starts and the worker process beside it (which runs system checks)."""
    port = _free_port()
    env = {**os.environ, "PAINMIND_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    env.pop("PAINMIND_DEFAULT_COUNTRY", None)
    log_path = tmp_path / "demo.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [*DEMO_SERVE, "--port", str(port)],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 120
            while "PainMind worker painmind-" not in log_path.read_text():
                assert proc.poll() is None, log_path.read_text()
                assert "SystemCheckError" not in log_path.read_text(), log_path.read_text()
                assert time.monotonic() < deadline, log_path.read_text()
                time.sleep(0.2)
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/help/", timeout=5) as r:
                assert "999" in r.read().decode()  # the demo's country, GB (clinical-reference §5)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    assert "SystemCheckError" not in log_path.read_text()


def test_demo_patient_has_a_real_cycle_and_an_open_critical_alert(db, client):
    from painmind.insights.models import CycleAnalysis
    from painmind.safety.models import Alert

    call_command("demo", patients=3, stdout=io.StringIO())  # the README's 120 days
    patient = User.objects.get(email=PATIENT)
    analysis = CycleAnalysis.objects.get(patient=patient)
    assert analysis.result["fit"]["status"] == "ok"
    assert analysis.n_checkins == CheckIn.objects.filter(patient=patient).count()
    client.force_login(patient)
    html = client.get("/me/cycle/").content.decode()
    assert "Pain and the next day's mood." in html
    # The link built into the demo diary (ops/demo/stories.py, -0.4 SD) shows, and honestly:
    better = html[html.index("Linked with better days") :]
    assert "After nights when your sleep was 1 point better, your pain that day tended to be lower" in better
    assert Alert.objects.open().filter(kind="self_harm", severity="critical").count() == 1


def _task_statuses(db: Path) -> list[str]:
    with closing(sqlite3.connect(db, timeout=20)) as conn:
        return [row[0] for row in conn.execute("SELECT status FROM django_tasks_database_dbtaskresult")]


@pytest.mark.slow
def test_worker_sends_what_a_request_queued_and_stops_on_sigterm(tmp_path: Path):
    """`painmind worker` in its own process, as deployed: it runs a queued job from the task
    table and exits cleanly on SIGTERM."""
    env = {
        **os.environ,
        "PAINMIND_DATA_DIR": str(tmp_path),
        "PAINMIND_DEFAULT_COUNTRY": "GB",  # production settings: the system checks require one
        "PAINMIND_PERIODIC_PASS_MINUTES": "0",
    }
    env.pop("DATABASE_URL", None)
    manage = [sys.executable, "-m", "painmind"]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, stdin=subprocess.DEVNULL)
    queue = (
        "from painmind.lib.tasks import run_job; "
        "run_job.enqueue('painmind.accounts.actions.invites.do_send_invite_mail', 1)"
    )
    subprocess.run([*manage, "shell", "-v0", "-c", queue], env=env, check=True, stdin=subprocess.DEVNULL)
    proc = subprocess.Popen(
        [*manage, "worker", "--interval", "0.2"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while _task_statuses(tmp_path / "painmind.sqlite3") != ["SUCCESSFUL"]:
            assert proc.poll() is None
            assert time.monotonic() < deadline, "the worker did not run the task within 60 s"
            time.sleep(0.3)
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, out
    assert b"PainMind worker painmind-" in out
