"""Patients sharing on their own terms: invitations to clinicians and read-only share links."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from painmind.accounts.models.consent import Consent

# What a share link can show; each name is a ShareLink field and an access scope.
SHARE_SCOPES = ("checkins", "questionnaires", "cycle")


class InviteQuerySet(models.QuerySet["Invite"]):
    def pending(self, *, now: datetime | None = None) -> InviteQuerySet:
        """Neither accepted, declined nor cancelled, and not past its own expiry."""
        return self.filter(
            accepted_at__isnull=True,
            declined_at__isnull=True,
            cancelled_at__isnull=True,
            invite_expires_at__gt=now or timezone.now(),
        )


class Invite(models.Model):
    """A patient's invitation to a clinician, by email or by a one-time code; used at most once.

    Only a keyed digest of the code is stored (`invite_code_digest`: an HMAC with the site key,
    so a copy of the database alone cannot be searched for the ~5·10¹¹ possible codes), and its
    first characters, to tell invites apart; the code itself is shown to the patient once.
    """

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="invites_sent")
    # Set for an invitation by email: that clinician sees it on their start page.
    email = models.EmailField(blank=True)
    code_digest = models.CharField(max_length=64, unique=True)
    code_prefix = models.CharField(max_length=4)
    created_at = models.DateTimeField(default=timezone.now)
    invite_expires_at = models.DateTimeField()
    # The expiry the patient chose for the grant the invitation turns into (None: until revoked).
    consent_expires_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    declined_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # The invitation e-mail (invitations by e-mail only): handed to the mail server at
    # `emailed_at`, which is also the sender's claim (NULL -> now, put back if sending fails);
    # `email_failed_at` is the last failed try, retried by `painmind alerts`.
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_failed_at = models.DateTimeField(null=True, blank=True)

    objects = InviteQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["email", "accepted_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(accepted_by__isnull=False),
                name="invite_accepted_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"invite {self.code_prefix}… from {self.patient}"

    @property
    def email_status(self) -> str:
        """For an invitation by e-mail: "sent", "failed" (will be retried) or "queued"; else ""."""
        if not self.email:
            return ""
        if self.emailed_at is not None:
            return "sent"
        return "failed" if self.email_failed_at is not None else "queued"

    @property
    def status(self) -> str:
        if self.accepted_at is not None:
            return "accepted"
        if self.declined_at is not None:
            return "declined"
        if self.cancelled_at is not None:
            return "cancelled"
        if self.invite_expires_at <= timezone.now():
            return "expired"
        return "pending"


class InviteCodeAttempt(models.Model):
    """A code a clinician entered that did not open an invitation (wrong, used, expired, or
    entered while over the limit): what `do_accept_invite` counts to limit guessing. Rows older
    than the counting window are deleted as new ones arrive."""

    clinician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["clinician", "at"])]

    def __str__(self) -> str:
        return f"refused invitation code of {self.clinician_id} at {self.at:%Y-%m-%d %H:%M}"


class ShareLinkQuerySet(models.QuerySet["ShareLink"]):
    def active(self, *, now: datetime | None = None) -> ShareLinkQuerySet:
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class ShareLink(models.Model):
    """A time-limited, read-only link to chosen parts of a patient's data; the token is shown once."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="share_links")
    label = models.CharField(max_length=80)
    checkins = models.BooleanField(default=False)
    questionnaires = models.BooleanField(default=False)
    cycle = models.BooleanField(default=False)
    token_digest = models.CharField(max_length=64, unique=True)
    token_prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(checkins=True) | Q(questionnaires=True) | Q(cycle=True),
                name="share_link_shows_something",
            ),
            models.CheckConstraint(condition=Q(expires_at__gt=models.F("created_at")), name="share_link_expires_later"),
        ]

    def __str__(self) -> str:
        return f"share link {self.label!r} of {self.patient}"

    @property
    def scopes(self) -> frozenset[str]:
        """The sections this link shows: a subset of ``SHARE_SCOPES``."""
        return frozenset(s for s in SHARE_SCOPES if getattr(self, s))

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "active" if self.expires_at > timezone.now() else "expired"
