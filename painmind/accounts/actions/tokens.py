"""API tokens: issuing one, and finding the person behind a bearer token."""

from __future__ import annotations

import secrets
from datetime import timedelta
from functools import cache

from django.db import connections, models, router
from django.utils import timezone

from painmind.accounts.models import ApiToken, User
from painmind.lib import sql
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
    """The active user holding this unrevoked token, or None.

    A write as well as a read: it records when the token was last used (``last_used_at``, at
    most once per `TOKEN_TOUCH_INTERVAL`). Every API request runs this, so the lookup is one
    statement whose SQL is built once from the models' metadata (the ORM took longer to build
    it than the database to answer it: docs/benchmarks.md); `User.objects.raw` still applies
    the fields' converters. Tested against revoked tokens, inactive users and the touch rule.
    """
    if not secret.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    conn = connections[router.db_for_read(User)]
    stale_before = conn.ops.adapt_datetimefield_value(now - TOKEN_TOUCH_INTERVAL)
    found = list(User.objects.db_manager(conn.alias).raw(_token_sql(conn.alias), [stale_before, token_digest(secret)]))
    if not found:
        return None
    user = found[0]
    if getattr(user, "token_stale", 0):
        ApiToken.objects.filter(pk=user.token_id).update(last_used_at=now)  # type: ignore[attr-defined]
    return user


@cache
def _token_sql(alias: str) -> str:
    # Only names from the models' metadata are formatted in (lib.sql); every value is a parameter.
    def col(model: type[models.Model], name: str) -> str:
        return sql.column(alias, model, name)

    user_columns = ", ".join(col(User, f.name) for f in User._meta.concrete_fields)
    last_used = col(ApiToken, "last_used_at")
    return (
        f"SELECT {user_columns}, {col(ApiToken, 'id')} AS token_id, "  # noqa: S608
        f"CASE WHEN {last_used} IS NULL OR {last_used} < %s THEN 1 ELSE 0 END AS token_stale "
        f"FROM {sql.table(alias, ApiToken)} INNER JOIN {sql.table(alias, User)} "
        f"ON {col(ApiToken, 'user')} = {col(User, 'id')} "
        f"WHERE {col(ApiToken, 'digest')} = %s AND {col(ApiToken, 'revoked_at')} IS NULL AND {col(User, 'is_active')}"
    )
