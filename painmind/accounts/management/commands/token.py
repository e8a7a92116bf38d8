"""painmind token create EMAIL | list EMAIL | revoke ID — an account's API tokens, for the operator."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from painmind.accounts.actions import active_tokens_for_user, do_create_api_token, do_revoke_api_token
from painmind.accounts.models import ApiToken, User


def _when(at: datetime | None) -> str:
    return at.isoformat(timespec="seconds") if at is not None else "-"


class Command(BaseCommand):
    help = "Manage API tokens."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="print a new token for EMAIL (shown once, stored hashed)")
        create.add_argument("email")
        create.add_argument("--name", default="cli", help="a label to recognise the token by")
        listing = sub.add_parser("list", help="the live tokens of EMAIL, one a line (tab-separated, UTC)")
        listing.add_argument("email")
        revoke = sub.add_parser("revoke", help="end the token with this ID (from `token list`) now")
        revoke.add_argument("id")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "revoke":
            self._revoke(opts["id"])
            return
        user = User.objects.filter(email=opts["email"].strip().lower(), is_active=True).first()
        if user is None:
            raise CommandError(f"no active account with email {opts['email']!r}")
        if opts["action"] == "create":
            _, secret = do_create_api_token(user, name=opts["name"])
            self.stdout.write(secret)
            return
        self.stdout.write("id\tname\tprefix\tcreated_at\tlast_used_at\texpires_at")
        for t in active_tokens_for_user(user):
            self.stdout.write(
                f"{t.pk}\t{t.name}\t{t.prefix}\t{_when(t.created_at)}\t{_when(t.last_used_at)}\t{_when(t.expires_at)}"
            )

    def _revoke(self, raw_id: str) -> None:
        try:
            token_id = int(raw_id)
        except ValueError:
            raise CommandError(f"id: {raw_id!r} is not a whole number") from None
        if not 0 < token_id < 2**63:
            raise CommandError(f"no token with id {token_id}")
        token = ApiToken.objects.filter(pk=token_id).select_related("user").first()
        if token is None:
            raise CommandError(f"no token with id {token_id}")
        was_live = token.status == "active"
        do_revoke_api_token(token.user, token_id)
        self.stdout.write(
            f"token {token_id} ({token.name or token.prefix}) of {token.user.email} "
            + ("revoked" if was_live else f"was already {token.status}")
        )
