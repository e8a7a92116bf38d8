"""Self-management tools: per-tool sharing, thought records, pacing plans and their sessions.

The structures come from clinical-reference §9 (the checks live in `painmind.core.selfcare`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Tool(models.TextChoices):
    """The tools a patient shares (or not) with their care team, each on its own."""

    THOUGHT_RECORDS = "thought_records", "Thought records"
    PACING = "pacing", "Pacing plans"
    RELAXATION = "relaxation", "Relaxation sessions"
    ACTIVITIES = "activities", "Activities (behavioural activation)"
    LIFESTYLE = "lifestyle", "Lifestyle fields"


# PROJECT RULE (the issue): thought records are private until the patient shares them; pacing
# (activity), relaxation, activities and lifestyle fields are shared with the care team by
# default. A row exists only once the patient chose.
DEFAULT_SHARED = {
    Tool.THOUGHT_RECORDS: False,
    Tool.PACING: True,
    Tool.RELAXATION: True,
    Tool.ACTIVITIES: True,
    Tool.LIFESTYLE: True,
}


class ToolSharing(models.Model):
    """The patient's choice for one tool: whether every clinician with consent sees it."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tool_sharing")
    tool = models.CharField(max_length=24, choices=Tool.choices)
    shared = models.BooleanField()
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["patient", "tool"], name="selfcare_one_choice_per_tool")]

    def __str__(self) -> str:
        return f"{self.patient_id} {self.tool} {'shared' if self.shared else 'private'}"


class ThoughtRecord(models.Model):
    """One thought record (§9.1): 7 columns, or 5 without the evidence columns.

    ``emotions``: ``[{name, before, after}]`` (0–100, after null until re-rated);
    ``thoughts``: ``[{text, belief, hot}]`` with exactly one hot thought.
    """

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thought_records")
    created_at = models.DateTimeField(default=timezone.now)
    local_on = models.DateField()
    form = models.CharField(max_length=8, default="seven")
    situation = models.TextField()
    emotions = models.JSONField(default=list)
    thoughts = models.JSONField(default=list)
    evidence_for = models.TextField(blank=True)
    evidence_against = models.TextField(blank=True)
    balanced_thought = models.TextField(blank=True)
    balanced_belief = models.PositiveSmallIntegerField(null=True, blank=True)
    distortions = models.JSONField(default=list)
    facets = models.JSONField(default=list)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["patient", "-created_at"], name="selfcare_tr_patient_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(balanced_belief__isnull=True) | Q(balanced_belief__lte=100),
                name="selfcare_tr_belief_0_100",
            )
        ]

    def __str__(self) -> str:
        return f"{self.local_on} {self.situation[:40]}"

    @property
    def hot_thought(self) -> dict[str, object] | None:
        return next((t for t in self.thoughts if t.get("hot")), None)


class Unit(models.TextChoices):
    MINUTES = "minutes", "minutes"
    METRES = "metres", "metres"
    REPETITIONS = "repetitions", "repetitions"


class PacingPlan(models.Model):
    """A quota pacing plan (§9.2). ``baseline`` is null while it is still being measured from
    the first sessions (docs/selfcare.md); the weeks are computed, never stored."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pacing_plans")
    activity = models.CharField(max_length=80)
    unit = models.CharField(max_length=12, choices=Unit.choices)
    baseline = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    baseline_from_sessions = models.BooleanField(default=False)
    step_percent = models.PositiveSmallIntegerField()
    goal = models.DecimalField(max_digits=9, decimal_places=2)
    start_on = models.DateField()
    sessions_per_week = models.PositiveSmallIntegerField(default=7)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-start_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(step_percent__gte=10, step_percent__lte=20), name="selfcare_pacing_step_10_20"
            ),
            models.CheckConstraint(
                condition=Q(sessions_per_week__gte=1, sessions_per_week__lte=7), name="selfcare_pacing_sessions_1_7"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} ({self.unit})"


class PacingSession(models.Model):
    """One session of a plan's activity: the amount done and pain before and after (0–10)."""

    plan = models.ForeignKey(PacingPlan, on_delete=models.CASCADE, related_name="sessions")
    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    local_on = models.DateField()
    done = models.DecimalField(max_digits=9, decimal_places=2)
    pain_before = models.PositiveSmallIntegerField(null=True, blank=True)
    pain_after = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["local_on", "id"]
        indexes = [models.Index(fields=["plan", "local_on"], name="selfcare_ps_plan_day_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(pain_before__isnull=True) | Q(pain_before__lte=10))
                & (Q(pain_after__isnull=True) | Q(pain_after__lte=10)),
                name="selfcare_ps_pain_0_10",
            )
        ]

    def __str__(self) -> str:
        return f"{self.local_on} {self.done}"


def _rating_0_10(*fields: str) -> Q:
    q = Q()
    for f in fields:
        q &= Q(**{f"{f}__isnull": True}) | Q(**{f"{f}__lte": 10})
    return q


class RelaxationSession(models.Model):
    """One slow-breathing or muscle-relaxation session (§9.4) with tension and pain 0–10 before
    and after (either may be missing). ``rate`` is the breaths a minute of a breathing session."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="relaxation_sessions")
    created_at = models.DateTimeField(default=timezone.now)
    local_on = models.DateField()
    kind = models.CharField(max_length=12)
    minutes = models.PositiveSmallIntegerField()
    rate = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    tension_before = models.PositiveSmallIntegerField(null=True, blank=True)
    tension_after = models.PositiveSmallIntegerField(null=True, blank=True)
    pain_before = models.PositiveSmallIntegerField(null=True, blank=True)
    pain_after = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["patient", "-created_at"], name="selfcare_rs_patient_idx")]
        constraints = [
            models.CheckConstraint(
                condition=_rating_0_10("tension_before", "tension_after", "pain_before", "pain_after"),
                name="selfcare_rs_ratings_0_10",
            ),
            models.CheckConstraint(condition=Q(minutes__gte=1, minutes__lte=60), name="selfcare_rs_minutes_1_60"),
        ]

    def __str__(self) -> str:
        return f"{self.local_on} {self.kind} {self.minutes} min"


class Activity(models.Model):
    """A behavioural-activation activity (§9.3): planned for a day, done on a day, or both;
    mastery and pleasure 0–10 once done."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activities")
    created_at = models.DateTimeField(default=timezone.now)
    name = models.CharField(max_length=80)
    life_area = models.CharField(max_length=16)
    planned_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)
    mastery = models.PositiveSmallIntegerField(null=True, blank=True)
    pleasure = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["patient", "-created_at"], name="selfcare_act_patient_idx")]
        constraints = [
            models.CheckConstraint(condition=_rating_0_10("mastery", "pleasure"), name="selfcare_act_ratings_0_10"),
            models.CheckConstraint(
                condition=Q(planned_on__isnull=False) | Q(done_on__isnull=False), name="selfcare_act_planned_or_done"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class LifestyleChoice(models.Model):
    """Which groups of lifestyle fields a person keeps (`core.selfcare.lifestyle.GROUPS`); no
    row means none, so the check-in stays a 3-tap default."""

    patient = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lifestyle_choice")
    groups = models.JSONField(default=list)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.patient_id} {', '.join(self.groups) or 'none'}"


class LifestyleEntry(models.Model):
    """One person's lifestyle fields for one local day; an empty field is missing, never 0."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lifestyle_entries")
    local_on = models.DateField()
    exercise_kind = models.CharField(max_length=60, blank=True)
    exercise_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    meals = models.PositiveSmallIntegerField(null=True, blank=True)
    fruit_veg_portions = models.PositiveSmallIntegerField(null=True, blank=True)
    caffeine_drinks = models.PositiveSmallIntegerField(null=True, blank=True)
    alcohol_drinks = models.PositiveSmallIntegerField(null=True, blank=True)
    outdoors_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    with_others_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    loneliness = models.PositiveSmallIntegerField(null=True, blank=True)
    role_done = models.CharField(max_length=4, blank=True)  # none | some | all; "" missing
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-local_on"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "local_on"], name="selfcare_lifestyle_one_per_day"),
            models.CheckConstraint(condition=_rating_0_10("loneliness"), name="selfcare_lifestyle_loneliness_0_10"),
        ]

    def __str__(self) -> str:
        return f"{self.patient_id} {self.local_on}"
