"""`painmind restore` of a backup made by another version (docs/operations.md, "Backups from
another version"): an older one is restored and migrated forward, its rows kept; a newer one
(a migration this version lacks) is refused with one line before anything is written.

Each site is made as an operator would, in its own process: `painmind migrate` to a chosen
state in a new data folder (SQLite) or a new database (PostgreSQL); rows are written and read
with plain SQL, not through the code under test."""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from painmind.ops.tests.test_backup import painmind

pytestmark = pytest.mark.django_db(transaction=True)

Sql = Callable[[str, tuple[Any, ...]], list[tuple[Any, ...]]]


@contextmanager
def new_site(tmp_path: Path, name: str) -> Iterator[tuple[dict[str, str], Sql]]:
    """The environment of a new, empty site, and a way to run SQL on its database (``?`` marks)."""
    env = {**os.environ, "PAINMIND_DEFAULT_COUNTRY": "GB", "PAINMIND_DATA_DIR": str(tmp_path / name)}
    if connection.vendor == "sqlite":
        env.pop("DATABASE_URL", None)
        path = tmp_path / name / "painmind.sqlite3"

        def sqlite_sql(query: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
            with closing(sqlite3.connect(path)) as conn, conn:
                return conn.execute(query, params).fetchall()

        yield env, sqlite_sql
        return
    import psycopg

    db = connection.settings_dict
    dbname = f"{name}_{uuid.uuid4().hex[:10]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{dbname}"')
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    env["DATABASE_URL"] = f"postgresql://{auth}@{db['HOST']}:{db['PORT']}/{dbname}"
    params = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"], "password": db["PASSWORD"]}

    def pg_sql(query: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with psycopg.connect(dbname=dbname, **{k: v for k, v in params.items() if v}) as conn:
            cur = conn.execute(query.replace("?", "%s"), args)
            return cur.fetchall() if cur.description else []

    try:
        yield env, pg_sql
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


def _accounts_leaf_and_parent() -> tuple[str, str]:
    """The newest accounts migration on disk and the one before it (names, whatever the numbers)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    (leaf,) = [n for a, n in loader.graph.leaf_nodes() if a == "accounts"]
    parents = [n for a, n in loader.graph.node_map[("accounts", leaf)].parents if a == "accounts"]
    return leaf, parents[0]


def _run(*args: str, env: dict[str, str]) -> None:
    done = painmind(*args, env=env)
    assert done.returncode == 0, done.stderr


LINK_ROW = ("patient", "", "", "d" * 64, "su_abcde", "2026-01-01 00:00:00+00:00", "2026-01-08 00:00:00+00:00", 1, 0)
INSERT_LINK = (
    "INSERT INTO accounts_signuplink (role, discipline, email, token_digest, token_prefix, created_at, "
    "expires_at, max_uses, uses) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


@pytest.mark.slow
def test_a_backup_from_an_older_version_is_restored_and_migrated_forward(tmp_path: Path):
    leaf, older = _accounts_leaf_and_parent()
    with new_site(tmp_path, "old") as (old_env, old_sql), new_site(tmp_path, "new") as (new_env, new_sql):
        # The old site: everything, then accounts back to the state before its newest migration.
        _run("migrate", "-v0", env=old_env)
        _run("migrate", "accounts", older, "-v0", env=old_env)
        assert old_sql("SELECT name FROM django_migrations WHERE app = 'accounts' AND name = ?", (leaf,)) == []
        old_sql(INSERT_LINK, LINK_ROW)
        _run("backup", str(tmp_path / "old.bak"), env=old_env)

        done = painmind("restore", str(tmp_path / "old.bak"), env=new_env)
        assert done.returncode == 0, done.stderr
        assert "Restored" in done.stdout
        assert new_sql("SELECT name FROM django_migrations WHERE app = 'accounts' AND name = ?", (leaf,)) == [(leaf,)]
        rows = new_sql("SELECT token_digest, token_prefix, uses FROM accounts_signuplink", ())
        assert rows == [("d" * 64, "su_abcde", 0)]
        # And nothing is left to migrate.
        plan = painmind("migrate", "--check", env=new_env)
        assert plan.returncode == 0, plan.stdout + plan.stderr


@pytest.mark.slow
def test_a_backup_from_a_newer_version_is_refused_with_one_line_and_nothing_written(tmp_path: Path):
    with new_site(tmp_path, "future") as (future_env, future_sql), new_site(tmp_path, "here") as (here_env, here_sql):
        _run("migrate", "-v0", env=future_env)
        # A newer PainMind recorded a migration this version does not have.
        future_sql(
            "INSERT INTO django_migrations (app, name, applied) VALUES (?, ?, ?)",
            ("accounts", "9999_from_a_later_version", "2027-01-01 00:00:00+00:00"),
        )
        _run("backup", str(tmp_path / "future.bak"), env=future_env)

        refused = painmind("restore", str(tmp_path / "future.bak"), env=here_env)
        assert refused.returncode == 1
        assert refused.stderr.strip() == (
            f"CommandError: restore failed: refusing to restore: {tmp_path / 'future.bak'} comes from a newer "
            "PainMind (1 migration this version lacks, e.g. accounts.9999_from_a_later_version); "
            "restore it with that version or a later one"
        )
        if connection.vendor == "sqlite":
            assert not (tmp_path / "here" / "painmind.sqlite3").exists()
        else:
            assert here_sql("SELECT tablename FROM pg_tables WHERE schemaname = 'public'", ()) == []
