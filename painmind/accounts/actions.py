"""Every write to accounts, consent and API tokens: atomic, checked, recorded.

Invitations and share links are in `actions_sharing`."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.http import Http404
from django.utils import timezone

from painmind.accounts.audit import Actor
from painmind.accounts.models import ApiToken, Consent, Role, User
from painmind.lib.errors import ActionError
from painmind.lib.tokens import token_digest

TOKEN_PREFIX = "pm_"
# Updating last_used_at on every request would turn each read into a write.
TOKEN_TOUCH_INTERVAL = timedelta(minutes=5)


def do_create_user(
    email: str,
    password: str,
    *,
    role: str,
    discipline: str = "",
    display_name: str = "",
    time_zone: str | None = None,
    check_password: bool = True,
) -> User:
    """Create an account; the password is checked against the configured validators."""
    email = User.objects.normalize_email(email.strip()).lower()
    if role not in Role.values:
        raise ActionError({"role": [f"must be one of {', '.join(Role.values)}"]})
    candidate = User(email=email, role=role, discipline=discipline, display_name=display_name)
    if time_zone:
        candidate.time_zone = time_zone
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
    candidate.save()
    return candidate


def _errors_from(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for e in errs for m in e.messages] for field, errs in exc.error_dict.items()}
    return {"password": list(exc.messages)}


@transaction.atomic
def do_grant_consent(actor: Actor, clinician_email: str, *, expires_at: datetime | None = None) -> tuple[Consent, bool]:
    """The patient (actor) lets a clinician see their data: ``(consent, created)``.

    Granting a consent that is already active returns it unchanged (``created=False``).
    `expires_at` (aware, in the future) ends the grant by itself; None means until revoked.
    """
    patient = actor.user
    if patient is None or patient.role != Role.PATIENT:
        raise ActionError({"clinician_email": ["only a patient can share their own data"]})
    email = clinician_email.strip().lower()
    clinician = User.objects.filter(email=email, role=Role.CLINICIAN, is_active=True).first()
    if clinician is None:
        raise ActionError({"clinician_email": ["no active clinician has this email address"]})
    check_future(expires_at, "expires_at")
    return create_grant(patient, clinician, expires_at=expires_at)


def check_future(when: datetime | None, field: str) -> None:
    if when is None:
        return
    if timezone.is_naive(when):
        raise ActionError({field: ["needs a time zone"]})
    if when <= timezone.now():
        raise ActionError({field: ["must be in the future"]})


def create_grant(patient: User, clinician: User, *, expires_at: datetime | None) -> tuple[Consent, bool]:
    # Call inside a transaction. A grant that expired but was never revoked still holds the
    # pair's slot in the partial unique index: close it at its expiry (never before it was
    # granted, as the check constraint demands) so the new grant can take the slot.
    now = timezone.now()
    Consent.objects.filter(patient=patient, clinician=clinician, revoked_at__isnull=True, expires_at__lte=now).update(
        revoked_at=Greatest(F("expires_at"), F("granted_at"))
    )
    existing = Consent.objects.active().filter(patient=patient, clinician=clinician).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            consent = Consent.objects.create(
                patient=patient, clinician=clinician, granted_by=patient, expires_at=expires_at
            )
            return consent, True
    except IntegrityError:
        # A concurrent grant won the race; the partial unique index kept it to one row.
        return Consent.objects.active().get(patient=patient, clinician=clinician), False


@transaction.atomic
def do_revoke_consent(actor: Actor, consent_id: int | str) -> Consent:
    """The patient ends a clinician's access, effective from the very next request."""
    patient = actor.user
    try:
        cid = int(consent_id)
    except (TypeError, ValueError):
        raise Http404("No such consent.") from None
    if patient is None or patient.role != Role.PATIENT:
        raise Http404("No such consent.")
    consent = Consent.objects.select_for_update().filter(pk=cid, patient=patient).first()
    if consent is None:
        raise Http404("No such consent.")
    if consent.revoked_at is None:
        consent.revoked_at = timezone.now()
        consent.revoked_by = patient
        consent.save(update_fields=["revoked_at", "revoked_by"])
    return consent


def do_create_api_token(user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new API token for the user; the secret is returned once and never stored."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name[:80], prefix=secret[:10], digest=token_digest(secret))
    return token, secret


def authenticate_api_token(secret: str) -> User | None:
    """The active user holding this token, or None."""
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


def do_update_profile(actor: Actor, *, display_name: str, time_zone: str, country: str) -> User:
    """A person changes their own name, time zone and country (crisis resources follow it)."""
    user = actor.user
    if user is None:
        raise ActionError({"user": ["sign in first"]})
    user.display_name = display_name.strip()[:120]
    user.time_zone = time_zone.strip()
    user.country = country.strip().upper()
    try:
        user.full_clean(exclude=["password"], validate_unique=False)
    except ValidationError as exc:
        user.refresh_from_db()
        raise ActionError(_errors_from(exc)) from None
    user.save(update_fields=["display_name", "time_zone", "country"])
    return user
