"""painmind export fhir EMAIL --out FILE [--with-name]: a patient's FHIR R4 Bundle."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from painmind.exchange.fhir.cli import OPERATOR, patient_by_email
from painmind.exchange.fhir.export import patient_bundle

HELP = "a patient's data as a FHIR R4 Bundle (JSON)"


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("email", help="the patient's email")
    parser.add_argument("--out", required=True, help="file to write ('-' for standard output)")
    parser.add_argument("--with-name", action="store_true", help="include the patient's name")


def run(command: BaseCommand, opts: dict[str, Any]) -> None:
    bundle = patient_bundle(OPERATOR, patient_by_email(opts["email"]), with_name=opts["with_name"])
    text = json.dumps(bundle, indent=1, ensure_ascii=False)
    if opts["out"] == "-":
        command.stdout.write(text)
        return
    try:
        Path(opts["out"]).write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"--out: cannot write {opts['out']}: {exc.strerror}") from None
    command.stdout.write(f"wrote {len(bundle['entry'])} resources to {opts['out']}")  # type: ignore[arg-type]
