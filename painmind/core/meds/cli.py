"""``painmind meds check FILE|- [--on YYYY-MM-DD]``: MME/day and rules R1–R7 for a JSON list.

Runs without Django or a database (``painmind.cli`` dispatches here before Django starts), so
researchers and pharmacists can script it. Prints the JSON of :func:`~painmind.core.meds.check.to_json`
on stdout. Bad input exits 2 with one line on stderr naming the item and field, prints nothing
on stdout and writes nothing anywhere.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import NoReturn, TextIO

from painmind.core.meds.catalogue import load_catalogue
from painmind.core.meds.check import MedsInputError, check, parse_items, to_json

PROG = "painmind meds check"
EXIT_BAD_INPUT = 2


class _Usage(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line, like every other bad input (argparse would add a usage block).
        raise _Usage(message)


def _parser() -> _Parser:
    p = _Parser(prog=PROG, description="Check a medicine list: MME/day (CDC 2022) and safety rules R1-R7.")
    p.add_argument("file", help="JSON list of medicines, or - for standard input (see docs/meds.md)")
    p.add_argument("--on", type=_day, help="the day to check, YYYY-MM-DD (default: today, local time)")
    p.add_argument("--rules", type=Path, help="a site's reviewed copy of the rules file (default: the shipped one)")
    p.add_argument(
        "--verified-only",
        action="store_true",
        help="ignore class members and rules the clinical reference marks unverified",
    )
    return p


def _day(text: str) -> date:
    try:
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a date YYYY-MM-DD, got {text!r}") from None


def main(
    argv: list[str], *, stdin: TextIO | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run the command; return the exit status (0 ok, 2 bad input)."""
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    try:
        args = _parser().parse_args(argv)
        text = stdin.read() if args.file == "-" else _read(Path(args.file))
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            raise _Usage(f"input: not JSON ({exc})") from None
        catalogue = load_catalogue(args.rules) if args.rules else None
        on = args.on or datetime.now(UTC).astimezone().date()
        result = check(
            parse_items(raw, catalogue=catalogue), on, catalogue=catalogue, include_unverified=not args.verified_only
        )
    except (_Usage, MedsInputError, ValueError) as exc:
        print(f"{PROG}: {exc}", file=stderr)
        return EXIT_BAD_INPUT
    stdout.write(json.dumps(to_json(result), ensure_ascii=False, indent=2) + "\n")
    return 0


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _Usage(f"cannot read {path}: {exc.strerror if isinstance(exc, OSError) else exc}") from None


def subcommand(argv: Sequence[str]) -> int | None:
    """`painmind meds …` before Django: ``check`` runs here; anything else is left to Django (None)."""
    if list(argv[:1]) != ["check"]:
        return None
    return main(list(argv[1:]))
