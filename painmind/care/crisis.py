"""The configured crisis directory, loaded once per process from settings."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.conf import settings

from painmind.core.crisis import CrisisDirectory, CrisisResource, load_crisis_directory


@cache
def _load(path: str) -> CrisisDirectory:
    return load_crisis_directory(Path(path))


def crisis_directory() -> CrisisDirectory:
    return _load(str(settings.CRISIS_RESOURCES_FILE))


def resources_for(country: str) -> tuple[list[CrisisResource], bool]:
    """``(services, matched)``: the country's services, or, when none is configured for it,
    every non-emergency service (labelled with its country) and ``matched=False``. Another
    country's emergency number is never offered: it would not connect."""
    directory = crisis_directory()
    found = directory.for_country(country)
    if found:
        return found, True
    others = [r for r in directory.resources if not r.emergency]
    return sorted(others, key=lambda r: r.country), False
