"""painmind backup FILE — the site's database in one file (docs/operations.md).

SQLite through its online backup API, PostgreSQL through ``pg_dump`` custom format; safe while
the site serves. The file appears only when complete (written beside it, then renamed), mode 0600.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from painmind.ops.backup import BackupError, backup, human_size


class Command(BaseCommand):
    help = "Back up the database to FILE (SQLite: online backup; PostgreSQL: pg_dump -Fc); mode 0600."
    requires_system_checks: list[str] = []  # a backup must work even on a site whose settings need attention

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="the backup file to write (replaced if it exists)")
        parser.add_argument("--database", default="default", help="the database alias in settings")

    def handle(self, *args: Any, **opts: Any) -> None:
        db = connections[opts["database"]].settings_dict
        try:
            size = backup(db, opts["file"])
        except BackupError as exc:
            raise CommandError(f"backup failed: {exc}") from None
        self.stdout.write(f"Backed up the database to {opts['file']} ({human_size(size)}).")
