"""`painmind demo` loads a consistent cohort once; `painmind serve` serves the app with gunicorn."""

from __future__ import annotations

import io
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
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
        r = client.post("/login/", {"username": email, "password": PASSWORD}, follow=True)
        assert r.redirect_chain[-1][0] == home
        client.post("/logout/")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_serve_migrates_and_serves_pages_api_and_static(tmp_path: Path):
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
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def test_demo_patient_has_a_real_cycle_and_an_open_critical_alert(db, client):
    from painmind.insights.models import CycleAnalysis
    from painmind.safety.models import Alert

    call_command("demo", patients=3, days=90, stdout=io.StringIO())
    patient = User.objects.get(email=PATIENT)
    analysis = CycleAnalysis.objects.get(patient=patient)
    assert analysis.result["fit"]["status"] == "ok"
    assert analysis.n_checkins == CheckIn.objects.filter(patient=patient).count()
    client.force_login(patient)
    assert "Pain → next day's mood." in client.get("/me/cycle/").content.decode()
    assert Alert.objects.open().filter(kind="self_harm", severity="critical").count() == 1
