"""What an account's password change ends: every API token (sessions end by Django's own hash)."""

from __future__ import annotations

from typing import Any

from painmind.accounts.actions import do_revoke_all_api_tokens
from painmind.accounts.models.users import password_changed


def _end_tokens(sender: Any, user: Any, **kwargs: Any) -> None:
    do_revoke_all_api_tokens(user)


def connect() -> None:
    password_changed.connect(_end_tokens, dispatch_uid="painmind.accounts.end_tokens_on_password_change")
