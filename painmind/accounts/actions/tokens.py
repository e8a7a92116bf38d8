"""API tokens: issuing one, and finding the person behind a bearer token."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.utils import timezone

from painmind.accounts.models import ApiToken, User
from painmind.lib.tokens import token_digest

TOKEN_PREFIX = "pm_"
# Updating last_used_at on every request would turn each read into a write.
TOKEN_TOUCH_INTERVAL = timedelta(minutes=5)


def do_create_api_token(user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new API token for the user; the secret is returned once and never stored."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name[:80], prefix=secret[:10], digest=token_digest(secret))
    return token, secret


def do_authenticate_api_token(secret: str) -> User | None:
    """The active user holding this token, or None.

    A write as well as a read: it records when the token was last used (``last_used_at``, at
    most once per `TOKEN_TOUCH_INTERVAL`).
    """
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOKEN_TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
