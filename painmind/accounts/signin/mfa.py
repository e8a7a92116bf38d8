"""The second factor: required for the roles in PAINMIND_MFA_REQUIRED_ROLES (clinicians and admins
by default), optional for everyone else; and checked when an API token is minted."""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from painmind.accounts.models import Role, User

SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
# What a person who must enrol may still reach: enrolment itself, signing out, the help page.
ENROLMENT_OPEN_PATHS = ("/accounts/2fa/", "/accounts/reauthenticate/", "/accounts/logout/", "/logout/", "/help/")
PASSTHROUGH_PREFIXES = ("/static/", "/api/", "/healthz")


def mfa_required(user: User) -> bool:
    """Whether this person must have a second factor (site setting; superusers count as admins)."""
    roles = set(settings.PAINMIND_MFA_REQUIRED_ROLES)
    return user.role in roles or (user.is_superuser and Role.ADMIN in roles)


def has_second_factor(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exists()


def check_second_factor(user: User, code: str | None) -> bool:
    """For minting an API token: True when the account has no second factor, or `code` is a
    current TOTP code or an unused recovery code (which this then uses up)."""
    authenticators = {a.type: a for a in Authenticator.objects.filter(user=user)}
    if not any(t in authenticators for t in SECOND_FACTORS):
        return True
    code = (code or "").strip()
    if not code:
        return False
    for kind in (Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES):
        found = authenticators.get(kind)
        if found is not None and found.wrap().validate_code(code):
            found.record_usage()
            return True
    return False


class RequireMfaMiddleware:
    """A signed-in clinician or admin without a second factor is sent to enrolment and can do
    nothing else until enrolled (the API answers through its own token check)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        path = request.path
        if (
            user is not None
            and user.is_authenticated
            and not path.startswith(PASSTHROUGH_PREFIXES + ENROLMENT_OPEN_PATHS)
            and mfa_required(user)
            and not has_second_factor(user)
        ):
            messages.info(request, "Your role needs a second step at sign-in. Set up an authenticator app to go on.")
            return redirect("mfa_activate_totp")
        return self.get_response(request)


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """Someone whose role requires a second factor cannot remove their last one."""
        user = authenticator.user
        if authenticator.type in SECOND_FACTORS and mfa_required(user):
            others = Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exclude(pk=authenticator.pk)
            return others.exists()
        return True
