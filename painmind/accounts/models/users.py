"""People: the user model, its roles and clinical disciplines, and the defaults and checks of its fields."""

from __future__ import annotations

import zoneinfo
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone
from django_countries.fields import CountryField

# Sent after a saved account's password changed (`set_password` then `save`, whichever view or
# command did it: allauth's change and reset, the admin, a script). Receivers end what the old
# password opened: `painmind.accounts.signals` revokes every API token; Django itself ends the
# other sessions, whose stored hash of the password no longer matches.
password_changed = Signal()


def default_time_zone() -> str:
    return str(settings.DEFAULT_PATIENT_TIME_ZONE)


def default_country() -> str:
    """The site's default country (PAINMIND_DEFAULT_COUNTRY); unset, the development fallback
    (production refuses to start without it: system check painmind.E003)."""
    return str(settings.DEFAULT_COUNTRY or settings.DEFAULT_COUNTRY_FALLBACK)


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
    # ISO 3166-1 alpha-2, chosen from a list of names: picks the crisis services shown to this person.
    country = CountryField(default=default_country)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # When the first-sign-in walk-through (/welcome/) was shown; until then each sign-in leads there.
    welcomed_at = models.DateTimeField(null=True, blank=True)

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

    def save(self, *args: Any, **kwargs: Any) -> None:
        # AbstractBaseUser keeps the new raw password in `_password` from `set_password` until the
        # save; Django's own hash upgrade on sign-in clears it first, so it is not a change here.
        changed = self._password is not None and not self._state.adding  # type: ignore[attr-defined]
        super().save(*args, **kwargs)
        if changed:
            password_changed.send(sender=type(self), user=self)

    @property
    def is_patient(self) -> bool:
        return self.role == Role.PATIENT

    @property
    def is_clinician(self) -> bool:
        return self.role == Role.CLINICIAN

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)
