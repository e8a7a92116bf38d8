"""painmind createuser EMAIL --role ROLE [--discipline D] [--name N] [--country CC] [--password-file F]"""

from __future__ import annotations

import getpass
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from painmind.accounts.actions import clean_country, do_create_user
from painmind.accounts.models import Discipline, Role
from painmind.lib.errors import ActionError


class Command(BaseCommand):
    help = "Create an account. The password comes from a prompt or --password-file, never the command line."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--discipline", default="", choices=["", *Discipline.values], help="clinicians only")
        parser.add_argument("--name", default="", help="display name")
        parser.add_argument("--time-zone", default=None, help="IANA zone, e.g. Europe/London")
        parser.add_argument(
            "--country",
            default=None,
            help="ISO 3166 code, e.g. GB: which crisis services they see (default: the site's)",
        )
        parser.add_argument("--password-file", type=Path, help="file whose first line is the password")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["country"] is not None:
            try:  # before the password prompt: a typo should not cost the operator a password
                opts["country"] = clean_country(opts["country"])
            except ActionError as exc:
                raise CommandError(str(exc)) from None
        password = self._password(opts["password_file"])
        try:
            user = do_create_user(
                opts["email"],
                password,
                role=opts["role"],
                discipline=opts["discipline"],
                display_name=opts["name"],
                time_zone=opts["time_zone"],
                country=opts["country"],
            )
        except ActionError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Created {user.role} {user.email} (id {user.pk}).")

    def _password(self, path: Path | None) -> str:
        if path is not None:
            try:
                lines = path.read_text().splitlines()
            except OSError as exc:
                raise CommandError(f"cannot read --password-file: {exc.strerror}") from None
            if not lines or not lines[0]:
                raise CommandError("--password-file is empty")
            return lines[0]
        if not sys.stdin.isatty():
            raise CommandError("no terminal to prompt for a password: use --password-file")
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("the passwords do not match")
        return first
