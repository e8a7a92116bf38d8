"""The shared care plan: goals tied to measures, interventions tagged by strategy, and the
append-only history of every change (design.md, "The four treatment strategies")."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from painmind.accounts.models import AppendOnlyModel
from painmind.core.selfcare.tools import TOOL_LABELS


class Strategy(models.TextChoices):
    """The four strategies that together break the pain–mood cycle (design.md)."""

    MULTIDISCIPLINARY = "multidisciplinary", "Multidisciplinary care"
    CBT = "cbt", "Cognitive-behavioural therapy"
    MEDICATION = "medication", "Medication"
    LIFESTYLE = "lifestyle", "Lifestyle"


class Comparator(models.TextChoices):
    LT = "lt", "<"
    LE = "le", "≤"
    GE = "ge", "≥"
    GT = "gt", ">"


class GoalStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ACHIEVED = "achieved", "Achieved"
    NOT_ACHIEVED = "not_achieved", "Not achieved"
    STOPPED = "stopped", "Stopped"


class InterventionStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    COMPLETED = "completed", "Completed"
    STOPPED = "stopped", "Stopped"


OPEN_INTERVENTION_STATUSES = (InterventionStatus.PLANNED, InterventionStatus.ACTIVE, InterventionStatus.PAUSED)


class Goal(models.Model):
    """What the patient and team are working towards, e.g. "PEG ≤ 4 by 1 March".

    ``measure`` names what the target is read from: an instrument id (``phq9``, ``gad7``,
    ``peg``…) or a daily check-in variable (``pain``, ``mood``…); empty for a goal without a
    measure. Target, comparator and date go together with a measure.
    """

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="goals")
    description = models.CharField(max_length=200)
    strategy = models.CharField(max_length=24, choices=Strategy.choices, blank=True)
    measure = models.CharField(max_length=32, blank=True)
    comparator = models.CharField(max_length=2, choices=Comparator.choices, blank=True)
    target = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    target_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=GoalStatus.choices, default=GoalStatus.ACTIVE)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["target_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(measure="", comparator="", target__isnull=True)
                | (~Q(measure="") & ~Q(comparator="") & Q(target__isnull=False)),
                name="goal_measure_comparator_target_together",
            ),
        ]
        indexes = [models.Index(fields=["patient", "status"], name="care_goal_patient_2fb148_idx")]
        # Tables and index names keep what they had in the `care` app (careplan/0001).
        db_table = "care_goal"

    def __str__(self) -> str:
        return self.description


class Intervention(models.Model):
    """One thing the team does, in one of the four strategies, owned by one clinician."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="interventions")
    strategy = models.CharField(max_length=24, choices=Strategy.choices)
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="owned_interventions"
    )
    # Copied from the owner when assigned, so the plan still reads right if they change role.
    owner_discipline = models.CharField(max_length=24, blank=True)
    review_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=InterventionStatus.choices, default=InterventionStatus.PLANNED)
    # The self-management tool this intervention prescribes (core.selfcare.tools; the key only:
    # careplan may not import selfcare), and how many uses a week it asks for, if any.
    tool = models.CharField(max_length=24, choices=list(TOOL_LABELS.items()), blank=True)
    tool_per_week = models.PositiveSmallIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["review_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(tool="") | Q(tool_per_week__isnull=True), name="intervention_per_week_needs_tool"
            ),
        ]
        indexes = [models.Index(fields=["patient", "status", "review_on"], name="care_interv_patient_0a7b91_idx")]
        db_table = "care_intervention"

    def __str__(self) -> str:
        return self.title

    @property
    def owner_discipline_label(self) -> str:
        """ "Psychology" for "psychology" (the discipline's label; the code if no longer known)."""
        from painmind.accounts.models import Discipline

        if self.owner_discipline in Discipline.values:
            return str(Discipline(self.owner_discipline).label)
        return self.owner_discipline


class PlanChange(AppendOnlyModel):
    """One change to a patient's care plan: who, what, when. Append-only; shown as history."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="plan_changes")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    actor_label = models.CharField(max_length=254)
    actor_role = models.CharField(max_length=16, blank=True)
    # A clinician's discipline when they made the change (copied, like the label).
    actor_discipline = models.CharField(max_length=24, blank=True)
    object_type = models.CharField(max_length=16)  # goal | intervention
    object_id = models.PositiveBigIntegerField()
    action = models.CharField(max_length=16)  # create | update
    # Field-by-field, e.g. [{"field": "target", "old": "5", "new": "4"}].
    changes = models.JSONField(default=list)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["patient", "-at"], name="care_planch_patient_41e1ac_idx")]
        db_table = "care_planchange"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type} {self.object_id}"
