"""Back up the site's database to one file, and restore such a file into an empty site.

* SQLite: the online backup API (``sqlite3.Connection.backup``), page by page under SQLite's
  own locking, so it is consistent and safe while the site serves; a restore copies the file into
  place with the data folder's permissions (0600 in a 0700 folder).
* PostgreSQL: ``pg_dump`` custom format (``-Fc``, compressed, one consistent snapshot) and
  ``pg_restore --no-owner --no-acl --single-transaction --exit-on-error``: the restoring role owns
  what it restores, grants are given again as in the README's production steps, and a failed
  restore leaves the database as empty as it was. The connection comes from the configured
  database settings through libpq's environment (the password as ``PGPASSWORD``, never on a
  command line that ``ps`` shows).

Project rules (docs/operations.md): a backup file is written to a temporary file beside it and
renamed into place (never half a backup under the final name), mode 0600. A restore goes only
into an *empty* database: one with no tables at all (no migration has run). Anything else is
refused, so a restore can never mix two sites or overwrite one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"
SQLITE_SUFFIXES = ("-wal", "-shm", "-journal")


class BackupError(Exception):
    """A backup or restore step failed; the message says which and why, in one line."""


def engine_of(db: Mapping[str, Any]) -> str:
    engine = str(db["ENGINE"])
    if engine.endswith("sqlite3"):
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise BackupError(f"unsupported database engine {engine!r}: only SQLite and PostgreSQL")


# ---------------------------------------------------------------------------------------------
# Writing a file atomically, mode 0600


@contextlib.contextmanager
def _atomic_file(dest: Path) -> Iterator[Path]:
    """A temporary path beside `dest` (mode 0600) to write; renamed onto `dest` when the block
    succeeds, removed when it fails."""
    folder = dest.parent
    if not folder.is_dir():
        raise BackupError(f"the folder {folder} does not exist")
    try:
        fd, name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=folder)  # mode 0600
    except OSError as exc:
        raise BackupError(f"cannot write in {folder}: {exc.strerror}") from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        tmp.chmod(0o600)
        with tmp.open("rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, dest)
        _fsync_dir(folder)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# ---------------------------------------------------------------------------------------------
# PostgreSQL client environment


def pg_env(db: Mapping[str, Any]) -> dict[str, str]:
    """libpq's environment for the configured database: host, port, user, name, password, sslmode."""
    env = dict(os.environ)
    values = {
        "PGHOST": db.get("HOST"),
        "PGPORT": db.get("PORT"),
        "PGUSER": db.get("USER"),
        "PGDATABASE": db.get("NAME"),
        "PGPASSWORD": db.get("PASSWORD"),
        "PGSSLMODE": (db.get("OPTIONS") or {}).get("sslmode"),
    }
    env.update({k: str(v) for k, v in values.items() if v not in (None, "")})
    return env


def _run_pg(tool: str, args: list[str], db: Mapping[str, Any]) -> str:
    """Run a PostgreSQL client tool; its standard output. BackupError with its first error line."""
    path = shutil.which(tool)
    if path is None:
        raise BackupError(f"{tool} is not installed (Debian: apt-get install postgresql-client)")
    proc = subprocess.run(  # noqa: S603  (no shell; the password travels in the environment)
        [path, "--no-password", *args], env=pg_env(db), capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        lines = [line for line in proc.stderr.strip().splitlines() if line.strip()]
        raise BackupError(f"{tool} failed: {lines[0] if lines else f'exit {proc.returncode}'}")
    return proc.stdout


# ---------------------------------------------------------------------------------------------
# Backup


def backup(db: Mapping[str, Any], dest: Path) -> int:
    """Write a backup of database `db` (a Django DATABASES entry) to `dest`; returns its size."""
    engine = engine_of(db)
    dest = dest.expanduser().absolute()
    if dest.is_dir():
        raise BackupError(f"{dest} is a folder: give a file name")
    with _atomic_file(dest) as tmp:
        if engine == "sqlite":
            _backup_sqlite(Path(db["NAME"]), tmp)
        else:
            _run_pg("pg_dump", ["--format=custom", f"--file={tmp}"], db)
    return dest.stat().st_size


def _backup_sqlite(source: Path, tmp: Path) -> None:
    if not source.is_file():
        raise BackupError(f"the database {source} does not exist")
    try:
        with (
            contextlib.closing(sqlite3.connect(source, timeout=30)) as src,
            contextlib.closing(sqlite3.connect(tmp)) as dst,
        ):
            src.backup(dst, pages=1024)  # in steps: writers wait only for one step at a time
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite backup of {source} failed: {exc}") from None


# ---------------------------------------------------------------------------------------------
# Restore


def kind_of(path: Path) -> str:
    """ "sqlite" or "postgresql" from the file's first bytes; BackupError for anything else."""
    try:
        with path.open("rb") as f:
            head = f.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise BackupError(f"cannot read {path}: {exc.strerror}") from None
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_CUSTOM_MAGIC):
        return "postgresql"
    raise BackupError(f"{path} is not a PainMind backup (neither an SQLite file nor a pg_dump custom archive)")


def check_restorable(db: Mapping[str, Any], backup_file: Path, tables: list[str]) -> None:
    """Refuse unless `backup_file` is a backup for this engine and the target has no tables."""
    engine = engine_of(db)
    kind = kind_of(backup_file)
    if kind != engine:
        raise BackupError(f"{backup_file} is a {kind} backup but the site's database is {engine}")
    if tables:
        where = db["NAME"] if engine == "sqlite" else f"database {db['NAME']!r}"
        raise BackupError(
            f"refusing to restore: {where} is not empty ({len(tables)} tables); "
            "restore only into a new, empty database (see docs/operations.md)"
        )


def migrations_in(backup_file: Path) -> set[tuple[str, str]]:
    """The migrations a backup records as applied, ``(app, name)``, read without restoring it:
    SQLite read-only; PostgreSQL through ``pg_restore --data-only --table=django_migrations
    --file=-``, which writes that table's rows as text and connects to no database."""
    if kind_of(backup_file) == "sqlite":
        uri = f"{backup_file.absolute().as_uri()}?mode=ro"
        try:
            with contextlib.closing(sqlite3.connect(uri, uri=True)) as conn:
                return {(str(a), str(n)) for a, n in conn.execute("SELECT app, name FROM django_migrations")}
        except sqlite3.Error as exc:
            raise BackupError(f"{backup_file} holds no migration record: {exc}") from None
    text = _run_pg("pg_restore", ["--data-only", "--table=django_migrations", "--file=-", str(backup_file)], {})
    found: set[tuple[str, str]] = set()
    in_copy = False
    for line in text.splitlines():
        if line.startswith("COPY ") and "django_migrations" in line:
            in_copy = True
        elif in_copy and line == "\\.":
            break
        elif in_copy:
            fields = line.split("\t")
            if len(fields) >= 3:
                found.add((fields[1], fields[2]))
    return found


def check_not_newer(backup_file: Path, known: set[tuple[str, str]], apps: set[str]) -> None:
    """Refuse a backup made by a newer PainMind: one that has applied a migration of one of
    `apps` (those this version has migrations for) that this version does not know (`known`).
    Its schema is ahead of this code, and `migrate` would silently leave it so."""
    newer = sorted((a, n) for a, n in migrations_in(backup_file) if a in apps and (a, n) not in known)
    if newer:
        app, name = newer[0]
        raise BackupError(
            f"refusing to restore: {backup_file} comes from a newer PainMind ({len(newer)} migration"
            f"{'s' if len(newer) > 1 else ''} this version lacks, e.g. {app}.{name}); "
            "restore it with that version or a later one"
        )


def restore(db: Mapping[str, Any], backup_file: Path, data_dir: Path) -> None:
    """Put `backup_file` in place as database `db` (checked empty by the caller, connections closed)."""
    if engine_of(db) == "sqlite":
        _restore_sqlite(backup_file, Path(db["NAME"]), data_dir)
    else:
        _run_pg(
            "pg_restore",
            [
                "--no-owner",
                "--no-acl",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={db['NAME']}",
                str(backup_file),
            ],
            db,
        )


def _restore_sqlite(backup_file: Path, target: Path, data_dir: Path) -> None:
    try:
        with contextlib.closing(sqlite3.connect(f"{backup_file.absolute().as_uri()}?mode=ro", uri=True)) as conn:
            status = conn.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.Error as exc:
        raise BackupError(f"{backup_file} cannot be read as SQLite: {exc}") from None
    if status != "ok":
        raise BackupError(f"{backup_file} is damaged: {status}")
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    data_dir.chmod(0o700)
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with _atomic_file(target) as tmp:
        shutil.copyfile(backup_file, tmp)
        for suffix in SQLITE_SUFFIXES:  # an empty database's leftovers must not be replayed onto it
            target.with_name(target.name + suffix).unlink(missing_ok=True)


def human_size(n: int) -> str:
    """A byte count as people read it.

    >>> human_size(512), human_size(2048), human_size(5 * 1024**2)
    ('512 bytes', '2.0 KB', '5.0 MB')
    """
    if n < 1024:
        return f"{n} bytes"
    value = n / 1024
    for unit in ("KB", "MB"):
        if value < 1024:
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"
