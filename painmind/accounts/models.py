"""Users and roles, patient consent, API tokens and the append-only audit log."""

from __future__ import annotations

import zoneinfo
from datetime import datetime
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone


def default_time_zone() -> str:
    return str(settings.DEFAULT_PATIENT_TIME_ZONE)


def default_country() -> str:
    return str(settings.DEFAULT_COUNTRY)


def validate_country(value: str) -> None:
    if len(value) != 2 or not value.isalpha() or not value.isupper():
        raise ValidationError(f"{value!r} is not a two-letter ISO 3166 country code (e.g. GB, US).")


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a known IANA time zone (e.g. Europe/London).")


class Role(models.TextChoices):
    PATIENT = "patient", "Patient"
    CLINICIAN = "clinician", "Clinician"
    RESEARCHER = "researcher", "Researcher"
    ADMIN = "admin", "Administrator"


class Discipline(models.TextChoices):
    PAIN_MEDICINE = "pain_medicine", "Pain medicine"
    PSYCHOLOGY = "psychology", "Psychology"
    PSYCHIATRY = "psychiatry", "Psychiatry"
    PRIMARY_CARE = "primary_care", "Primary care"
    PHYSIOTHERAPY = "physiotherapy", "Physiotherapy"
    NURSING = "nursing", "Nursing"
    OTHER = "other", "Other"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.update(role=Role.ADMIN, is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their email address; one role each."""

    email = models.EmailField(unique=True)
    display_name = models.CharField(max_length=120, blank=True)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.PATIENT)
    discipline = models.CharField(max_length=24, choices=Discipline.choices, blank=True)
    # IANA zone: a patient's local calendar dates (and later reminders) derive from it.
    time_zone = models.CharField(max_length=64, default=default_time_zone, validators=[validate_time_zone])
    # ISO 3166-1 alpha-2: picks the crisis resources shown to this person.
    country = models.CharField(max_length=2, default=default_country, validators=[validate_country])
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(role="clinician", discipline__gt="") | (~Q(role="clinician") & Q(discipline="")),
                name="user_discipline_iff_clinician",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.email.lower()
        if self.role == Role.CLINICIAN and not self.discipline:
            raise ValidationError({"discipline": "A clinician needs a discipline."})
        if self.role != Role.CLINICIAN and self.discipline:
            raise ValidationError({"discipline": "Only clinicians have a discipline."})

    @property
    def is_patient(self) -> bool:
        return self.role == Role.PATIENT

    @property
    def is_clinician(self) -> bool:
        return self.role == Role.CLINICIAN

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


def active_consent_q(prefix: str = "", *, now: datetime | None = None) -> Q:
    """The one definition of an active consent: not revoked, and not past its expiry.

    `prefix` reaches a consent across a join, e.g. ``active_consent_q("consents_given__")``.
    Put it in the same ``filter()`` call as the other conditions on that consent, so Django
    applies them all to one joined row.
    """
    now = now or timezone.now()
    return Q(**{f"{prefix}revoked_at__isnull": True}) & (
        Q(**{f"{prefix}expires_at__isnull": True}) | Q(**{f"{prefix}expires_at__gt": now})
    )


class ConsentQuerySet(models.QuerySet["Consent"]):
    def active(self) -> ConsentQuerySet:
        return self.filter(active_consent_q())


class Consent(models.Model):
    """A patient's grant of access to one clinician. Active until revoked or expired; never deleted.

    An expired grant keeps ``revoked_at`` empty until the pair is granted again, when it is
    closed with ``revoked_at = expires_at`` (and no ``revoked_by``) so the partial unique index
    admits the new row.
    """

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consents_given")
    clinician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consents_received")
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Chosen by the patient; access ends at this instant (checked on every request).
    expires_at = models.DateTimeField(null=True, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        constraints = [
            # At most one active grant per pair: granting twice is a no-op, not a second row.
            models.UniqueConstraint(
                fields=["patient", "clinician"],
                condition=Q(revoked_at__isnull=True),
                name="consent_one_active_per_pair",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_at__gte=models.F("granted_at")),
                name="consent_revoked_after_granted",
            ),
        ]
        indexes = [models.Index(fields=["clinician", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.patient} → {self.clinician}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())

    @property
    def has_expired(self) -> bool:
        """Ended by its expiry rather than by the patient."""
        if self.expires_at is None:
            return False
        if self.revoked_at is None:
            return self.expires_at <= timezone.now()
        return self.revoked_by_id is None


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only a SHA-256 digest of the secret is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80, blank=True)
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class AuditAction(models.TextChoices):
    VIEW = "view", "viewed"
    CREATE = "create", "created"
    UPDATE = "update", "changed"
    DELETE = "delete", "deleted"
    EXPORT = "export", "exported"


class AppendOnlyQuerySet(models.QuerySet[Any]):
    """Refuses bulk updates and deletes: for records of what happened (audit, plan history)."""

    def update(self, **kwargs: Any) -> int:
        raise PermissionError(f"{self.model._meta.verbose_name_plural} are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError(f"{self.model._meta.verbose_name_plural} are append-only")


class AppendOnlyModel(models.Model):
    """A row that is written once and never changed or deleted through the ORM."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError(f"{self._meta.verbose_name_plural} are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError(f"{self._meta.verbose_name_plural} are append-only")


class AuditEvent(AppendOnlyModel):
    """One read or write of a patient's data by someone other than the patient. Append-only.

    The model refuses updates and deletes; on PostgreSQL a trigger refuses them too (see the
    migration), so not even raw SQL through the app's role can rewrite history.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_events_done"
    )
    # Kept beside the key so the log stays readable if the actor's details change.
    actor_label = models.CharField(max_length=254)
    actor_role = models.CharField(max_length=16, blank=True)
    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="audit_events")
    action = models.CharField(max_length=16, choices=AuditAction.choices)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64, blank=True)
    detail = models.CharField(max_length=200, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    via = models.CharField(max_length=8, blank=True)  # web | api | cli | link

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["patient", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}"


class InviteQuerySet(models.QuerySet["Invite"]):
    def pending(self, *, now: datetime | None = None) -> InviteQuerySet:
        """Neither accepted, declined nor cancelled, and not past its own expiry."""
        return self.filter(
            accepted_at__isnull=True,
            declined_at__isnull=True,
            cancelled_at__isnull=True,
            invite_expires_at__gt=now or timezone.now(),
        )


class Invite(models.Model):
    """A patient's invitation to a clinician, by email or by a one-time code; used at most once.

    Only a SHA-256 digest of the code is stored (and its first characters, to tell invites
    apart); the code itself is shown to the patient once.
    """

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="invites_sent")
    # Set for an invitation by email: that clinician sees it on their start page.
    email = models.EmailField(blank=True)
    code_digest = models.CharField(max_length=64, unique=True)
    code_prefix = models.CharField(max_length=4)
    created_at = models.DateTimeField(default=timezone.now)
    invite_expires_at = models.DateTimeField()
    # The expiry the patient chose for the grant the invitation turns into (None: until revoked).
    consent_expires_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    declined_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = InviteQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["email", "accepted_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(accepted_by__isnull=False),
                name="invite_accepted_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"invite {self.code_prefix}… from {self.patient}"

    @property
    def status(self) -> str:
        if self.accepted_at is not None:
            return "accepted"
        if self.declined_at is not None:
            return "declined"
        if self.cancelled_at is not None:
            return "cancelled"
        if self.invite_expires_at <= timezone.now():
            return "expired"
        return "pending"


class ShareLinkQuerySet(models.QuerySet["ShareLink"]):
    def active(self, *, now: datetime | None = None) -> ShareLinkQuerySet:
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class ShareLink(models.Model):
    """A time-limited, read-only link to chosen parts of a patient's data; the token is shown once."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="share_links")
    label = models.CharField(max_length=80)
    checkins = models.BooleanField(default=False)
    questionnaires = models.BooleanField(default=False)
    cycle = models.BooleanField(default=False)
    token_digest = models.CharField(max_length=64, unique=True)
    token_prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(checkins=True) | Q(questionnaires=True) | Q(cycle=True),
                name="share_link_shows_something",
            ),
            models.CheckConstraint(condition=Q(expires_at__gt=models.F("created_at")), name="share_link_expires_later"),
        ]

    def __str__(self) -> str:
        return f"share link {self.label!r} of {self.patient}"

    @property
    def scopes(self) -> frozenset[str]:
        """The sections this link shows: a subset of ``SHARE_SCOPES``."""
        return frozenset(s for s in SHARE_SCOPES if getattr(self, s))

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "active" if self.expires_at > timezone.now() else "expired"


# What a share link can show; each name is a ShareLink field and an access scope.
SHARE_SCOPES = ("checkins", "questionnaires", "cycle")
