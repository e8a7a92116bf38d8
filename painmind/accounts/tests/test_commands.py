"""The painmind command line: effects (in-process) and exit codes with one-line errors (subprocess)."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import uuid

import pytest
from django.core.management import CommandError, call_command

from painmind.accounts.actions import do_authenticate_api_token
from painmind.accounts.models import AuditEvent, User
from painmind.diary.models import CheckIn


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_createuser_from_password_file(db, tmp_path, settings):
    pw = tmp_path / "pw"
    pw.write_text("a-long-enough-passphrase\n")
    out = run(
        "createuser",
        "Gina@Example.org",
        "--role",
        "clinician",
        "--discipline",
        "primary_care",
        "--password-file",
        str(pw),
    )
    assert "Created clinician gina@example.org" in out
    user = User.objects.get(email="gina@example.org")
    assert (user.role, user.discipline) == ("clinician", "primary_care")
    assert user.check_password("a-long-enough-passphrase")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "clinician"], "discipline: A clinician needs a discipline."),
        (["--role", "patient", "--discipline", "psychology"], "discipline: Only clinicians have a discipline."),
        (
            ["--role", "patient", "--time-zone", "Mars/Olympus"],
            "time_zone: 'Mars/Olympus' is not a known IANA time zone",
        ),
    ],
)
def test_createuser_rejects_bad_input_and_writes_nothing(db, tmp_path, args, message):
    pw = tmp_path / "pw"
    pw.write_text("a-long-enough-passphrase\n")
    with pytest.raises(CommandError, match=re.escape(message)):
        run("createuser", "x@example.org", *args, "--password-file", str(pw))
    assert not User.objects.filter(email="x@example.org").exists()


def test_createuser_rejects_a_weak_password(db, tmp_path):
    pw = tmp_path / "pw"
    pw.write_text("password\n")
    with pytest.raises(CommandError, match="password"):
        run("createuser", "x@example.org", "--role", "patient", "--password-file", str(pw))
    assert not User.objects.exists()


def test_token_create_prints_a_working_token(pat):
    secret = run("token", "create", pat.email).strip()
    assert do_authenticate_api_token(secret) == pat


def test_token_for_unknown_email_fails(db):
    with pytest.raises(CommandError, match=re.escape("no active account with email 'ghost@example.org'")):
        run("token", "create", "ghost@example.org")


def test_checkin_add_and_list_are_audited_as_operator(pat):
    key = str(uuid.uuid4())
    args = ["checkin", "add", pat.email, "--pain", "5", "--mood", "4", "--sleep-hours", "6.5", "--client-id", key]
    assert "Recorded check-in" in run(*args, "--at", "2026-03-29T20:00:00+01:00")
    assert "Already recorded" in run(*args, "--at", "2026-03-29T20:00:00+01:00")
    entry = CheckIn.objects.get()
    assert (entry.pain, entry.mood, entry.sleep_hours, str(entry.local_on)) == (5, 4, 6.5, "2026-03-29")
    lines = run("checkin", "list", pat.email).splitlines()
    assert len(lines) == 1
    assert '"pain": 5' in lines[0]
    events: list[tuple[object, ...]] = list(
        AuditEvent.objects.order_by("id").values_list("actor", "actor_label", "action", "via")
    )
    assert events == [
        (None, "operator (command line)", "create", "cli"),
        (None, "operator (command line)", "view", "cli"),
    ]


def test_checkin_add_rejects_out_of_range(pat):
    with pytest.raises(CommandError, match="mood: must be between 0 and 10"):
        run("checkin", "add", pat.email, "--pain", "5", "--mood", "11")
    assert CheckIn.objects.count() == 0


@pytest.mark.slow
def test_cli_exit_codes_and_one_line_errors(tmp_path):
    """A real `painmind` process on its own SQLite file: success is 0; bad input is 1 + one line."""
    # Production settings (DEBUG off) need the site's default country (system check painmind.E003).
    env = {**os.environ, "PAINMIND_DATA_DIR": str(tmp_path), "PAINMIND_DEFAULT_COUNTRY": "GB"}
    env.pop("DATABASE_URL", None)

    def painmind(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "painmind", *args],
            capture_output=True,
            text=True,
            env=env,
            stdin=subprocess.DEVNULL,
            timeout=120,
            check=False,
        )

    assert painmind("migrate", "-v", "0").returncode == 0
    pw = tmp_path / "pw"
    pw.write_text("a-long-enough-passphrase\n")
    ok = painmind("createuser", "pam@example.org", "--role", "patient", "--password-file", str(pw))
    assert ok.returncode == 0, ok.stderr
    no_tty = painmind("createuser", "pip@example.org", "--role", "patient")
    assert no_tty.returncode == 1
    assert no_tty.stderr.strip().splitlines() == [
        "CommandError: no terminal to prompt for a password: use --password-file"
    ]
    country = painmind(
        "createuser", "pop@example.org", "--role", "patient", "--country", "XX", "--password-file", str(pw)
    )
    assert country.returncode == 1
    assert country.stderr.strip().splitlines() == [
        "CommandError: country: 'XX' is not a country code; use an ISO 3166 code such as GB or US"
    ]
    bad = painmind("checkin", "add", "pam@example.org", "--pain", "12", "--mood", "5")
    assert bad.returncode == 1
    assert bad.stderr.strip().splitlines() == ["CommandError: pain: must be between 0 and 10"]
    assert (tmp_path / "painmind.sqlite3").exists()
    import sqlite3

    with sqlite3.connect(tmp_path / "painmind.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_admin_manages_accounts_but_sees_no_diary(client, ada, pat):
    client.force_login(ada)
    assert client.get("/admin/accounts/user/").status_code == 200
    assert client.get(f"/admin/accounts/user/{pat.pk}/change/").status_code == 200
    assert client.get("/admin/accounts/auditevent/").status_code == 200
    assert client.get("/admin/diary/checkin/").status_code == 404
    client.force_login(pat)
    assert client.get("/admin/accounts/user/").status_code == 302  # to the admin login
