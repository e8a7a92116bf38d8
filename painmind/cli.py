"""The `painmind` command: Django's management commands (and ours) behind one name."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["painmind", *(sys.argv[1:] if argv is None else argv)])
