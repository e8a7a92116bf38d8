"""Every write to accounts, consent and API tokens: atomic, checked, recorded."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from painmind.accounts.access import token_digest
from painmind.accounts.audit import Actor, record
from painmind.accounts.models import SHARE_SCOPES, ApiToken, AuditAction, Consent, Invite, Role, ShareLink, User

TOKEN_PREFIX = "pm_"
# Updating last_used_at on every request would turn each read into a write.
TOKEN_TOUCH_INTERVAL = timedelta(minutes=5)


class ActionError(Exception):
    """Bad input to an action: `errors` maps a field name to the reasons it was refused."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in errors.items()))

    @property
    def sentence(self) -> str:
        """The reasons as one sentence, for a page's message line."""
        return " ".join(m for msgs in self.errors.values() for m in msgs).capitalize() + "."


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
    _check_future(expires_at, "expires_at")
    return _grant(patient, clinician, expires_at=expires_at)


def _check_future(when: datetime | None, field: str) -> None:
    if when is None:
        return
    if timezone.is_naive(when):
        raise ActionError({field: ["needs a time zone"]})
    if when <= timezone.now():
        raise ActionError({field: ["must be in the future"]})


def _grant(patient: User, clinician: User, *, expires_at: datetime | None) -> tuple[Consent, bool]:
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


# Invitations ---------------------------------------------------------------------------------

INVITE_DAYS = 14
# No 0/O, 1/I/L, U/V: a code read aloud or copied from a phone should not be mistyped.
INVITE_ALPHABET = "ABCDEFGHJKMNPQRSTWXYZ23456789"
INVITE_CODE_LENGTH = 8


def format_invite_code(code: str) -> str:
    """``ABCDEFGH`` → ``ABCD-EFGH``: easier to read out and to type."""
    return f"{code[:4]}-{code[4:]}"


def normalize_invite_code(raw: str) -> str | None:
    """The code as stored (upper case, no spaces or dashes), or None if it cannot be one."""
    code = "".join(raw.split()).replace("-", "").upper()
    if len(code) != INVITE_CODE_LENGTH or any(c not in INVITE_ALPHABET for c in code):
        return None
    return code


def do_create_invite(
    actor: Actor, *, email: str = "", consent_expires_at: datetime | None = None
) -> tuple[Invite, str]:
    """The patient invites a clinician: ``(invite, code)``; the code is returned once, never stored.

    With `email`, that address gets an email (no clinical content: who invites, and a link to
    sign in) and the clinician with that address sees the invitation on their start page. The
    result is the same whether or not anyone is registered with the address, so an invitation
    never reveals who has an account. `consent_expires_at` is the grant's expiry once accepted.
    """
    patient = actor.user
    if patient is None or patient.role != Role.PATIENT:
        raise ActionError({"invite": ["only a patient can invite someone to see their data"]})
    email = email.strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ActionError({"email": ["enter a valid email address"]}) from None
        if email == patient.email:
            raise ActionError({"email": ["this is your own email address"]})
    _check_future(consent_expires_at, "consent_expires_at")
    code = "".join(secrets.choice(INVITE_ALPHABET) for _ in range(INVITE_CODE_LENGTH))
    now = timezone.now()
    invite = Invite.objects.create(
        patient=patient,
        email=email,
        code_digest=token_digest(code),
        code_prefix=code[:3],
        created_at=now,
        invite_expires_at=now + timedelta(days=INVITE_DAYS),
        consent_expires_at=consent_expires_at,
    )
    if email:
        _send_invite_email(invite)
    return invite, code


def _send_invite_email(invite: Invite) -> None:
    # Deliberately nothing clinical, not even why the person is seen: emails are not private.
    name = invite.patient.display_name or invite.patient.email
    body = (
        f"{name} has invited you to see their PainMind diary.\n\n"
        f"Sign in to accept or decline: {settings.BASE_URL}{reverse('care:panel')}\n\n"
        f"The invitation is valid until {invite.invite_expires_at:%d %b %Y}. "
        "If you do not have a PainMind clinician account with this email address, ask your "
        "PainMind administrator for one, or ignore this message.\n"
    )
    send_mail("An invitation to PainMind", body, None, [invite.email])


def _unusable_reason(invite: Invite) -> str | None:
    status = invite.status
    if status == "accepted":
        return "this invitation has already been used"
    if status == "declined":
        return "this invitation was declined"
    if status == "cancelled":
        return "the patient cancelled this invitation"
    if status == "expired":
        return "this invitation has expired; ask the patient for a new one"
    if not invite.patient.is_active:
        return "this invitation is no longer valid"
    if invite.consent_expires_at is not None and invite.consent_expires_at <= timezone.now():
        return "the sharing period the patient chose has already ended; ask them for a new invitation"
    return None


def do_accept_invite(actor: Actor, code_or_invite_id: str | int) -> tuple[Consent, bool]:
    """A clinician accepts an invitation, by its code (str) or, if addressed to them, its id (int).

    Creates the grant (``(consent, True)``), granted by the patient with the expiry they chose,
    and marks the invitation used, audited. A code works once: the invitation is claimed with a
    conditional update, so of two simultaneous acceptances exactly one succeeds. If the patient
    already shares with this clinician nothing changes (``(existing, False)``).
    """
    by_id = isinstance(code_or_invite_id, int)
    field = "invite_id" if by_id else "code"
    clinician = actor.user
    if clinician is None or not clinician.is_active or clinician.role != Role.CLINICIAN:
        raise ActionError({field: ["only a clinician can accept an invitation"]})
    invite: Invite | None
    if isinstance(code_or_invite_id, int):
        invite = Invite.objects.select_related("patient").filter(pk=code_or_invite_id, email=clinician.email).first()
        missing = "no such invitation"
    else:
        code = normalize_invite_code(code_or_invite_id)
        invite = None
        if code is not None:
            invite = Invite.objects.select_related("patient").filter(code_digest=token_digest(code)).first()
        missing = "this code is not valid; check it with the patient"
    if invite is None:
        raise ActionError({field: [missing]})
    reason = _unusable_reason(invite)
    if reason is not None:
        raise ActionError({field: [reason]})
    existing = Consent.objects.active().filter(patient=invite.patient, clinician=clinician).first()
    if existing is not None:
        return existing, False
    with transaction.atomic():
        now = timezone.now()
        claimed = Invite.objects.pending(now=now).filter(pk=invite.pk).update(accepted_at=now, accepted_by=clinician)
        if claimed != 1:
            invite.refresh_from_db()
            raise ActionError({field: [_unusable_reason(invite) or "this invitation has already been used"]})
        consent, created = _grant(invite.patient, clinician, expires_at=invite.consent_expires_at)
        Invite.objects.filter(pk=invite.pk).update(consent=consent)
        record(
            actor,
            invite.patient,
            AuditAction.CREATE,
            "consent",
            object_id=consent.pk,
            detail=f"accepted invitation {invite.code_prefix}…",
        )
    return consent, created


@transaction.atomic
def do_decline_invite(actor: Actor, invite_id: int | str) -> Invite:
    """A clinician declines a pending invitation addressed to them; Http404 for any other."""
    user = actor.user
    try:
        iid = int(invite_id)
    except (TypeError, ValueError):
        raise Http404("No such invitation.") from None
    if user is None or user.role != Role.CLINICIAN:
        raise Http404("No such invitation.")
    invite = Invite.objects.select_for_update().filter(pk=iid, email=user.email).first()
    if invite is None:
        raise Http404("No such invitation.")
    reason = _unusable_reason(invite)
    if reason is not None:
        raise ActionError({"invite_id": [reason]})
    invite.declined_at = timezone.now()
    invite.save(update_fields=["declined_at"])
    return invite


@transaction.atomic
def do_cancel_invite(actor: Actor, invite_id: int | str) -> Invite:
    """The patient withdraws a pending invitation of theirs; cancelling twice is harmless."""
    user = actor.user
    try:
        iid = int(invite_id)
    except (TypeError, ValueError):
        raise Http404("No such invitation.") from None
    if user is None or user.role != Role.PATIENT:
        raise Http404("No such invitation.")
    invite = Invite.objects.select_for_update().filter(pk=iid, patient=user).first()
    if invite is None:
        raise Http404("No such invitation.")
    if invite.cancelled_at is not None:
        return invite
    if invite.accepted_at is not None:
        raise ActionError({"invite_id": ["already accepted: stop sharing with that clinician instead"]})
    invite.cancelled_at = timezone.now()
    invite.save(update_fields=["cancelled_at"])
    return invite


# Share links -------------------------------------------------------------------------------

SHARE_LINK_MAX_DAYS = 30


def do_create_share_link(actor: Actor, *, label: str, scopes: Iterable[str], days: int) -> tuple[ShareLink, str]:
    """The patient makes a read-only link: ``(link, token)``; the token is returned once.

    `scopes` ⊆ ``SHARE_SCOPES`` (at least one); the link works for `days` days (1 to 30).
    """
    patient = actor.user
    if patient is None or patient.role != Role.PATIENT:
        raise ActionError({"label": ["only a patient can share their own data"]})
    errors: dict[str, list[str]] = {}
    label = " ".join(label.split())
    if not label:
        errors["label"] = ["give the link a name, e.g. the appointment it is for"]
    elif len(label) > 80:
        errors["label"] = ["at most 80 characters"]
    chosen = set(scopes)
    unknown = chosen - set(SHARE_SCOPES)
    if unknown:
        errors["scopes"] = [f"unknown section(s): {', '.join(sorted(unknown))}"]
    elif not chosen:
        errors["scopes"] = ["choose at least one section to show"]
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= SHARE_LINK_MAX_DAYS:
        errors["days"] = [f"between 1 and {SHARE_LINK_MAX_DAYS} days"]
    if errors:
        raise ActionError(errors)
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    link = ShareLink.objects.create(
        patient=patient,
        label=label,
        token_digest=token_digest(token),
        token_prefix=token[:6],
        created_at=now,
        expires_at=now + timedelta(days=days),
        **{scope: scope in chosen for scope in SHARE_SCOPES},
    )
    return link, token


@transaction.atomic
def do_revoke_share_link(actor: Actor, link_id: int | str) -> ShareLink:
    """The patient switches a link off, from the very next request; revoking twice is harmless."""
    user = actor.user
    try:
        lid = int(link_id)
    except (TypeError, ValueError):
        raise Http404("No such link.") from None
    if user is None or user.role != Role.PATIENT:
        raise Http404("No such link.")
    link = ShareLink.objects.select_for_update().filter(pk=lid, patient=user).first()
    if link is None:
        raise Http404("No such link.")
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
    return link
