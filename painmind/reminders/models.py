"""A patient's reminder preferences, and the claims that make each reminder go out once."""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models
from django.utils import timezone

DEFAULT_REMINDER_TIME = time(20, 0)


class ReminderPreference(models.Model):
    """One per patient. Reminders are off until the patient turns them on."""

    patient = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preference"
    )
    checkin_enabled = models.BooleanField(default=False)
    # Local wall-clock time in the patient's own `User.time_zone` (a time, not an instant, so
    # it stays 20:00 across daylight-saving changes and when the patient moves zone).
    # Questionnaire reminders go out at the same time.
    checkin_time = models.TimeField(default=DEFAULT_REMINDER_TIME)
    questionnaires_enabled = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"reminders for {self.patient}: check-in {'on' if self.checkin_enabled else 'off'}"


class ReminderKind(models.TextChoices):
    CHECKIN = "checkin", "Check-in"
    QUESTIONNAIRES = "questionnaires", "Questionnaires"


class ReminderSent(models.Model):
    """The claim on one reminder: inserted before the email is sent, deleted if sending fails.

    The unique (patient, kind, local date) lets only one sender through, however many runs of
    `painmind reminders` overlap.
    """

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=ReminderKind.choices)
    # The patient's calendar date the reminder was for.
    local_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["patient", "kind", "local_on"], name="reminder_once_per_local_day"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder for {self.patient} on {self.local_on}"
