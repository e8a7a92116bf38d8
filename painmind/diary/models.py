"""Diary entries. The bounds live in `painmind.core.checkin`; the database enforces them too."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from painmind.core.body_regions import BODY_REGIONS
from painmind.core.checkin import CONTENT_FIELDS, NOTE_MAX_CHARS, SCALES
from painmind.core.schedule import FOLLOW_UP_NAMES, screener_follow_ups


def _range_constraints() -> list[models.BaseConstraint]:
    constraints: list[models.BaseConstraint] = []
    for scale in SCALES:
        in_range = Q(**{f"{scale.name}__gte": scale.lo, f"{scale.name}__lte": scale.hi})
        condition = in_range if scale.required else (Q(**{f"{scale.name}__isnull": True}) | in_range)
        constraints.append(models.CheckConstraint(condition=condition, name=f"checkin_{scale.name}_range"))
    return constraints


class CheckIn(models.Model):
    """One diary entry. Several a day are allowed."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="checkins")
    recorded_at = models.DateTimeField()
    # The patient's calendar date at recorded_at, in their time zone when it was recorded.
    local_on = models.DateField()
    pain = models.PositiveSmallIntegerField()
    mood = models.PositiveSmallIntegerField()
    pain_interference = models.PositiveSmallIntegerField(null=True, blank=True)
    anxiety = models.PositiveSmallIntegerField(null=True, blank=True)
    stress = models.PositiveSmallIntegerField(null=True, blank=True)
    sleep_hours = models.FloatField(null=True, blank=True)
    sleep_quality = models.PositiveSmallIntegerField(null=True, blank=True)
    activity_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    social = models.PositiveSmallIntegerField(null=True, blank=True)
    pain_locations = models.JSONField(default=list, blank=True)
    tags = models.JSONField(default=list, blank=True)
    note = models.TextField(max_length=NOTE_MAX_CHARS, blank=True)
    # Chosen by the client so that a retried submission is recognised, never duplicated.
    client_id = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # When the patient last changed it (its earlier contents are CheckInRevision rows); None if never.
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "client_id"], name="checkin_unique_client_id"),
            *_range_constraints(),
        ]
        indexes = [
            models.Index(fields=["patient", "-recorded_at"], name="checkin_patient_recorded"),
            # The clinician panel's 28-day daily means for all of a clinician's patients at once.
            models.Index(fields=["local_on", "patient"], name="checkin_local_on_patient"),
        ]

    def __str__(self) -> str:
        return f"{self.patient} {self.recorded_at:%Y-%m-%d %H:%M} pain {self.pain} mood {self.mood}"

    def content(self) -> dict[str, Any]:
        """The patient-entered fields, in the normalised form `clean_checkin` returns."""
        return {name: getattr(self, name) for name in CONTENT_FIELDS}

    @property
    def pain_location_labels(self) -> list[str]:
        """The marked regions in words (core.body_regions), in the stored order."""
        return [BODY_REGIONS.get(code, code) for code in self.pain_locations or []]


class RevisionKind(models.TextChoices):
    EDIT = "edit", "edited"
    DELETE = "delete", "deleted"


class CheckInRevision(models.Model):
    """What a check-in held before the patient edited or deleted it, who changed it and when.

    A deleted check-in leaves the diary table (so no page, export or analysis can count it) and
    its last content stays here as a ``delete`` revision, the tombstone (docs/checkin.md).
    `checkin_id` is a plain number, not a foreign key, so a revision outlives its entry; the only
    foreign keys are to users, as on every other patient row.
    """

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    checkin_id = models.BigIntegerField()
    kind = models.CharField(max_length=8, choices=RevisionKind.choices)
    # The entry as it was before the change: CONTENT_FIELDS plus recorded_at and local_on (ISO text).
    content = models.JSONField()
    # The entry's client key, kept on a tombstone so that a replayed POST of it is recognised.
    client_id = models.UUIDField(null=True, blank=True)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [
            models.Index(fields=["checkin_id", "-changed_at"], name="checkin_revision_entry"),
            # The tombstone a replayed client key is checked against, on every keyed check-in.
            models.Index(fields=["patient", "client_id"], name="checkin_revision_client_id"),
        ]

    def __str__(self) -> str:
        return f"check-in {self.checkin_id} {self.get_kind_display()} at {self.changed_at:%Y-%m-%d %H:%M}"

    @property
    def local_on(self) -> date:
        """The entry's day before the change (stored as ISO text), for pages to format."""
        return date.fromisoformat(self.content["local_on"])


class QuestionnaireResponse(models.Model):
    """One completion of a validated questionnaire. The server computes every score."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="responses")
    instrument = models.CharField(max_length=16)
    version = models.CharField(max_length=16)
    # One value per item (unscored included), None where left blank.
    answers = models.JSONField()
    total = models.FloatField(null=True, blank=True)
    band = models.CharField(max_length=32, blank=True)
    status = models.CharField(max_length=16)  # complete | prorated | insufficient
    item9 = models.CharField(max_length=8, blank=True)  # PHQ-9 only: negative | positive | unknown
    result = models.JSONField()  # core.instruments ScoreResult.to_dict()
    change = models.JSONField(null=True, blank=True)  # versus the previous scored response
    completed_at = models.DateTimeField()
    local_on = models.DateField()
    client_id = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Set by diary.presenters.history_context for a score row: the change in one plain sentence
    # ("PHQ-9 fell by 7 points since 3 Mar 2025 — more than measurement error, …").
    plain_change = ""

    class Meta:
        ordering = ["-completed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "client_id"], name="response_unique_client_id"),
        ]
        # Newest first with the id as tie-break, as the pages and the clinician panel order them.
        indexes = [
            models.Index(fields=["patient", "instrument", "-completed_at", "-id"], name="response_patient_instr_newest")
        ]

    def __str__(self) -> str:
        return f"{self.instrument} {self.total} ({self.patient})"

    @property
    def follow_ups(self) -> list[dict[str, str]]:
        """The questionnaires this (screener) response makes due at once, with why:
        ``[{"instrument": "phq9", "name": "PHQ-9", "reason": "your PHQ-2 was positive"}]``."""
        return [
            {"instrument": target, "name": FOLLOW_UP_NAMES[target], "reason": reason}
            for target, reason in screener_follow_ups(self.instrument, self.result or {}).items()
        ]


class MeasurementPlan(models.Model):
    """How often a patient is asked to complete an instrument (defaults: core.schedule)."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="measurement_plan")
    instrument = models.CharField(max_length=16)
    interval_days = models.PositiveSmallIntegerField()
    active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["patient", "instrument"], name="plan_one_row_per_instrument"),
            models.CheckConstraint(
                condition=Q(interval_days__gte=1, interval_days__lte=365), name="plan_interval_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument} every {self.interval_days} days ({self.patient})"
