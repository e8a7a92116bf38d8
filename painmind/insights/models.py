"""Cached cycle analyses: recomputed when the diary behind them changes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class CycleAnalysis(models.Model):
    """The latest cycle analysis of one patient's diary, and which diary state it describes."""

    patient = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cycle_analysis")
    computed_at = models.DateTimeField(default=timezone.now)
    # The diary it was computed from: recomputed when either changes.
    n_checkins = models.PositiveIntegerField()
    last_checkin_id = models.BigIntegerField(null=True, blank=True)
    engine_version = models.CharField(max_length=16)
    result = models.JSONField()

    def __str__(self) -> str:
        return f"cycle of {self.patient} at {self.computed_at:%Y-%m-%d %H:%M}"


class CohortPrior(models.Model):
    """What is typical at this site for one finding (e.g. "pain->mood", "sleep_quality->pain"):
    the random-effects mean and between-person SD of the standardized estimates of consenting
    patients, refreshed nightly; each person's estimate is shrunk toward it (docs/cycle.md)."""

    key = models.CharField(max_length=64, unique=True)
    mean = models.FloatField()
    sd = models.FloatField()
    n_patients = models.PositiveIntegerField()
    computed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.key}: {self.mean:+.3f} (SD {self.sd:.3f}, {self.n_patients} patients)"
