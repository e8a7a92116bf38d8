"""A patient, a bearer token and a check-in table shaped like PainMind's `diary.CheckIn`.

The bounds are copied from painmind/core/checkin.py (not imported: the floor stays apart from
PainMind's modules).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

# name -> (lo, hi, required), as painmind.core.checkin.SCALES.
BOUNDS: dict[str, tuple[float, float, bool]] = {
    "pain": (0, 10, True),
    "mood": (0, 10, True),
    "pain_interference": (0, 10, False),
    "anxiety": (0, 10, False),
    "stress": (0, 10, False),
    "sleep_hours": (0, 24, False),
    "sleep_quality": (0, 10, False),
    "activity_minutes": (0, 1440, False),
    "social": (0, 10, False),
}
NOTE_MAX_CHARS = 2000


def _range_constraints() -> list[models.BaseConstraint]:
    constraints: list[models.BaseConstraint] = []
    for name, (lo, hi, required) in BOUNDS.items():
        in_range = Q(**{f"{name}__gte": lo, f"{name}__lte": hi})
        condition = in_range if required else (Q(**{f"{name}__isnull": True}) | in_range)
        constraints.append(models.CheckConstraint(condition=condition, name=f"floor_checkin_{name}_range"))
    return constraints


class Patient(models.Model):
    is_active = models.BooleanField(default=True)
    time_zone = models.CharField(max_length=64, default="Europe/London")

    def __str__(self) -> str:
        return f"patient {self.pk}"


class Token(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="tokens")
    digest = models.CharField(max_length=64, unique=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"token {self.pk}"


class CheckIn(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="checkins")
    recorded_at = models.DateTimeField()
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
    client_id = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(Patient, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["patient", "client_id"], name="floor_checkin_unique_client_id"),
            *_range_constraints(),
        ]
        indexes = [
            models.Index(fields=["patient", "-recorded_at"], name="floor_checkin_patient_recorded"),
            models.Index(fields=["local_on", "patient"], name="floor_checkin_local_on_patient"),
        ]

    def __str__(self) -> str:
        return f"check-in {self.pk}"
