# ruff: noqa: N999 -- Django names a command after its file, and the command is `painmind import`.
"""painmind import TOPIC … — data into PainMind (topics in _topics.IMPORTS)."""

from __future__ import annotations

from painmind.exchange.management.commands._topics import IMPORTS, TopicCommand


class Command(TopicCommand):
    help = "Import data: " + ", ".join(IMPORTS) if IMPORTS else "Import data."
    topics = IMPORTS
