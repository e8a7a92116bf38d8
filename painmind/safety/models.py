"""Alerts for the care team. One model serves every kind: self-harm answers, severe scores,
reliable worsening, pain flares, silence, and the medication-safety rules to come."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

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


class Screen(models.TextChoices):
    """The follow-up screener's result on a self-harm alert (the ASQ, clinical-reference §1.8)."""

    NONE = "", "Not offered yet"
    NEGATIVE = "negative", "Negative screen"
    NON_ACUTE = "non_acute", "Non-acute positive"
    ACUTE = "acute", "Acute positive"
    SKIPPED = "skipped", "Skipped"


# Why an alert closed without a clinician (`resolved_at`; the rules that close them are in
# diary/actions/alerts.py and meds/safety.py; critical alerts are never closed this way).
AUTO_CLOSE_REASONS: dict[str, str] = {
    AlertKind.FLARE: "when the pain flare had passed",
    AlertKind.SILENCE: "when the patient checked in again",
    AlertKind.SEVERE_BAND: "when a later score was below the severe band",
    AlertKind.RELIABLE_WORSENING: "when a later score was no longer reliably worse",
    AlertKind.MEDICATION: "when the combination was no longer in the medicine list",
}


class AlertQuerySet(models.QuerySet["Alert"]):
    def open(self) -> AlertQuerySet:
        return self.filter(acknowledged_at__isnull=True, resolved_at__isnull=True)

    def by_urgency(self) -> AlertQuerySet:
        # An acute-positive screen first, then critical, then newest.
        return self.order_by(
            models.Case(
                models.When(screen=Screen.ACUTE, then=0), models.When(severity=Severity.CRITICAL, then=1), default=2
            ),
            "-created_at",
            "-id",
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
    # Self-harm: the highest item-9 answer among the responses attached (blank = 0), so that a
    # newer answer can be judged worse than what the team was told about.
    level = models.PositiveSmallIntegerField(default=0)
    # Self-harm: the latest follow-up screener result (Screening rows keep the history).
    screen = models.CharField(max_length=16, choices=Screen.choices, blank=True, default="")
    # What a rule needs to remember about this alert (e.g. the baseline a reliable worsening
    # was raised against), as plain JSON.
    data = models.JSONField(default=dict, blank=True)

    objects = AlertQuerySet.as_manager()
    # Set by safety.access for a clinician who was told about this alert but no longer has the
    # patient's consent: they see its title, time and acknowledgement, nothing else.
    restricted = False

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

    @property
    def event_at(self) -> datetime:
        """When it happened: the patient's first answer behind it (its entries, prefetch them),
        else the moment it was raised (a flare, a silence, a medicine check)."""
        answered = [e.occurred_at for e in self.entries.all()]
        return min(answered) if answered else self.created_at

    @property
    def raised_later(self) -> bool:
        """The alert was raised in a later minute than the answer behind it (both are shown)."""
        return self.event_at.replace(second=0, microsecond=0) != self.created_at.replace(second=0, microsecond=0)

    @property
    def auto_closed(self) -> bool:
        return self.acknowledged_at is None and self.resolved_at is not None

    @property
    def auto_close_reason(self) -> str:
        return AUTO_CLOSE_REASONS.get(self.kind, "when its condition had passed")

    @property
    def entry_changes(self) -> list[dict[str, Any]]:
        """Check-ins this alert may have counted that the patient later edited or deleted
        (`diary.actions.edits`), oldest first; `on` (the entry's day, stored as ISO text) as a
        date, so that pages write it in their own format."""
        changes = (self.data or {}).get("entry_changes", [])
        return [{**c, "on": date.fromisoformat(c["on"])} for c in changes]


class AlertEntry(models.Model):
    """One thing attached to an alert: a response that raised it, or a later one that repeated
    it while it was open (shown newest first, each linking to its answers)."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="entries")
    source_type = models.CharField(max_length=64)
    source_id = models.CharField(max_length=64)
    level = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    occurred_at = models.DateTimeField()  # when the patient answered
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["alert", "source_type", "source_id"], name="alert_entry_once"),
        ]
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return self.title


class NoticeReason(models.TextChoices):
    NEW = "new", "New alert"
    WORSE = "worse", "A worse answer"
    REMINDER = "reminder", "Still not acknowledged"
    ACUTE = "acute", "Acute positive screen"


class AlertNotice(models.Model):
    """One message to one clinician about one alert: queued in the request, sent by the worker.

    Also the record of who was told: a clinician who was sent a notice keeps seeing the alert
    (title, time, acknowledge) after the patient withdraws consent, until it is acknowledged.
    """

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="notices")
    clinician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=16, choices=NoticeReason.choices)
    queued_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["clinician", "alert"], name="alert_notice_clinician")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} to clinician {self.clinician_id} about alert {self.alert_id}"


class Screening(models.Model):
    """A follow-up screener after a positive or blank PHQ-9 item 9 (the ASQ, clinical-reference
    §1.8), attached to the self-harm alert it followed. A skip is recorded too."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="screenings")
    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    instrument = models.CharField(max_length=16, default="asq")
    # The questionnaire response whose item 9 it followed (a diary id; safety sits below diary).
    response_id = models.CharField(max_length=64, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    result = models.CharField(max_length=16, choices=Screen.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.instrument.upper()}: {self.get_result_display()}"
