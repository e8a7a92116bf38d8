"""`painmind import checkins FILE --user EMAIL --mapping MAPPING [--dry-run]`: another tracker's
CSV into a patient's diary (the operator at the command line; audited on each check-in)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from painmind.accounts.audit import Actor
from painmind.accounts.models import Role, User
from painmind.core.checkin_import import ImportFileError, MappingError, load_mapping
from painmind.exchange.imports.actions import ImportConflict, do_import_checkin_file

HELP = "Import check-ins from another tracker's CSV through a mapping (all rows or none)."


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="the CSV file")
    parser.add_argument("--user", required=True, help="the patient's email")
    parser.add_argument(
        "--mapping", required=True, help="a .toml or .json mapping, or a shipped one: generic, painmind"
    )
    parser.add_argument("--dry-run", action="store_true", help="check every row and report; store nothing")


def run(command: BaseCommand, opts: dict[str, Any]) -> None:
    try:
        mapping = load_mapping(opts["mapping"])
    except MappingError as exc:
        raise CommandError(str(exc)) from None
    patient = User.objects.filter(email__iexact=opts["user"], role=Role.PATIENT, is_active=True).first()
    if patient is None:
        raise CommandError(f"--user: no active patient with the email {opts['user']}")
    try:
        data = opts["file"].read_bytes()
    except OSError as exc:
        raise CommandError(f"FILE: cannot read {opts['file']}: {exc.strerror}") from None
    try:
        report = do_import_checkin_file(Actor.cli(), patient, data, mapping, dry_run=opts["dry_run"])
    except (ImportFileError, ImportConflict) as exc:
        raise CommandError(str(exc)) from None
    lines = report.lines()
    if not report.ok:
        command.stdout.write("\n".join(lines[1:]))  # every bad row, then the one-line error
        raise CommandError(lines[0])
    command.stdout.write("\n".join(lines))
