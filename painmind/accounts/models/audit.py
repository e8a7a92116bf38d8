"""The audit log: what was done with a patient's data, and the append-only base it is built on."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


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


# What an audit event names instead of a person who deleted their account (docs/privacy.md).
DELETED_ACCOUNT_LABEL = "deleted account "


class AuditEvent(AppendOnlyModel):
    """One read or write of a patient's data by someone other than the patient. Append-only.

    The model refuses updates and deletes; on PostgreSQL a trigger refuses them too (see the
    migrations), so not even raw SQL through the app's role can rewrite history. The single
    exception is `AuditEvent.pseudonymise`, when a person deletes their account.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_events_done"
    )
    # Kept beside the key so the log stays readable if the actor's details change.
    actor_label = models.CharField(max_length=254)
    actor_role = models.CharField(max_length=16, blank=True)
    # Empty only once the patient deleted their account: `patient_pseudonym` names them then.
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_events"
    )
    patient_pseudonym = models.CharField(max_length=32, blank=True)
    action = models.CharField(max_length=16, choices=AuditAction.choices)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64, blank=True)
    detail = models.CharField(max_length=200, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    via = models.CharField(max_length=8, blank=True)  # web | api | cli | link

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["patient", "-at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(patient__isnull=False, patient_pseudonym="")
                | Q(patient__isnull=True, patient_pseudonym__gt=""),
                name="auditevent_patient_or_pseudonym",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}"

    @classmethod
    def pseudonymise(cls, user_id: int, pseudonym: str) -> int:
        """The one rewrite an audit event allows: a person who deleted their account replaced by
        their pseudonym, as patient (`patient_pseudonym`, with `detail` cleared: it can quote
        their goals and medicines) and as actor (`actor_label`). Every other column stays; the
        PostgreSQL trigger admits exactly this update (migration 0012). Returns rows changed."""
        plain: models.QuerySet[AuditEvent] = models.QuerySet(cls)  # past the append-only manager
        label = DELETED_ACCOUNT_LABEL + pseudonym
        n = plain.filter(patient_id=user_id).update(patient=None, patient_pseudonym=pseudonym, detail="")
        return n + plain.filter(actor_id=user_id).update(actor=None, actor_label=label)
