"""API authentication: the bearer token every route checks, the acting person, and signing in for a token."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.security import HttpBearer

from painmind.accounts.actions import do_authenticate_api_token, do_create_api_token
from painmind.accounts.audit import Actor
from painmind.accounts.models import User
from painmind.accounts.signin.mfa import check_second_factor, has_second_factor, mfa_required
from painmind.lib.api import ErrorOut, error_body
from painmind.lib.schemas import In, Text

router = Router(tags=["accounts"])


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = do_authenticate_api_token(token)
        if user is not None:
            request.user = user
        return user


def actor(request: HttpRequest) -> Actor:
    return Actor.from_request(request, "api")


class TokenIn(In):
    email: Text
    password: Text
    # What the token is for ("phone", "sync script"), shown on the tokens page; default "API sign-in".
    name: Text = Field(default="API sign-in", max_length=80)
    # The current code from the authenticator app, or an unused recovery code: required when the
    # account has a second factor (docs/accounts.md).
    code: Text | None = None


class TokenOut(Schema):
    token: str
    id: int
    name: str
    expires_at: datetime


@router.post("/auth/token", auth=None, response={200: TokenOut, 401: ErrorOut, 403: ErrorOut, 429: ErrorOut})
def create_token(request: HttpRequest, payload: TokenIn) -> Status[Any]:
    """Exchange an email and password (and, when the account has a second factor, its current
    code or a recovery code) for a named bearer token (shown once; stored hashed) that expires
    after the site's token lifetime (90 days by default). An account keeps at most the site's cap
    of live tokens (10 by default): a new one revokes the least recently used."""
    user = authenticate(request, username=payload.email.strip().lower(), password=payload.password)
    if getattr(request, "axes_locked_out", False):
        return Status(429, {"detail": "Too many failed sign-in attempts; try again later.", "errors": []})
    if user is None:
        return Status(401, {"detail": "Invalid email or password.", "errors": []})
    refused = second_factor_refusal(user, payload.code)
    if refused is not None:
        return refused
    token, secret = do_create_api_token(user, name=payload.name.strip() or "API sign-in")
    return Status(200, {"token": secret, "id": token.pk, "name": token.name, "expires_at": token.expires_at})


def second_factor_refusal(user: User, code: str | None) -> Status[Any] | None:
    """Why a token is refused for the second factor, or None. Kept apart so that the token work
    (named, expiring tokens) can call it from its own endpoint."""
    if not check_second_factor(user, code):
        detail = "This account has two-step sign-in: send the current code from your authenticator app."
        return Status(401, error_body(detail, {"code": ["a current code or an unused recovery code is required"]}))
    if mfa_required(user) and not has_second_factor(user):
        detail = "Your role needs two-step sign-in: set up an authenticator app on the website first."
        return Status(403, {"detail": detail, "errors": []})
    return None
