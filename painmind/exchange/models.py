"""The exchange app's one table: a patient's opt-in to research use (docs/exchange.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ResearchConsentQuerySet(models.QuerySet["ResearchConsent"]):
    def active(self) -> ResearchConsentQuerySet:
        return self.filter(revoked_at__isnull=True)


class ResearchConsent(models.Model):
    """A patient's opt-in to research use of their de-identified data, apart from any clinician
    consent. Active until revoked; a revoked row stays as the history of what was agreed when,
    and opting in again starts a new row. A research export reads only patients with an active
    row at the moment it runs, so revoking stops every later export (not copies already made).

    The rows go with the person if their account is deleted (CASCADE): an opt-in is about them,
    and nobody else's history depends on it.
    """

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="research_consents")
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ResearchConsentQuerySet.as_manager()

    class Meta:
        constraints = [
            # Opting in twice is a no-op, not a second row.
            models.UniqueConstraint(
                fields=["patient"], condition=Q(revoked_at__isnull=True), name="research_consent_one_active"
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_at__gte=models.F("granted_at")),
                name="research_consent_revoked_after_granted",
            ),
        ]

    def __str__(self) -> str:
        state = "active" if self.revoked_at is None else f"revoked {self.revoked_at:%Y-%m-%d}"
        return f"research use by {self.patient} ({state})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
