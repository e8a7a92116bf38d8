"""painmind restore FILE — a `painmind backup` file into an empty site, then migrate.

Only into a database with no tables (docs/operations.md): a new PostgreSQL database, or no
SQLite file yet. SQLite: the file is copied into place (0600 in the 0700 data folder);
PostgreSQL: ``pg_restore`` in one transaction, owned by the restoring role. Then ``migrate``
brings a backup from an older version forward; a backup from a newer version (a migration this
version lacks) is refused before anything is written.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.db.migrations.loader import MigrationLoader

from painmind.lib.secret_key import tighten_permissions
from painmind.ops.backup import BackupError, check_not_newer, check_restorable, engine_of, restore


class Command(BaseCommand):
    help = "Restore a `painmind backup` FILE into an empty site (no tables yet), then migrate."
    requires_system_checks: list[str] = []  # checked by migrate, once the data is in place

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="a file written by `painmind backup`")
        parser.add_argument("--database", default="default", help="the database alias in settings")

    def handle(self, *args: Any, **opts: Any) -> None:
        alias, path = opts["database"], opts["file"]
        connection = connections[alias]
        db = connection.settings_dict
        try:
            engine_of(db)
            if not path.is_file():
                raise BackupError(f"{path} does not exist or is not a file")
            sqlite_file = Path(db["NAME"]) if engine_of(db) == "sqlite" else None
            # Looking into a SQLite file that does not exist would create it: no file is empty.
            tables = [] if sqlite_file is not None and not sqlite_file.exists() else _tables(connection)
            check_restorable(db, path, tables)
            loader = MigrationLoader(None, ignore_no_migrations=True)
            check_not_newer(path, set(loader.disk_migrations), set(loader.migrated_apps))
            connection.close()
            restore(db, path, Path(settings.DATA_DIR))
        except BackupError as exc:
            raise CommandError(f"restore failed: {exc}") from None
        if sqlite_file is not None:
            tighten_permissions(Path(settings.DATA_DIR), sqlite_file)
        call_command("migrate", database=alias, interactive=False, verbosity=0)
        self.stdout.write(f"Restored {path} and applied any newer migrations.")


def _tables(connection: Any) -> list[str]:
    try:
        with connection.cursor() as cursor:
            return list(connection.introspection.table_names(cursor))
    except Exception as exc:  # any driver error: one line, no traceback
        raise BackupError(f"cannot open the site's database: {str(exc).strip().splitlines()[0]}") from None
