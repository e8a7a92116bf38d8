"""Tokens, the clinician's patient list and the patient's consents."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.security import HttpBearer

from painmind.accounts.access import get_consents_for_user, get_patients_for_user
from painmind.accounts.actions import authenticate_api_token, do_create_api_token, do_grant_consent, do_revoke_consent
from painmind.accounts.audit import Actor
from painmind.accounts.models import Consent, User

router = Router(tags=["accounts"])


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = authenticate_api_token(token)
        if user is not None:
            request.user = user
        return user


def actor(request: HttpRequest) -> Actor:
    return Actor.from_request(request, "api")


class ErrorOut(Schema):
    detail: str
    errors: list[dict[str, str]] = []


class TokenIn(Schema):
    email: str
    password: str


class TokenOut(Schema):
    token: str


@router.post("/auth/token", auth=None, response={200: TokenOut, 401: ErrorOut, 429: ErrorOut})
def create_token(request: HttpRequest, payload: TokenIn) -> Status[Any]:
    """Exchange an email and password for a bearer token (shown once; stored hashed)."""
    user = authenticate(request, username=payload.email.strip().lower(), password=payload.password)
    if getattr(request, "axes_locked_out", False):
        return Status(429, {"detail": "Too many failed sign-in attempts; try again later.", "errors": []})
    if user is None:
        return Status(401, {"detail": "Invalid email or password.", "errors": []})
    _, secret = do_create_api_token(user, name="api")
    return Status(200, {"token": secret})


class PatientOut(Schema):
    id: int
    email: str
    display_name: str
    time_zone: str


@router.get("/patients", response={200: list[PatientOut], 403: ErrorOut})
def list_patients(request: HttpRequest) -> Status[Any]:
    """Clinicians: the patients whose consent to you is active."""
    if not request.user.is_clinician:  # type: ignore[union-attr]
        return Status(403, {"detail": "Only clinicians have a patient list.", "errors": []})
    return Status(200, get_patients_for_user(actor(request)))


class ConsentIn(Schema):
    clinician_email: str


class ConsentOut(Schema):
    id: int
    patient_id: int
    clinician_id: int
    clinician_email: str
    clinician_name: str
    clinician_discipline: str
    granted_at: datetime
    revoked_at: datetime | None
    active: bool

    @staticmethod
    def from_consent(consent: Consent) -> ConsentOut:
        return ConsentOut(
            id=consent.pk,
            patient_id=consent.patient_id,
            clinician_id=consent.clinician_id,
            clinician_email=consent.clinician.email,
            clinician_name=consent.clinician.display_name,
            clinician_discipline=consent.clinician.discipline,
            granted_at=consent.granted_at,
            revoked_at=consent.revoked_at,
            active=consent.is_active,
        )


@router.get("/consents", response=list[ConsentOut])
def list_consents(request: HttpRequest) -> list[ConsentOut]:
    """The consents you gave (patient) or received (clinician), newest first."""
    return [ConsentOut.from_consent(c) for c in get_consents_for_user(actor(request))]


@router.post("/consents", response={201: ConsentOut, 200: ConsentOut, 422: ErrorOut})
def grant_consent(request: HttpRequest, payload: ConsentIn) -> Status[Any]:
    """Patients: let a clinician see your data. Granting an active consent again returns it (200)."""
    consent, created = do_grant_consent(actor(request), payload.clinician_email)
    return Status(201 if created else 200, ConsentOut.from_consent(consent))


@router.delete("/consents/{consent_id}", response={200: ConsentOut, 404: ErrorOut})
def revoke_consent(request: HttpRequest, consent_id: int) -> ConsentOut:
    """Patients: end a clinician's access now. Revoking twice is harmless."""
    return ConsentOut.from_consent(do_revoke_consent(actor(request), consent_id))
