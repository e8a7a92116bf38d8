"""Consent: a patient's grant of access to one clinician, and the one definition of an active grant."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


def active_consent_q(prefix: str = "", *, now: datetime | None = None) -> Q:
    """The one definition of an active consent: not revoked, and not past its expiry.

    `prefix` reaches a consent across a join, e.g. ``active_consent_q("consents_given__")``.
    Put it in the same ``filter()`` call as the other conditions on that consent, so Django
    applies them all to one joined row.
    """
    now = now or timezone.now()
    return Q(**{f"{prefix}revoked_at__isnull": True}) & (
        Q(**{f"{prefix}expires_at__isnull": True}) | Q(**{f"{prefix}expires_at__gt": now})
    )


class ConsentQuerySet(models.QuerySet["Consent"]):
    def active(self) -> ConsentQuerySet:
        return self.filter(active_consent_q())


class Consent(models.Model):
    """A patient's grant of access to one clinician. Active until revoked or expired; never deleted.

    An expired grant keeps ``revoked_at`` empty until the pair is granted again, when it is
    closed with ``revoked_at = expires_at`` (and no ``revoked_by``) so the partial unique index
    admits the new row.
    """

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consents_given")
    clinician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consents_received")
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Chosen by the patient; access ends at this instant (checked on every request).
    expires_at = models.DateTimeField(null=True, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        constraints = [
            # At most one active grant per pair: granting twice is a no-op, not a second row.
            models.UniqueConstraint(
                fields=["patient", "clinician"],
                condition=Q(revoked_at__isnull=True),
                name="consent_one_active_per_pair",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_at__gte=models.F("granted_at")),
                name="consent_revoked_after_granted",
            ),
        ]
        indexes = [models.Index(fields=["clinician", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.patient} → {self.clinician}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())

    @property
    def has_expired(self) -> bool:
        """Ended by its expiry rather than by the patient."""
        if self.expires_at is None:
            return False
        if self.revoked_at is None:
            return self.expires_at <= timezone.now()
        return self.revoked_by_id is None
