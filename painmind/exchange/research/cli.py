"""`painmind export research --out FILE [--format csv]`: the opted-in cohort, de-identified.

The operator at the command line, audited on every patient in the export. The check-ins go to
FILE (read it with `painmind analyze --data FILE --id-col id --time-col date`); scores,
medicines and tool use beside it (FILE-stem.scores.parquet, …)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from painmind.accounts.audit import Actor
from painmind.exchange.research.access import get_research_cohort_for_user
from painmind.exchange.research.files import FORMATS, sibling_paths, write_files
from painmind.exchange.research.tables import TABLES, research_tables

HELP = "De-identified research export of the patients who opted in (Parquet, or CSV)."


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, required=True, help="the check-in table; the others go beside it")
    parser.add_argument("--format", choices=FORMATS, default="parquet", help="default parquet")


def run(command: BaseCommand, opts: dict[str, Any]) -> None:
    out: Path = opts["out"]
    if not out.parent.is_dir():
        raise CommandError(f"--out: no such directory: {out.parent}")
    for path in sibling_paths(out, list(TABLES)).values():
        if path.is_dir():
            raise CommandError(f"--out: {path} is a directory")
    patients = get_research_cohort_for_user(Actor.cli())
    paths = write_files(research_tables(patients), out, opts["format"])
    command.stdout.write(f"{len(patients)} people who opted in to research; wrote {', '.join(map(str, paths))}")
