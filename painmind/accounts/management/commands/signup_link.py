"""painmind signup-link create --role patient|clinician [--discipline D] [--email X] [--days N] [--uses N]
| list | revoke ID — sign-up links, for the operator (PAINMIND_SIGNUP_MODE=invitation)."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from painmind.accounts.actions.signup_links import SIGNUP_LINK_DAYS, do_create_signup_link, do_revoke_signup_link
from painmind.accounts.audit import Actor
from painmind.accounts.models import SIGNUP_LINK_ROLES, Discipline, SignupLink
from painmind.lib import mail
from painmind.lib.errors import ActionError


def _when(at: datetime | None) -> str:
    return at.isoformat(timespec="seconds") if at is not None else "-"


class Command(BaseCommand):
    help = "Manage sign-up links (PAINMIND_SIGNUP_MODE=invitation)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="print a new sign-up link (shown once, stored hashed)")
        create.add_argument("--role", required=True, choices=SIGNUP_LINK_ROLES)
        create.add_argument("--discipline", default="", choices=["", *Discipline.values], help="clinicians only")
        create.add_argument("--email", default="", help="only this address can sign up with the link")
        create.add_argument("--days", type=int, default=SIGNUP_LINK_DAYS, help="days until it expires")
        create.add_argument("--uses", type=int, default=1, help="how many accounts it can make")
        sub.add_parser("list", help="every sign-up link, one a line (tab-separated, UTC)")
        revoke = sub.add_parser("revoke", help="end the link with this ID (from `signup-link list`) now")
        revoke.add_argument("id")

    def handle(self, *args: Any, **opts: Any) -> None:
        actor = Actor.cli()
        if opts["action"] == "create":
            try:
                link, token = do_create_signup_link(
                    actor,
                    role=opts["role"],
                    discipline=opts["discipline"],
                    email=opts["email"],
                    days=opts["days"],
                    uses=opts["uses"],
                )
            except ActionError as exc:
                raise CommandError(str(exc)) from None
            if settings.PAINMIND_SIGNUP_MODE != "invitation":
                self.stderr.write(
                    f"note: PAINMIND_SIGNUP_MODE is {settings.PAINMIND_SIGNUP_MODE}; "
                    "links open sign-up only in invitation (or open) mode"
                )
            self.stdout.write(mail.absolute_url("accounts:signup_link", token))
            return
        if opts["action"] == "list":
            self.stdout.write("id\trole\temail\tuses\tstatus\tcreated_at\texpires_at")
            for link in SignupLink.objects.order_by("-created_at", "-id"):
                self.stdout.write(
                    f"{link.pk}\t{link.role}\t{link.email or '-'}\t{link.uses}/{link.max_uses}\t{link.status}"
                    f"\t{_when(link.created_at)}\t{_when(link.expires_at)}"
                )
            return
        raw = opts["id"]
        try:
            int(raw)
        except ValueError:
            raise CommandError(f"id: {raw!r} is not a whole number") from None
        try:
            link, changed = do_revoke_signup_link(actor, raw)
        except Http404:
            raise CommandError(f"no sign-up link with id {raw}") from None
        self.stdout.write(f"sign-up link {link.pk} " + ("revoked" if changed else "was already revoked"))
