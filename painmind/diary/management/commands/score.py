"""painmind score INSTRUMENT --answers 2,1,0,... — score answers and print the result as JSON.

Needs no database: it is for clinicians checking a paper form and researchers scoring data.
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from painmind.core.instruments import InvalidAnswers, score
from painmind.diary.instruments import scoring_options, site_instrument

BLANK = {"", "-", "na", "null", "none"}


def parse_answers(text: str) -> list[int | None]:
    """'2,1,,3' or '2,1,-,3' -> [2, 1, None, 3]; anything else that is not a whole number fails."""
    answers: list[int | None] = []
    for position, raw in enumerate(text.split(","), start=1):
        value = raw.strip().lower()
        if value in BLANK:
            answers.append(None)
            continue
        try:
            answers.append(int(value))
        except ValueError:
            raise CommandError(
                f"--answers: value {position} ({raw.strip()!r}) is not a whole number or blank"
            ) from None
    return answers


class Command(BaseCommand):
    help = "Score a questionnaire from the command line and print JSON (blank answers: leave empty or '-')."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("instrument", help="phq9, phq2, gad7, gad2, phq4, peg, pcs, pseq")
        parser.add_argument(
            "--answers", required=True, help="comma-separated item values in order, e.g. 1,2,0,1,3,0,0,1,0"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            instrument = site_instrument(opts["instrument"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        try:
            result = score(instrument, parse_answers(opts["answers"]), options=scoring_options())
        except InvalidAnswers as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(json.dumps(result.to_dict(), indent=2))
