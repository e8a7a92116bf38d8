# ruff: noqa: N999 -- Django names a command after its file, and the command is `painmind delete-person`.
"""painmind delete-person EMAIL --yes — the operator deletes an account (docs/privacy.md)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from painmind.accounts.audit import Actor
from painmind.exchange.own_data.actions import do_delete_person
from painmind.lib.errors import ActionError


class Command(BaseCommand):
    help = "Delete a person's account and records; the audit log keeps a pseudonym."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--yes", action="store_true", help="confirm: this cannot be undone")

    def handle(self, *args: Any, **opts: Any) -> None:
        if not opts["yes"]:
            raise CommandError("--yes: required, deleting an account cannot be undone")
        try:
            erased = do_delete_person(Actor.cli(), opts["email"])
        except ActionError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"deleted {sum(erased.deleted.values())} records; "
            f"{sum(erased.pseudonymised.values())} history rows now name a pseudonym"
        )
