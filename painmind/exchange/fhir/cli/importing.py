"""painmind import fhir FILE --user EMAIL [--dry-run]: a Bundle into one patient's diary."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from painmind.core.fhir import BundleError
from painmind.exchange.fhir.cli import OPERATOR, patient_by_email
from painmind.exchange.fhir.imports import do_import_fhir_bundle

HELP = "a FHIR R4 Bundle of questionnaire responses and diary Observations, into one diary"


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("file", help="the Bundle (JSON)")
    parser.add_argument("--user", required=True, help="the patient's email")
    parser.add_argument("--dry-run", action="store_true", help="check and report; write nothing")


def run(command: BaseCommand, opts: dict[str, Any]) -> None:
    try:
        data = json.loads(Path(opts["file"]).read_text(encoding="utf-8"))
    except OSError as exc:
        raise CommandError(f"file: cannot read {opts['file']}: {exc.strerror}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise CommandError(f"file: not JSON: {exc}") from None
    patient = patient_by_email(opts["user"])
    try:
        report = do_import_fhir_bundle(OPERATOR, patient, data, dry_run=opts["dry_run"])
    except BundleError as exc:
        raise CommandError(f"nothing imported: {exc}") from None
    command.stdout.write(report.summary())
    for skipped in report.skipped:
        command.stdout.write(f"  skipped entry[{skipped.entry}] {skipped.resource_type}: {skipped.reason}")
