"""Sign-up links (PAINMIND_SIGNUP_MODE=invitation): made by the operator, an admin or (for
patients) a clinician, opened by the person they are for, used up by the sign-up they open,
revocable; every step on the link's trail (`SignupLinkEvent`).

Project rules (docs/accounts.md, "Sign-up links"): a link gives the role patient or clinician
(never admin or researcher); it lives SIGNUP_LINK_DAYS days by default, at most
SIGNUP_LINK_MAX_DAYS; it makes one account by default, at most SIGNUP_LINK_MAX_USES; an address
may open at most LINK_ATTEMPTS_PER_HOUR links that open nothing in a rolling hour, and past that
even a good link gets the one uniform refusal. A clinician makes only patient links, single use,
SIGNUP_LINK_DAYS days, and only in invitation mode; they see and revoke only their own.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, QuerySet
from django.http import Http404
from django.utils import timezone

from painmind.accounts.audit import Actor
from painmind.accounts.models import (
    SIGNUP_LINK_ROLES,
    Discipline,
    Role,
    SignupLink,
    SignupLinkAttempt,
    SignupLinkEvent,
    User,
)
from painmind.lib.errors import ActionError
from painmind.lib.tokens import token_digest

SIGNUP_LINK_PREFIX = "su_"
SIGNUP_LINK_DAYS = 7
SIGNUP_LINK_MAX_DAYS = 30
SIGNUP_LINK_MAX_USES = 100
LINK_ATTEMPTS_PER_HOUR = 10
# The one answer to a link that opens nothing, whatever the reason: nobody learns from it
# whether a link existed, was used, revoked or has expired.
LINK_REFUSED = "This sign-up link cannot be used. Ask whoever sent it to you for a new one."


def _event(link: SignupLink, kind: str, actor: Actor, *, account: User | None = None) -> None:
    SignupLinkEvent.objects.create(
        link=link, kind=kind, actor=actor.user, actor_label=actor.label, account=account, ip=actor.ip, via=actor.via
    )


def _may_manage(actor: Actor) -> bool:
    """The operator at the command line, or a signed-in admin (the admin site)."""
    if actor.user is None:
        return actor.via == "cli"
    return actor.user.is_active and (actor.user.is_superuser or actor.user.role == "admin")


def is_inviting_clinician(actor: Actor) -> bool:
    """A signed-in, active clinician, who may make patient links in invitation mode."""
    user = actor.user
    return user is not None and user.is_active and user.role == Role.CLINICIAN and not user.is_superuser


def _check_clinician_link(role: str, days: int, uses: int) -> None:
    """A clinician's link: a patient's, single use, SIGNUP_LINK_DAYS days, in invitation mode."""
    if settings.PAINMIND_SIGNUP_MODE != "invitation":
        raise ActionError({"signup_link": ["sign-up links are only used when sign-up is by invitation"]})
    if role != Role.PATIENT:
        raise ActionError({"role": ["a clinician can make sign-up links for patients only"]})
    if days != SIGNUP_LINK_DAYS:
        raise ActionError({"days": [f"a clinician's link lives {SIGNUP_LINK_DAYS} days"]})
    if uses != 1:
        raise ActionError({"uses": ["a clinician's link makes one account"]})


@transaction.atomic
def do_create_signup_link(
    actor: Actor,
    *,
    role: str,
    discipline: str = "",
    email: str = "",
    days: int = SIGNUP_LINK_DAYS,
    uses: int = 1,
    send_mail: bool = False,
) -> tuple[SignupLink, str]:
    """A new sign-up link: ``(link, token)``; the token is returned once, never stored.

    With `send_mail` (which needs `email`), the link is also e-mailed to that address once the
    transaction commits, within the sender's mail limits (`signup_link_mail`)."""
    from painmind.accounts.actions.signup_link_mail import check_signup_mail_limits, queue_signup_link_mail

    by_clinician = is_inviting_clinician(actor)
    if not (_may_manage(actor) or by_clinician):
        raise ActionError(
            {"signup_link": ["only a clinician, an administrator or the operator can make sign-up links"]}
        )
    if by_clinician:
        _check_clinician_link(role, days, uses)
    if role not in SIGNUP_LINK_ROLES:
        raise ActionError({"role": [f"must be one of {', '.join(SIGNUP_LINK_ROLES)}"]})
    discipline = discipline.strip()
    if role == "clinician" and discipline not in Discipline.values:
        raise ActionError({"discipline": [f"a clinician's link needs one of {', '.join(Discipline.values)}"]})
    if role != "clinician" and discipline:
        raise ActionError({"discipline": ["only a clinician's link has a discipline"]})
    email = email.strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ActionError({"email": ["enter a valid email address"]}) from None
        # Not for a clinician: the answer would tell them who has an account (a link to a taken
        # address simply cannot make one; its e-mail says to sign in instead).
        if not by_clinician and User.objects.filter(email__iexact=email).exists():
            raise ActionError({"email": ["an account with this email already exists"]})
    if send_mail and not email:
        raise ActionError({"email": ["enter the address to send the link to"]})
    if isinstance(days, bool) or not 1 <= days <= SIGNUP_LINK_MAX_DAYS:
        raise ActionError({"days": [f"must be a whole number from 1 to {SIGNUP_LINK_MAX_DAYS}"]})
    if isinstance(uses, bool) or not 1 <= uses <= SIGNUP_LINK_MAX_USES:
        raise ActionError({"uses": [f"must be a whole number from 1 to {SIGNUP_LINK_MAX_USES}"]})
    if send_mail:
        check_signup_mail_limits(actor)
    token = SIGNUP_LINK_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    link = SignupLink.objects.create(
        role=role,
        discipline=discipline,
        email=email,
        token_digest=token_digest(token),
        token_prefix=token[:8],
        created_at=now,
        created_by=actor.user,
        expires_at=now + timedelta(days=days),
        max_uses=uses,
        emailed_at=now if send_mail else None,
    )
    if send_mail:
        queue_signup_link_mail(link, token, actor)
    _event(link, SignupLinkEvent.Kind.CREATE, actor)
    return link, token


def signup_links_made_by(actor: Actor) -> QuerySet[SignupLink]:
    """The links this person made, newest first (none for the operator or someone without one)."""
    if actor.user is None:
        return SignupLink.objects.none()
    return SignupLink.objects.filter(created_by=actor.user).order_by("-created_at", "-id")


@transaction.atomic
def do_revoke_signup_link(actor: Actor, link_id: int | str) -> tuple[SignupLink, bool]:
    """End a link now: ``(link, True)``, or ``(link, False)`` when it had already ended by
    revocation (nothing changes). Http404 for a missing id, and for a clinician, for any link
    but their own."""
    own_only = is_inviting_clinician(actor)
    if not (_may_manage(actor) or own_only):
        raise Http404("No such sign-up link.")
    try:
        lid = int(link_id)
    except (TypeError, ValueError):
        raise Http404("No such sign-up link.") from None
    if not 0 < lid < 2**63:
        raise Http404("No such sign-up link.")
    found = SignupLink.objects.select_for_update().filter(pk=lid)
    link = (found.filter(created_by=actor.user) if own_only else found).first()
    if link is None:
        raise Http404("No such sign-up link.")
    if link.revoked_at is not None:
        return link, False
    link.revoked_at = timezone.now()
    link.save(update_fields=["revoked_at"])
    _event(link, SignupLinkEvent.Kind.REVOKE, actor)
    return link, True


def open_signup_link(token: str, ip: str | None) -> SignupLink | None:
    """The live link this token opens, or None, counted as a refused try from `ip`.

    Every refusal takes the same steps (count the address's recent refusals, digest, look up,
    store the refusal), so a wrong, used, revoked or expired link and one opened over the limit
    look alike. Committed at once: the refusal counts even though the caller then refuses."""
    key = ip or "unknown"
    with transaction.atomic():
        now = timezone.now()
        window = now - timedelta(hours=1)
        over_limit = SignupLinkAttempt.objects.filter(ip=key, at__gt=window).count() >= LINK_ATTEMPTS_PER_HOUR
        link = SignupLink.objects.live(now=now).filter(token_digest=token_digest(token)).first()
        if link is not None and not over_limit:
            return link
        SignupLinkAttempt.objects.filter(ip=key, at__lte=window).delete()
        SignupLinkAttempt.objects.create(ip=key, at=now)
        return None


def live_signup_link(link_id: object) -> SignupLink | None:
    """The link a sign-up session holds (its id), if it still opens sign-up."""
    if not isinstance(link_id, int) or not 0 < link_id < 2**63:
        return None
    return SignupLink.objects.live().filter(pk=link_id).first()


def claim_signup_link(link_id: int, email: str) -> SignupLink | None:
    """Take one use of a live link for a sign-up with `email`: the link, or None when it has no
    use left (or has ended, or is for another address). A conditional update, so of two sign-ups
    racing for a link's last use exactly one gets it. Call inside the transaction that makes the
    account: if that fails, the use is given back."""
    now = timezone.now()
    claimed = (
        SignupLink.objects.live(now=now)
        .filter(pk=link_id)
        .filter(email__in=["", email.strip().lower()])
        .update(uses=F("uses") + 1)
    )
    if claimed != 1:
        return None
    return SignupLink.objects.get(pk=link_id)


def record_signup_claim(link: SignupLink, account: User, actor: Actor) -> None:
    """The claim on the link's trail, naming the account it made."""
    _event(link, SignupLinkEvent.Kind.CLAIM, actor, account=account)
