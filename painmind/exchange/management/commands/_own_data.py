"""`painmind export person EMAIL --out FILE`: a patient's "Download my data" zip, for the operator
(recorded in that patient's audit log as an export by the operator)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from painmind.accounts.access import get_patient_by_email_for_operator
from painmind.accounts.audit import Actor, record
from painmind.accounts.models import AuditAction
from painmind.exchange.own_data.archive import own_data_zip

HELP = "a patient's own data: the zip of CSV files they can download themselves"


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("email", help="the patient's e-mail address")
    parser.add_argument("--out", required=True, type=Path, help="the zip file to write")


def run(command: BaseCommand, opts: dict[str, Any]) -> None:
    operator = Actor.cli()
    try:
        person = get_patient_by_email_for_operator(operator, opts["email"])
    except Http404 as exc:
        raise CommandError(str(exc)) from None
    out: Path = opts["out"]
    if not out.parent.is_dir():
        raise CommandError(f"--out: folder {str(out.parent)!r} does not exist")
    record(operator, person, AuditAction.EXPORT, "own_data", detail="zip of CSV files")
    # Read as the person (their own loaders); the operator's export is the audit event above.
    partial = out.with_name(out.name + ".partial")
    with partial.open("wb") as f:
        for chunk in own_data_zip(Actor.cli(person), person):
            f.write(chunk)
    partial.replace(out)
    command.stdout.write(f"wrote {out}")
