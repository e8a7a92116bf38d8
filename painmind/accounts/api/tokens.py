"""The person's own API tokens: list the live ones, revoke one (the one in use included)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Router, Schema

from painmind.accounts.actions import active_tokens_for_user, do_revoke_api_token
from painmind.accounts.http import AuthedRequest
from painmind.accounts.models import ApiToken
from painmind.lib.api import ErrorOut

router = Router(tags=["accounts"])


class ApiTokenOut(Schema):
    id: int
    name: str
    prefix: str
    status: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime
    revoked_at: datetime | None


def token_out(token: ApiToken) -> dict[str, Any]:
    return {
        "id": token.pk,
        "name": token.name,
        "prefix": token.prefix,
        "status": token.status,
        "created_at": token.created_at,
        "last_used_at": token.last_used_at,
        "expires_at": token.expires_at,
        "revoked_at": token.revoked_at,
    }


@router.get("/auth/tokens", response={200: list[ApiTokenOut]})
def list_tokens(request: AuthedRequest) -> list[dict[str, Any]]:
    """Your own live API tokens (never their secrets), newest first. `last_used_at` is updated
    at most every 5 minutes."""
    return [token_out(t) for t in active_tokens_for_user(request.user)]


@router.delete("/auth/tokens/{token_id}", response={200: ApiTokenOut, 404: ErrorOut})
def revoke_token(request: AuthedRequest, token_id: int) -> dict[str, Any]:
    """End one of your tokens now: it answers 401 from the next request (this one's included)."""
    return token_out(do_revoke_api_token(request.user, token_id))
