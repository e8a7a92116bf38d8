"""API tokens: issuing one, listing and revoking them, and finding the person behind a bearer token.

Project rules (docs/security.md): a token lives `settings.TOKEN_DAYS` days (90 by default);
an account holds at most `settings.TOKEN_MAX_ACTIVE` live tokens: making one more revokes the
least recently used, so signing in over the API again and again never piles up open tokens; a
password change or reset revokes them all (`do_revoke_all_api_tokens`, called from `User.save`).
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from functools import cache

from django.conf import settings
from django.db import connections, models, router, transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone

from painmind.accounts.models import ApiToken, User
from painmind.lib import sql
from painmind.lib.tokens import token_digest

TOKEN_PREFIX = "pm_"
# Updating last_used_at on every request would turn each read into a write.
TOKEN_TOUCH_INTERVAL = timedelta(minutes=5)


def do_create_api_token(user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new API token for the user, valid for `settings.TOKEN_DAYS` days; the secret is
    returned once and never stored. Past `settings.TOKEN_MAX_ACTIVE` live tokens, the least
    recently used (never-used counting by creation) are revoked, in the same transaction."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        # Serialises two sign-ins of one account, so the cap holds under concurrency.
        User.objects.select_for_update().filter(pk=user.pk).first()
        token = ApiToken.objects.create(
            user=user,
            name=name.strip()[:80],
            prefix=secret[:10],
            digest=token_digest(secret),
            created_at=now,
            expires_at=now + timedelta(days=settings.TOKEN_DAYS),
        )
        live = ApiToken.objects.filter(user=user).active(now=now)
        surplus = list(
            live.order_by(F("last_used_at").desc(nulls_last=True), "-created_at", "-id").values_list("pk", flat=True)[
                settings.TOKEN_MAX_ACTIVE :
            ]
        )
        if surplus:
            ApiToken.objects.filter(pk__in=surplus).update(revoked_at=now)
    return token, secret


def active_tokens_for_user(user: User) -> list[ApiToken]:
    """The person's own tokens that still open the API, most recently made first."""
    return list(ApiToken.objects.filter(user=user).active().order_by("-created_at", "-id"))


def do_revoke_api_token(user: User, token_id: int | str) -> ApiToken:
    """End one of the person's own tokens now. Someone else's, or a missing id, is a 404 (the
    same answer); revoking an ended token again changes nothing."""
    try:
        tid = int(token_id)
    except (TypeError, ValueError):
        raise Http404("No such token.") from None
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(pk=tid, user=user).first()
        if token is None:
            raise Http404("No such token.")
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
    return token


def do_revoke_all_api_tokens(user: User) -> int:
    """End every live token of the account (a password change or reset); returns how many."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def do_authenticate_api_token(secret: str) -> User | None:
    """The active user holding this token, unrevoked and unexpired, or None.

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
    now_db = conn.ops.adapt_datetimefield_value(now)
    params = [stale_before, token_digest(secret), now_db]
    found = list(User.objects.db_manager(conn.alias).raw(_token_sql(conn.alias), params))
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
        f"WHERE {col(ApiToken, 'digest')} = %s AND {col(ApiToken, 'revoked_at')} IS NULL "
        f"AND {col(ApiToken, 'expires_at')} > %s AND {col(User, 'is_active')}"
    )
