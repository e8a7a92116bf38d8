"""Who shares with whom over the API: the clinician's patient list, and consents given or received."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Router, Schema, Status

from painmind.accounts.access import get_consents_for_user, get_patients_for_user
from painmind.accounts.actions import do_grant_consent, do_revoke_consent
from painmind.accounts.api.auth import actor
from painmind.accounts.http import AuthedRequest
from painmind.accounts.models import Consent, Role
from painmind.accounts.revocation import revoke_notes
from painmind.lib.api import ErrorOut
from painmind.lib.schemas import In, Moment, Text

router = Router(tags=["accounts"])


class PatientOut(Schema):
    id: int
    email: str
    display_name: str
    time_zone: str


@router.get("/patients", response={200: list[PatientOut], 403: ErrorOut})
def list_patients(request: AuthedRequest) -> Status[Any]:
    """Clinicians: the patients whose consent to you is active."""
    if not request.user.is_clinician:
        return Status(403, {"detail": "Only clinicians have a patient list.", "errors": []})
    return Status(200, get_patients_for_user(actor(request)))


class ConsentIn(In):
    clinician_email: Text
    expires_at: Moment | None = None


class ConsentOut(Schema):
    id: int
    patient_id: int
    clinician_id: int
    clinician_email: str
    clinician_name: str
    clinician_discipline: str
    granted_at: datetime
    revoked_at: datetime | None
    expires_at: datetime | None
    active: bool
    # For the patient, on an active consent: what stopping it will not undo (show before revoking).
    revoke_notes: list[str] = []

    @staticmethod
    def from_consent(consent: Consent, *, notes: bool = False) -> ConsentOut:
        return ConsentOut(
            id=consent.pk,
            patient_id=consent.patient_id,
            clinician_id=consent.clinician_id,
            clinician_email=consent.clinician.email,
            clinician_name=consent.clinician.display_name,
            clinician_discipline=consent.clinician.discipline,
            granted_at=consent.granted_at,
            revoked_at=consent.revoked_at,
            expires_at=consent.expires_at,
            active=consent.is_active,
            revoke_notes=revoke_notes(consent) if notes and consent.is_active else [],
        )


@router.get("/consents", response=list[ConsentOut])
def list_consents(request: AuthedRequest) -> list[ConsentOut]:
    """The consents you gave (patient) or received (clinician), newest first. For a patient,
    each active consent carries `revoke_notes`: what revoking it will not undo (e.g. an open
    alert stays visible to a clinician who was told about it); show them before revoking."""
    who = actor(request)
    notes = who.user is not None and who.user.role == Role.PATIENT
    return [ConsentOut.from_consent(c, notes=notes) for c in get_consents_for_user(who)]


@router.post("/consents", response={201: ConsentOut, 200: ConsentOut, 422: ErrorOut})
def grant_consent(request: AuthedRequest, payload: ConsentIn) -> Status[Any]:
    """Patients: let a clinician see your data. Granting an active consent again returns it (200)."""
    consent, created = do_grant_consent(actor(request), payload.clinician_email, expires_at=payload.expires_at)
    return Status(201 if created else 200, ConsentOut.from_consent(consent))


@router.delete("/consents/{consent_id}", response={200: ConsentOut, 404: ErrorOut})
def revoke_consent(request: AuthedRequest, consent_id: int) -> ConsentOut:
    """Patients: end a clinician's access now. Revoking twice is harmless."""
    return ConsentOut.from_consent(do_revoke_consent(actor(request), consent_id))
