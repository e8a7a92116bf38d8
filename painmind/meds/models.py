"""The patient's medicines: regimens (with every change kept), the dose log and side effects.

Which medicine a typed name is, and what the safety rules say about a list, live in
`painmind.core.meds` (clinical-reference §2); this module only stores what was entered.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from painmind.accounts.models import AppendOnlyModel

NAME_MAX_CHARS = 100
NOTES_MAX_CHARS = 2000
SIDE_EFFECT_TEXT_MAX_CHARS = 200


class Unit(models.TextChoices):
    """Dose units the MME computation understands (§2.1: mg/day, fentanyl patches in mcg/hr)."""

    MG = "mg", "mg"
    MCG = "mcg", "mcg"
    MCG_PER_HR = "mcg/hr", "mcg/hr (patch)"


class Form(models.TextChoices):
    TABLET = "tablet", "Tablet"
    CAPSULE = "capsule", "Capsule"
    LIQUID = "liquid", "Liquid"
    PATCH = "patch", "Patch"
    INJECTION = "injection", "Injection"
    SPRAY = "spray", "Spray"
    OTHER = "other", "Other"


class Route(models.TextChoices):
    ORAL = "oral", "By mouth"
    TRANSDERMAL = "transdermal", "On the skin (patch)"
    SUBLINGUAL = "sublingual", "Under the tongue"
    INJECTION = "injection", "Injection"
    NASAL = "nasal", "Nasal"
    OTHER = "other", "Other"


class Schedule(models.TextChoices):
    TIMES_A_DAY = "times_a_day", "Times a day"
    EVERY_HOURS = "every_hours", "Every N hours"
    AS_NEEDED = "as_needed", "As needed"


class Reason(models.TextChoices):
    PAIN = "pain", "Pain"
    MOOD = "mood", "Mood"
    ANXIETY = "anxiety", "Anxiety"
    SLEEP = "sleep", "Sleep"
    OTHER = "other", "Other"


class Regimen(models.Model):
    """One medicine as the patient takes it. Stopping sets `stopped_on`; rows are never deleted,
    so the MAOI 14-day window (§2.5 R5b) and the history stay answerable."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="regimens")
    name = models.CharField(max_length=NAME_MAX_CHARS)  # as typed
    # The catalogue's generic for `name` (core.meds.catalogue.lookup), blank when unknown: an
    # unknown medicine is stored and shown as "not checked", never guessed.
    generic = models.CharField(max_length=64, blank=True)
    strength = models.DecimalField(max_digits=10, decimal_places=3, null=True, blank=True)
    strength_unit = models.CharField(max_length=8, choices=Unit.choices, blank=True)
    form = models.CharField(max_length=16, choices=Form.choices, blank=True)
    route = models.CharField(max_length=16, choices=Route.choices, blank=True)
    dose = models.DecimalField(max_digits=10, decimal_places=3)  # per administration, in dose_unit
    dose_unit = models.CharField(max_length=8, choices=Unit.choices)
    schedule = models.CharField(max_length=16, choices=Schedule.choices)
    times_per_day = models.PositiveSmallIntegerField(null=True, blank=True)
    every_hours = models.PositiveSmallIntegerField(null=True, blank=True)
    max_per_day = models.PositiveSmallIntegerField(null=True, blank=True)  # as needed: doses a day at most
    reason = models.CharField(max_length=16, choices=Reason.choices)
    prescriber = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    prescriber_name = models.CharField(max_length=NAME_MAX_CHARS, blank=True)  # someone outside the team
    started_on = models.DateField()
    stopped_on = models.DateField(null=True, blank=True)
    notes = models.TextField(max_length=NOTES_MAX_CHARS, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(dose__gt=0), name="regimen_dose_positive"),
            models.CheckConstraint(
                condition=(Q(schedule="times_a_day", times_per_day__gte=1, every_hours__isnull=True))
                | Q(schedule="every_hours", every_hours__gte=1, every_hours__lte=24, times_per_day__isnull=True)
                | Q(schedule="as_needed", max_per_day__gte=1, times_per_day__isnull=True, every_hours__isnull=True),
                name="regimen_schedule_fields",
            ),
            models.CheckConstraint(
                condition=Q(stopped_on__isnull=True) | Q(stopped_on__gte=models.F("started_on")),
                name="regimen_stopped_after_start",
            ),
        ]
        indexes = [models.Index(fields=["patient", "stopped_on"], name="regimen_patient_stopped")]

    def __str__(self) -> str:
        return f"{self.name} {self.dose:g} {self.dose_unit}"

    @property
    def doses_per_day(self) -> int:
        """Scheduled doses a day (0 for as-needed): the tick list's slots."""
        if self.schedule == Schedule.TIMES_A_DAY:
            return self.times_per_day or 0
        if self.schedule == Schedule.EVERY_HOURS and self.every_hours:
            return 24 // self.every_hours
        return 0

    def is_current(self, on: date) -> bool:
        """Taken on `on`: started by then and not yet stopped (the stop date is the first day
        without it, so "stop today" ends it today)."""
        return self.started_on <= on and (self.stopped_on is None or self.stopped_on > on)


class RegimenChange(AppendOnlyModel):
    """One change to a regimen: who, when, what (field by field). Append-only; shown as history."""

    regimen = models.ForeignKey(Regimen, on_delete=models.PROTECT, related_name="changes")
    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    actor_label = models.CharField(max_length=254)
    actor_role = models.CharField(max_length=16, blank=True)
    action = models.CharField(max_length=16)  # create | update | stop
    changes = models.JSONField(default=list)  # [{"field": "dose", "old": "10", "new": "20"}]

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["patient", "-at"], name="regimenchange_patient_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} regimen {self.regimen_id}"


class DoseStatus(models.TextChoices):
    TAKEN = "taken", "Taken"
    SKIPPED = "skipped", "Skipped"
    EXTRA = "extra", "Took an as-needed dose"


class DoseLog(models.Model):
    """One tick: a scheduled dose (slot 1…N of the day) taken or skipped, or an as-needed dose
    (slot 0, as many as were taken). A scheduled slot has one row; ticking it again corrects it."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="dose_logs")
    regimen = models.ForeignKey(Regimen, on_delete=models.PROTECT, related_name="doses")
    taken_on = models.DateField()  # the patient's local date
    slot = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=8, choices=DoseStatus.choices)
    recorded_at = models.DateTimeField(default=timezone.now)
    client_id = models.UUIDField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["-taken_on", "slot", "id"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "client_id"], name="doselog_unique_client_id"),
            models.UniqueConstraint(
                fields=["regimen", "taken_on", "slot"], condition=Q(slot__gte=1), name="doselog_one_per_slot"
            ),
            models.CheckConstraint(
                condition=Q(slot=0, status="extra") | Q(slot__gte=1, status__in=["taken", "skipped"]),
                name="doselog_slot_status",
            ),
        ]
        indexes = [models.Index(fields=["patient", "taken_on"], name="doselog_patient_on")]

    def __str__(self) -> str:
        return f"{self.regimen_id} {self.taken_on} #{self.slot} {self.status}"


class SideEffectKind(models.TextChoices):
    DROWSINESS = "drowsiness", "Drowsiness"
    DIZZINESS = "dizziness", "Dizziness"
    NAUSEA = "nausea", "Nausea"
    CONSTIPATION = "constipation", "Constipation"
    DRY_MOUTH = "dry_mouth", "Dry mouth"
    HEADACHE = "headache", "Headache"
    SLEEP = "sleep", "Sleep problems"
    OTHER = "other", "Something else"


class SideEffect(models.Model):
    """Something the patient noticed: what, how bad (0–10), and which medicine if they know."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="side_effects")
    regimen = models.ForeignKey(Regimen, on_delete=models.PROTECT, null=True, blank=True, related_name="side_effects")
    kind = models.CharField(max_length=16, choices=SideEffectKind.choices)
    text = models.CharField(max_length=SIDE_EFFECT_TEXT_MAX_CHARS, blank=True)
    severity = models.PositiveSmallIntegerField()
    noted_on = models.DateField()
    recorded_at = models.DateTimeField(default=timezone.now)
    client_id = models.UUIDField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["-noted_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "client_id"], name="sideeffect_unique_client_id"),
            models.CheckConstraint(condition=Q(severity__lte=10), name="sideeffect_severity_range"),
            models.CheckConstraint(condition=~Q(kind="other") | ~Q(text=""), name="sideeffect_other_has_text"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.severity}/10"
