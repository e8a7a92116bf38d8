"""The `painmind` command: Django's management commands (and ours) behind one name.

A few calls need no Django: `DJANGO_FREE` names, per subcommand, a function that runs before
Django is set up (about 1 s of start-up saved, and pandas with it).  It gets the arguments after
the subcommand and returns the exit code, or None to leave the call to Django's command of that
name (which shares its parser, so --help and usage errors are the same either way).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from importlib import import_module

# subcommand -> "module:function" (imported only when that subcommand is run)
DJANGO_FREE: dict[str, str] = {
    "analyze": "painmind.core.cycle.cli:main",  # --data/--csv files; stored diaries go to Django
    "meds": "painmind.core.meds.cli:subcommand",  # `meds check`: pure rules, no settings or database
}

# subcommand -> environment set (unless already set) before numpy is first imported.  analyze:
# numpy's large arrays without transparent huge pages (NumPy's NUMPY_MADVISE_HUGEPAGE).  With THP
# in "madvise" mode the kernel compacts memory to back each madvised array as it is first touched;
# at 100k patients that was 1.5-2.5 CPU s of system time in a ~10 CPU s run, for no user time saved
# (docs/benchmarks.md, "painmind analyze end to end").
PROCESS_ENV: dict[str, dict[str, str]] = {"analyze": {"NUMPY_MADVISE_HUGEPAGE": "0"}}

# subcommand as typed -> the management command's module name (which cannot hold a dash)
ALIASES: dict[str, str] = {"signup-link": "signup_link"}


def _django_free(args: Sequence[str]) -> int | None:
    if not args or args[0] not in DJANGO_FREE:
        return None
    module, _, name = DJANGO_FREE[args[0]].partition(":")
    entry: Callable[[Sequence[str]], int | None] = getattr(import_module(module), name)
    return entry(args[1:])


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args and "numpy" not in sys.modules:
        for key, value in PROCESS_ENV.get(args[0], {}).items():
            os.environ.setdefault(key, value)
    code = _django_free(args)
    if code is not None:
        if code:
            raise SystemExit(code)
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    if args and args[0] in ALIASES:
        args = [ALIASES[args[0]], *args[1:]]
    execute_from_command_line(["painmind", *args])
