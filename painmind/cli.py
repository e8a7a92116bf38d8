"""The `painmind` command: Django's management commands (and ours) behind one name."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    # `painmind meds check` is pure (core/meds): it runs without Django settings or a database.
    if args[:2] == ["meds", "check"]:
        from painmind.core.meds.cli import main as meds_check

        sys.exit(meds_check(args[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["painmind", *args])
