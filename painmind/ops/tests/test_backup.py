"""`painmind backup` then `painmind restore` into an empty site gives the same data, table by table.

The comparison does not use the code under test: each table's row count and a SHA-256 of its
rows (as text, sorted) are read straight from the database files (sqlite3) or servers (psycopg).
The restore runs as an operator would, in its own process on a new, empty database: another
data folder on SQLite, a second database in the same cluster on PostgreSQL.
"""

from __future__ import annotations

import hashlib
import io
import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

# Tables the data below must fill, so the comparison covers what a clinic cannot lose.
MUST_HOLD_ROWS = (
    "accounts_user",
    "accounts_consent",
    "accounts_auditevent",
    "diary_checkin",
    "diary_questionnaireresponse",
    "care_alert",
    "django_migrations",
)


def _digest(rows: list[tuple[Any, ...]]) -> tuple[int, str]:
    text = sorted(repr(tuple(str(v) for v in row)) for row in rows)
    return len(rows), hashlib.sha256("\n".join(text).encode()).hexdigest()


def sqlite_tables(path: Path) -> dict[str, tuple[int, str]]:
    with closing(sqlite3.connect(path)) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {n: _digest(conn.execute(f'SELECT * FROM "{n}"').fetchall()) for n in names}


def pg_tables(db: dict[str, Any], name: str) -> dict[str, tuple[int, str]]:
    import psycopg

    params = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"], "password": db["PASSWORD"]}
    with psycopg.connect(dbname=name, **{k: v for k, v in params.items() if v}) as conn:
        names = [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        return {n: _digest(conn.execute(f'SELECT * FROM "{n}"').fetchall()) for n in names}


def tables_now() -> dict[str, tuple[int, str]]:
    db = connection.settings_dict
    return sqlite_tables(Path(db["NAME"])) if connection.vendor == "sqlite" else pg_tables(db, db["NAME"])


def painmind(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "painmind", *args],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.fixture
def site_data(transactional_db: None) -> None:
    """Users, consents, check-ins, questionnaire responses, an open alert, and audit events
    (the demo cohort, then an operator reading a diary), committed where a backup can see them."""
    call_command("demo", patients=1, days=14, stdout=io.StringIO())
    call_command("checkin", "list", "patient@demo.example.org", stdout=io.StringIO())


@pytest.fixture
def empty_target(tmp_path: Path) -> Iterator[tuple[dict[str, str], Any]]:
    """The environment of a new, empty site, and how to read its tables afterwards."""
    env = {**os.environ, "PAINMIND_DEFAULT_COUNTRY": "GB"}
    if connection.vendor == "sqlite":
        env["PAINMIND_DATA_DIR"] = str(tmp_path / "site")
        env.pop("DATABASE_URL", None)
        yield env, lambda: sqlite_tables(tmp_path / "site" / "painmind.sqlite3")
        return
    db = connection.settings_dict
    name = f"restore_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    env["DATABASE_URL"] = f"postgresql://{auth}@{db['HOST']}:{db['PORT']}/{name}"
    env["PAINMIND_DATA_DIR"] = str(tmp_path / "site")
    try:
        yield env, lambda: pg_tables(db, name)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.slow
def test_backup_then_restore_into_an_empty_site_gives_the_same_rows(site_data, empty_target, tmp_path: Path):
    env, restored_tables = empty_target
    before = tables_now()
    assert all(before[t][0] > 0 for t in MUST_HOLD_ROWS), {t: before[t][0] for t in MUST_HOLD_ROWS}
    out = io.StringIO()
    call_command("backup", str(tmp_path / "site.bak"), stdout=out)
    assert out.getvalue().startswith(f"Backed up the database to {tmp_path / 'site.bak'} (")
    assert (tmp_path / "site.bak").stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.bak")] == []  # no temporary left

    done = painmind("restore", str(tmp_path / "site.bak"), env=env)
    assert done.returncode == 0, done.stderr
    assert "Restored" in done.stdout
    after = restored_tables()
    assert after == before  # every table: the same row count and the same rows
    if connection.vendor == "sqlite":
        site = tmp_path / "site"
        assert site.stat().st_mode & 0o777 == 0o700
        assert all(p.stat().st_mode & 0o777 == 0o600 for p in site.glob("painmind.sqlite3*"))

    again = painmind("restore", str(tmp_path / "site.bak"), env=env)  # now it holds a site
    assert again.returncode == 1
    assert again.stderr.strip().splitlines() == [again.stderr.strip()]  # one line, no traceback
    assert "refusing to restore" in again.stderr
    assert restored_tables() == before


def test_restore_refuses_a_site_that_has_tables_and_changes_nothing(site_data, tmp_path: Path):
    call_command("backup", str(tmp_path / "site.bak"), stdout=io.StringIO())
    before = tables_now()
    with pytest.raises(CommandError, match=r"refusing to restore: .* is not empty \(\d+ tables\)"):
        call_command("restore", str(tmp_path / "site.bak"))
    assert tables_now() == before


def test_restore_refuses_a_file_that_is_not_a_backup(transactional_db, tmp_path: Path):
    (tmp_path / "notes.txt").write_text("not a backup\n")
    with pytest.raises(CommandError, match="is not a PainMind backup"):
        call_command("restore", str(tmp_path / "notes.txt"))
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", str(tmp_path / "missing.bak"))


def test_backup_into_a_missing_folder_fails_with_one_line(tmp_path: Path):
    env = {**os.environ, "PAINMIND_DEFAULT_COUNTRY": "GB", "PAINMIND_DATA_DIR": str(tmp_path / "site")}
    env.pop("DATABASE_URL", None)
    assert painmind("migrate", "-v0", env=env).returncode == 0
    failed = painmind("backup", str(tmp_path / "no-such-folder" / "site.bak"), env=env)
    assert failed.returncode == 1
    assert (
        failed.stderr.strip() == f"CommandError: backup failed: the folder {tmp_path / 'no-such-folder'} does not exist"
    )
    assert list(tmp_path.glob("**/*.bak*")) == []
