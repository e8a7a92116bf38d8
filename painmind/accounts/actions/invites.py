"""Invitations: a patient inviting a clinician by email or with a code, and the clinician's answer."""

from __future__ import annotations

import secrets
import unicodedata
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.crypto import salted_hmac

from painmind.accounts.actions.consent import check_future, do_create_grant
from painmind.accounts.audit import Actor, record
from painmind.accounts.models import AuditAction, Consent, Invite, InviteCodeAttempt, Role, User
from painmind.lib import mail
from painmind.lib.errors import ActionError
from painmind.lib.tokens import token_digest

INVITE_DAYS = 14
# No 0/O, 1/I/L, U/V: a code read aloud or copied from a phone should not be mistyped.
INVITE_ALPHABET = "ABCDEFGHJKMNPQRSTWXYZ23456789"
INVITE_CODE_LENGTH = 8


# Project rules (docs/security.md, "Invitation codes"): a clinician may enter at most
# CODE_ATTEMPTS_PER_HOUR codes that open nothing in any rolling hour; a patient may send at most
# INVITE_MAILS_PER_HOUR invitation e-mails in an hour and INVITE_MAILS_PER_DAY in a day.
CODE_ATTEMPTS_PER_HOUR = 10
INVITE_MAILS_PER_HOUR = 5
INVITE_MAILS_PER_DAY = 20
# The one answer to a code that opens nothing, whatever the reason (wrong, used, cancelled,
# declined, expired, or too many tries): a guesser learns nothing from it.
CODE_REFUSED = "this code cannot be used: check it with the patient, or ask them for a new invitation"
# The keyed digest's salt; changing it (or SECRET_KEY) makes every pending code unusable.
INVITE_CODE_SALT = "painmind.accounts.invite-code"
# The sender's name as quoted in an invitation e-mail: at most this many characters.
MAIL_NAME_MAX_CHARS = 60


def invite_code_digest(code: str) -> str:
    """What is stored for a code: HMAC-SHA-256, keyed with the site key (SECRET_KEY through
    Django's `salted_hmac`), of the code's SHA-256. Keyed so that a stolen database alone cannot
    be searched for the codes (there are only 29⁸ ≈ 5·10¹¹); of the SHA-256 so that the digests
    stored before (plain SHA-256) could be converted without knowing the codes (migration 0010)."""
    return salted_hmac(INVITE_CODE_SALT, token_digest(code), algorithm="sha256").hexdigest()


def format_invite_code(code: str) -> str:
    """``ABCDEFGH`` → ``ABCD-EFGH``: easier to read out and to type."""
    return f"{code[:4]}-{code[4:]}"


def normalize_invite_code(raw: str) -> str | None:
    """The code as stored (upper case, no spaces or dashes), or None if it cannot be one."""
    code = "".join(raw.split()).replace("-", "").upper()
    if len(code) != INVITE_CODE_LENGTH or any(c not in INVITE_ALPHABET for c in code):
        return None
    return code


@transaction.atomic
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
    check_future(consent_expires_at, "consent_expires_at")
    if email:
        _check_mail_limits(patient)
    code = "".join(secrets.choice(INVITE_ALPHABET) for _ in range(INVITE_CODE_LENGTH))
    now = timezone.now()
    invite = Invite.objects.create(
        patient=patient,
        email=email,
        code_digest=invite_code_digest(code),
        code_prefix=code[:3],
        created_at=now,
        invite_expires_at=now + timedelta(days=INVITE_DAYS),
        consent_expires_at=consent_expires_at,
    )
    if email:
        mail.after_commit(do_send_invite_mail, invite.pk)
    return invite, code


INVITE_SUBJECT = "An invitation to PainMind"


def quoted_name(name: str) -> str:
    """A sender's chosen name, fit to quote in an e-mail as data: control and format characters
    (line breaks, bidirectional overrides…) removed, runs of spaces made one, at most
    MAIL_NAME_MAX_CHARS characters (cut with "…"), and the quote marks that would let it close
    its own quotation replaced.
    """
    kept = "".join(" " if unicodedata.category(c).startswith("C") else c for c in name)
    kept = " ".join(kept.replace("“", "'").replace("”", "'").split())
    if len(kept) > MAIL_NAME_MAX_CHARS:
        kept = kept[: MAIL_NAME_MAX_CHARS - 1].rstrip() + "…"
    return kept


def invite_body(invite: Invite) -> str:
    """The invitation e-mail: who invites and a link to sign in. Deliberately nothing clinical,
    not even why the person is seen: e-mails are not private. The name is the patient's own
    choice, so it is quoted as a claim ("a PainMind user who calls themselves …"), never
    written as if the site said it."""
    patient = invite.patient
    if patient.display_name and quoted_name(patient.display_name):
        sender = f"A PainMind user who calls themselves “{quoted_name(patient.display_name)}”"
    else:
        sender = f"A PainMind user with the e-mail address “{quoted_name(patient.email)}”"
    return (
        f"{sender} has invited you to see their PainMind diary.\n\n"
        f"Sign in to accept or decline: {mail.absolute_url('care:panel')}\n\n"
        f"The invitation is valid until {invite.invite_expires_at.day} {invite.invite_expires_at:%b %Y}. "
        "If you do not have a PainMind clinician account with this email address, ask your "
        "PainMind administrator for one, or ignore this message.\n"
    )


def do_send_invite_mail(invite_id: int, *, now: datetime | None = None) -> int:
    """Claim one pending invitation's e-mail and send it: 1 when sent, else 0. Never raises on a
    mail failure.

    The claim is a conditional update of `Invite.emailed_at` (NULL → now), so two senders never
    both send; a failed send puts the NULL back and stamps `email_failed_at`, and
    `do_send_pending_invite_mail` (run by `painmind alerts`) tries again while the invitation
    is pending.
    """
    now = now or timezone.now()
    claimed = (
        Invite.objects.pending(now=now)
        .filter(pk=invite_id, emailed_at__isnull=True)
        .exclude(email="")
        .update(emailed_at=now)
    )
    if claimed != 1:
        return 0
    invite = Invite.objects.select_related("patient").get(pk=invite_id)
    if mail.send([mail.Mail(invite.email, INVITE_SUBJECT, invite_body(invite))], kind="invite", ref=invite_id):
        return 1
    Invite.objects.filter(pk=invite_id, emailed_at=now).update(emailed_at=None, email_failed_at=now)
    return 0


def do_send_pending_invite_mail(*, now: datetime | None = None) -> int:
    """Send the e-mail of every pending invitation whose e-mail has not gone out (the mail server
    was down). Safe to run twice, or twice at once. Returns how many were sent."""
    pending = (
        Invite.objects.pending(now=now)
        .filter(emailed_at__isnull=True)
        .exclude(email="")
        .order_by("created_at", "id")
        .values_list("pk", flat=True)
    )
    return sum(do_send_invite_mail(pk, now=now) for pk in list(pending))


def _check_mail_limits(patient: User) -> None:
    """Refuse a further invitation e-mail past the hourly or daily limit, so no account can make
    the server e-mail strangers in bulk. Locks the patient's row, so two invitations at once
    cannot both slip under a limit (on PostgreSQL; SQLite writes one at a time anyway)."""
    User.objects.select_for_update().filter(pk=patient.pk).first()
    now = timezone.now()
    sent = Invite.objects.filter(patient=patient, created_at__gt=now - timedelta(days=1)).exclude(email="")
    if sent.filter(created_at__gt=now - timedelta(hours=1)).count() >= INVITE_MAILS_PER_HOUR:
        raise ActionError(
            {"email": [f"{_MAIL_LIMIT} {INVITE_MAILS_PER_HOUR} invitations by e-mail in an hour; {_LATER}"]}
        )
    if sent.count() >= INVITE_MAILS_PER_DAY:
        raise ActionError({"email": [f"{_MAIL_LIMIT} {INVITE_MAILS_PER_DAY} invitations by e-mail in a day; {_LATER}"]})


_MAIL_LIMIT = "you can send at most"
_LATER = "try again later, or invite with a code"


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
    if isinstance(code_or_invite_id, int):
        invite = Invite.objects.select_related("patient").filter(pk=code_or_invite_id, email=clinician.email).first()
        if invite is None:
            raise ActionError({field: ["no such invitation"]})
        reason = _unusable_reason(invite)
        if reason is not None:
            raise ActionError({field: [reason]})
    else:
        found = _invite_for_code(clinician, code_or_invite_id)
        if found is None:
            raise ActionError({field: [CODE_REFUSED]})
        invite = found
    existing = Consent.objects.active().filter(patient=invite.patient, clinician=clinician).first()
    if existing is not None:
        return existing, False
    with transaction.atomic():
        now = timezone.now()
        claimed = Invite.objects.pending(now=now).filter(pk=invite.pk).update(accepted_at=now, accepted_by=clinician)
        if claimed != 1:
            invite.refresh_from_db()
            reason = _unusable_reason(invite) or "this invitation has already been used"
            raise ActionError({field: [reason if by_id else CODE_REFUSED]})
        consent, created = do_create_grant(invite.patient, clinician, expires_at=invite.consent_expires_at)
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


def _invite_for_code(clinician: User, raw: str) -> Invite | None:
    """The usable invitation this code opens for the clinician, or None, counted as a refused try.

    Every refusal takes the same steps (lock the clinician's row, count their recent refusals,
    digest the code, look it up, store the refusal), so neither the answer nor the work differs
    between a wrong, malformed, used or expired code and one entered over the limit. Over the
    limit even the right code is refused. Committed at once: the refusal is counted even though
    the caller then raises.
    """
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=clinician.pk).first()
        now = timezone.now()
        window = now - timedelta(hours=1)
        over_limit = (
            InviteCodeAttempt.objects.filter(clinician=clinician, at__gt=window).count() >= CODE_ATTEMPTS_PER_HOUR
        )
        code = normalize_invite_code(raw)
        digest = invite_code_digest(code if code is not None else raw)
        invite = Invite.objects.select_related("patient").filter(code_digest=digest).first()
        if code is not None and invite is not None and not over_limit and _unusable_reason(invite) is None:
            return invite
        InviteCodeAttempt.objects.filter(clinician=clinician, at__lte=window).delete()
        InviteCodeAttempt.objects.create(clinician=clinician, at=now)
        return None


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
