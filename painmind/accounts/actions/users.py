"""Accounts: creating one, and a person changing their own settings."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_countries import countries

from painmind.accounts.audit import Actor
from painmind.accounts.models import Role, User
from painmind.accounts.signin.emails import ensure_email_address
from painmind.lib.errors import ActionError


def do_create_user(
    email: str,
    password: str,
    *,
    role: str,
    discipline: str = "",
    display_name: str = "",
    time_zone: str | None = None,
    country: str | None = None,
    check_password: bool = True,
) -> User:
    """Create an account; the password is checked against the configured validators.

    `country` (ISO 3166 code) decides which crisis services the person sees; without it, the
    site's default country."""
    email = User.objects.normalize_email(email.strip()).lower()
    if role not in Role.values:
        raise ActionError({"role": [f"must be one of {', '.join(Role.values)}"]})
    candidate = User(email=email, role=role, discipline=discipline, display_name=display_name)
    if time_zone:
        candidate.time_zone = time_zone
    if country:
        candidate.country = clean_country(country)
    try:
        candidate.full_clean(exclude=["password"], validate_unique=False)
        if check_password:
            validate_password(password, candidate)
    except ValidationError as exc:
        raise ActionError(_errors_from(exc)) from None
    if User.objects.filter(email=email).exists():
        raise ActionError({"email": ["an account with this email already exists"]})
    candidate.set_password(password)
    candidate.is_staff = candidate.is_superuser = role == Role.ADMIN
    with transaction.atomic():
        candidate.save()
        # The operator vouches for the address: verified, so that an e-mail change replaces it.
        ensure_email_address(candidate)
    return candidate


def clean_country(raw: str) -> str:
    """An ISO 3166 code from user input (any case, spaces trimmed); ActionError on `country` if
    it is not one."""
    code = raw.strip().upper()
    if code not in countries:
        raise ActionError(
            {"country": [f"{raw.strip()[:20]!r} is not a country code; use an ISO 3166 code such as GB or US"]}
        )
    return code


def _errors_from(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for e in errs for m in e.messages] for field, errs in exc.error_dict.items()}
    return {"password": list(exc.messages)}


def do_update_profile(actor: Actor, *, display_name: str, time_zone: str, country: str) -> User:
    """A person changes their own name, time zone and country (crisis resources follow it)."""
    user = actor.user
    if user is None:
        raise ActionError({"user": ["sign in first"]})
    user.display_name = display_name.strip()[:120]
    user.time_zone = time_zone.strip()
    try:
        user.country = clean_country(country)
        user.full_clean(exclude=["password"], validate_unique=False)
    except ValidationError as exc:
        user.refresh_from_db()
        raise ActionError(_errors_from(exc)) from None
    except ActionError:
        user.refresh_from_db()
        raise
    user.save(update_fields=["display_name", "time_zone", "country"])
    return user


def do_mark_welcomed(actor: Actor) -> bool:
    """Remember that the person has been shown the first-sign-in walk-through: True the first
    time, False after (a conditional update, so two tabs at once still make it once)."""
    user = actor.user
    if user is None:
        raise ActionError({"user": ["sign in first"]})
    now = timezone.now()
    done = User.objects.filter(pk=user.pk, welcomed_at__isnull=True).update(welcomed_at=now) == 1
    if done:
        user.welcomed_at = now
    return done
