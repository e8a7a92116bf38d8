"""painmind token create EMAIL — print a new API token for an account."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from painmind.accounts.actions import do_create_api_token
from painmind.accounts.models import User


class Command(BaseCommand):
    help = "Manage API tokens."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="print a new token for EMAIL (shown once, stored hashed)")
        create.add_argument("email")
        create.add_argument("--name", default="cli", help="a label to recognise the token by")

    def handle(self, *args: Any, **opts: Any) -> None:
        user = User.objects.filter(email=opts["email"].strip().lower(), is_active=True).first()
        if user is None:
            raise CommandError(f"no active account with email {opts['email']!r}")
        _, secret = do_create_api_token(user, name=opts["name"])
        self.stdout.write(secret)
