"""painmind export TOPIC … — data out of PainMind (topics in _topics.EXPORTS)."""

from __future__ import annotations

from painmind.exchange.management.commands._topics import EXPORTS, TopicCommand


class Command(TopicCommand):
    help = "Export data: " + ", ".join(EXPORTS) if EXPORTS else "Export data."
    topics = EXPORTS
