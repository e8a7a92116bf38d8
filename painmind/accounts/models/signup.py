"""Sign-up links: how an operator lets a person make their own account when sign-up is by
invitation (PAINMIND_SIGNUP_MODE=invitation; docs/accounts.md, "Sign-up links")."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from painmind.accounts.models.audit import AppendOnlyModel

# The roles a link can give (project rule: never admin or researcher; those the operator makes).
SIGNUP_LINK_ROLES = ("patient", "clinician")


class SignupLinkQuerySet(models.QuerySet["SignupLink"]):
    def live(self, *, now: datetime | None = None) -> SignupLinkQuerySet:
        """Not revoked, not past its expiry, and with a use left: the links that open sign-up."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now(), uses__lt=F("max_uses"))


class SignupLink(models.Model):
    """A link that opens sign-up for one role, until it expires, is revoked or is used up.

    Only the SHA-256 digest of the token is stored (it carries 256 random bits, like an API
    token), with its first characters to tell links apart; the link itself is shown once. With
    `email`, only that address can sign up through it.
    """

    role = models.CharField(max_length=16, choices=[(r, r) for r in SIGNUP_LINK_ROLES])
    discipline = models.CharField(max_length=24, blank=True)
    email = models.EmailField(blank=True)
    token_digest = models.CharField(max_length=64, unique=True)
    token_prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now)
    # None: the operator at the command line.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    expires_at = models.DateTimeField()
    max_uses = models.PositiveIntegerField(default=1)
    uses = models.PositiveIntegerField(default=0)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # When the link was put in the mail queue to `email` (a clinician's "send it by e-mail");
    # counted for the sender's mail limits (actions.signup_link_mail).
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = SignupLinkQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(role__in=SIGNUP_LINK_ROLES), name="signup_link_role"),
            models.CheckConstraint(
                condition=Q(role="clinician", discipline__gt="") | (~Q(role="clinician") & Q(discipline="")),
                name="signup_link_discipline_iff_clinician",
            ),
            models.CheckConstraint(condition=Q(max_uses__gte=1), name="signup_link_at_least_one_use"),
            models.CheckConstraint(condition=Q(uses__lte=F("max_uses")), name="signup_link_uses_within_limit"),
            models.CheckConstraint(condition=Q(expires_at__gt=F("created_at")), name="signup_link_expires_later"),
        ]

    def __str__(self) -> str:
        return f"sign-up link {self.token_prefix}… ({self.role})"

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.uses >= self.max_uses:
            return "used"
        return "live" if self.expires_at > timezone.now() else "expired"


class SignupLinkEvent(AppendOnlyModel):
    """The trail of a sign-up link: made, used to make an account, revoked. Append-only."""

    class Kind(models.TextChoices):
        CREATE = "create", "created"
        CLAIM = "claim", "used to sign up"
        REVOKE = "revoke", "revoked"

    link = models.ForeignKey(SignupLink, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=254)
    # For a claim: the account it made.
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ip = models.GenericIPAddressField(null=True, blank=True)
    via = models.CharField(max_length=8, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.kind} {self.link}"


class SignupLinkAttempt(models.Model):
    """A sign-up link opened from this address that opened nothing (wrong, used, expired,
    revoked, or over the limit): counted to limit guessing. Old rows go as new ones arrive."""

    ip = models.CharField(max_length=45)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["ip", "at"])]

    def __str__(self) -> str:
        return f"refused sign-up link from {self.ip} at {self.at:%Y-%m-%d %H:%M}"
