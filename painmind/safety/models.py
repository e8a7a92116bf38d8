"""Alerts for the care team. One model serves every kind: self-harm answers, severe scores,
reliable worsening, pain flares, silence, and the medication-safety rules to come."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class AlertKind(models.TextChoices):
    SELF_HARM = "self_harm", "Self-harm answer"
    SEVERE_BAND = "severe_band", "Severe score"
    RELIABLE_WORSENING = "reliable_worsening", "Reliable worsening"
    FLARE = "flare", "Pain flare"
    SILENCE = "silence", "No check-ins"
    # The hook for the medication-safety rules to come (design.md: core/meds).
    MEDICATION = "medication", "Medication safety"


class Severity(models.TextChoices):
    CRITICAL = "critical", "Critical"
    WARNING = "warning", "Warning"


class AlertQuerySet(models.QuerySet["Alert"]):
    def open(self) -> AlertQuerySet:
        return self.filter(acknowledged_at__isnull=True, resolved_at__isnull=True)

    def by_urgency(self) -> AlertQuerySet:
        # Critical first, then newest.
        return self.order_by(
            models.Case(models.When(severity=Severity.CRITICAL, then=0), default=1), "-created_at", "-id"
        )


class Alert(models.Model):
    """Something about a patient that a clinician with consent should look at.

    Visible to every clinician whose consent from the patient is active. Stays open until a
    clinician acknowledges it (critical ones only with a note). At most one open alert per
    (patient, kind, key): the key says what would make a second alert a duplicate.
    """

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="alerts")
    kind = models.CharField(max_length=32, choices=AlertKind.choices)
    severity = models.CharField(max_length=16, choices=Severity.choices)
    key = models.CharField(max_length=64)
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    source_type = models.CharField(max_length=64, blank=True)
    source_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledgement_note = models.TextField(blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    # When the care team was emailed about it (critical alerts); claimed with a conditional
    # update so two senders never both send.
    notified_at = models.DateTimeField(null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "kind", "key"],
                condition=Q(acknowledged_at__isnull=True, resolved_at__isnull=True),
                name="alert_one_open_per_key",
            ),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True) | Q(acknowledged_by__isnull=False),
                name="alert_acknowledged_by_someone",
            ),
        ]
        indexes = [models.Index(fields=["patient", "acknowledged_at", "resolved_at"], name="alert_patient_open")]
        # The table keeps the name it had when alerts lived in the `care` app (safety/0001).
        db_table = "care_alert"

    def __str__(self) -> str:
        return f"{self.get_severity_display()}: {self.title}"

    @property
    def is_open(self) -> bool:
        return self.acknowledged_at is None and self.resolved_at is None
