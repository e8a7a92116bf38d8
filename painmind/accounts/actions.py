"""Every write to accounts, consent and API tokens: atomic, checked, recorded."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from painmind.accounts.audit import Actor
from painmind.accounts.models import ApiToken, Consent, Role, User

TOKEN_PREFIX = "pm_"
# Updating last_used_at on every request would turn each read into a write.
TOKEN_TOUCH_INTERVAL = timedelta(minutes=5)


class ActionError(Exception):
    """Bad input to an action: `errors` maps a field name to the reasons it was refused."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in errors.items()))


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
def do_grant_consent(actor: Actor, clinician_email: str) -> tuple[Consent, bool]:
    """The patient (actor) lets a clinician see their data: ``(consent, created)``.

    Granting a consent that is already active returns it unchanged (``created=False``).
    """
    patient = actor.user
    if patient is None or patient.role != Role.PATIENT:
        raise ActionError({"clinician_email": ["only a patient can share their own data"]})
    email = clinician_email.strip().lower()
    clinician = User.objects.filter(email=email, role=Role.CLINICIAN, is_active=True).first()
    if clinician is None:
        raise ActionError({"clinician_email": ["no active clinician has this email address"]})
    existing = Consent.objects.active().filter(patient=patient, clinician=clinician).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return Consent.objects.create(patient=patient, clinician=clinician, granted_by=patient), True
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


def _digest(secret: str) -> str:
    # Tokens carry 256 bits of randomness, so a fast hash is enough (unlike passwords).
    return hashlib.sha256(secret.encode()).hexdigest()


def do_create_api_token(user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new API token for the user; the secret is returned once and never stored."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name[:80], prefix=secret[:10], digest=_digest(secret))
    return token, secret


def authenticate_api_token(secret: str) -> User | None:
    """The active user holding this token, or None."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(secret), revoked_at__isnull=True, user__is_active=True)
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
