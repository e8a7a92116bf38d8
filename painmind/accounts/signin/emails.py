"""allauth keeps a person's addresses in its own table; accounts made by the operator, the CLI or
before allauth have only `User.email`. On each sign-in such an account gets its address there too,
primary and verified (project rule: the operator who made the account vouched for it), so that
the e-mail page shows it and an e-mail change replaces it."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress

from painmind.accounts.models import User


def ensure_email_address(user: User) -> None:
    if user.email and not EmailAddress.objects.filter(user=user).exists():
        EmailAddress.objects.create(user=user, email=user.email.lower(), primary=True, verified=True)


def on_login(sender: Any, user: User, **kwargs: Any) -> None:
    ensure_email_address(user)
