"""One command per direction (`painmind export …`, `painmind import …`), one subcommand per
topic: each topic module gives `add_arguments(parser)` and `run(command, opts)`, so a topic is
added with one line in EXPORTS or IMPORTS and its code stays in its own module."""

from __future__ import annotations

from argparse import ArgumentParser
from importlib import import_module
from typing import Any, Protocol

from django.core.management.base import BaseCommand


class Topic(Protocol):
    HELP: str

    def add_arguments(self, parser: ArgumentParser) -> None: ...

    def run(self, command: BaseCommand, opts: dict[str, Any]) -> None: ...


# subcommand -> module (imported when the command is built)
EXPORTS: dict[str, str] = {
    "fhir": "painmind.exchange.fhir.cli.export",
    "research": "painmind.exchange.research.cli",
    "person": "painmind.exchange.management.commands._own_data",
}
IMPORTS: dict[str, str] = {
    "fhir": "painmind.exchange.fhir.cli.importing",
    "checkins": "painmind.exchange.imports.cli",
}


class TopicCommand(BaseCommand):
    topics: dict[str, str] = {}

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="topic", required=True)
        for name, module in self.topics.items():
            topic: Topic = import_module(module)
            topic.add_arguments(sub.add_parser(name, help=topic.HELP))

    def handle(self, *args: Any, **opts: Any) -> None:
        topic: Topic = import_module(self.topics[opts["topic"]])
        topic.run(self, opts)
