"""Consent: a patient granting a clinician access to their data, and revoking it."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.http import Http404
from django.utils import timezone

from painmind.accounts.audit import Actor
from painmind.accounts.models import Consent, Role, User
from painmind.lib.dates import check_end
from painmind.lib.errors import ActionError


@transaction.atomic
def do_grant_consent(actor: Actor, clinician_email: str, *, expires_at: datetime | None = None) -> tuple[Consent, bool]:
    """The patient (actor) lets a clinician see their data: ``(consent, created)``.

    Granting a consent that is already active returns it unchanged (``created=False``).
    `expires_at` (aware, in the future) ends the grant by itself; None means until revoked.
    """
    patient = actor.user
    if patient is None or patient.role != Role.PATIENT:
        raise ActionError({"clinician_email": ["only a patient can share their own data"]})
    email = clinician_email.strip().lower()
    clinician = User.objects.filter(email=email, role=Role.CLINICIAN, is_active=True).first()
    if clinician is None:
        raise ActionError({"clinician_email": ["no active clinician has this email address"]})
    check_future(expires_at, "expires_at")
    return do_create_grant(patient, clinician, expires_at=expires_at)


def check_future(when: datetime | None, field: str) -> None:
    """Refuse (ActionError on `field`) a chosen end that is naive, not in the future or more than a
    year ahead (`painmind.lib.dates`: longer is "until revoked"); None passes."""
    if when is None:
        return
    if timezone.is_naive(when):
        raise ActionError({field: ["needs a time zone"]})
    now = timezone.now()
    check_end(when, field, now=now)
    if when <= now:
        raise ActionError({field: ["must be in the future"]})


def do_create_grant(patient: User, clinician: User, *, expires_at: datetime | None) -> tuple[Consent, bool]:
    """Store the patient's grant to the clinician: ``(consent, created)``, as `do_grant_consent` answers.

    No checks of who may grant what: the caller has made them (`do_grant_consent` for the
    patient, `do_accept_invite` for the clinician holding the patient's invitation). Call it
    inside a transaction. An active grant of the pair is returned as it is (``created=False``).
    """
    # A grant that expired but was never revoked still holds the pair's slot in the partial
    # unique index: close it at its expiry (never before it was granted, as the check
    # constraint demands) so the new grant can take the slot.
    now = timezone.now()
    Consent.objects.filter(patient=patient, clinician=clinician, revoked_at__isnull=True, expires_at__lte=now).update(
        revoked_at=Greatest(F("expires_at"), F("granted_at"))
    )
    existing = Consent.objects.active().filter(patient=patient, clinician=clinician).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            consent = Consent.objects.create(
                patient=patient, clinician=clinician, granted_by=patient, expires_at=expires_at
            )
            return consent, True
    except IntegrityError:
        # A concurrent grant won the race; the partial unique index kept it to one row.
        return Consent.objects.active().get(patient=patient, clinician=clinician), False


@transaction.atomic
def do_revoke_consent(actor: Actor, consent_id: int | str) -> Consent:
    """The patient ends a clinician's access, effective from the very next request."""
    patient = actor.user
    try:
        cid = int(consent_id)
    except (TypeError, ValueError):
        raise Http404("No such consent.") from None
    if patient is None or patient.role != Role.PATIENT:
        raise Http404("No such consent.")
    consent = Consent.objects.select_for_update().filter(pk=cid, patient=patient).first()
    if consent is None:
        raise Http404("No such consent.")
    if consent.revoked_at is None:
        consent.revoked_at = timezone.now()
        consent.revoked_by = patient
        consent.save(update_fields=["revoked_at", "revoked_by"])
    return consent
