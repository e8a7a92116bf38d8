"""The only way to load a patient for a user.

A patient reaches their own record; a clinician reaches a patient only while that patient's
consent to them is active, checked afresh on every call; the server's operator at the
command line (no user, via "cli") reaches every patient, always audited; nobody else does.
Without access the answer is the same 404 as for a patient who does not exist, so access
checks never reveal who is registered.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from painmind.accounts.audit import Actor, record_many
from painmind.accounts.models import AuditAction, Consent, Role, User


def _require_user(actor: Actor) -> User:
    if actor.user is None or not actor.user.is_active:
        raise Http404("No such patient.")
    return actor.user


def _is_operator(actor: Actor) -> bool:
    return actor.user is None and actor.via == "cli"


def can_access_patient(actor: Actor, patient_id: int) -> bool:
    """Whether the actor may see this patient's data right now (no audit: nothing is read)."""
    if _is_operator(actor):
        return User.objects.filter(pk=patient_id, role=Role.PATIENT).exists()
    user = actor.user
    if user is None or not user.is_active:
        return False
    if user.pk == patient_id:
        return user.role == Role.PATIENT
    if user.role != Role.CLINICIAN:
        return False
    return Consent.objects.active().filter(clinician=user, patient_id=patient_id, patient__is_active=True).exists()


def get_patient_for_user(actor: Actor, patient_id: int | str) -> User:
    """The patient with this id, if the actor may see them; otherwise Http404.

    The caller records what it then reads (see `painmind.accounts.audit.record`).
    """
    try:
        pid = int(patient_id)
    except (TypeError, ValueError):
        raise Http404("No such patient.") from None
    if not can_access_patient(actor, pid):
        raise Http404("No such patient.")
    if actor.user is not None and actor.user.pk == pid:
        return actor.user
    return User.objects.get(pk=pid, role=Role.PATIENT)


def get_patient_by_email_for_operator(actor: Actor, email: str) -> User:
    """The command line's way in: a patient by email, for the operator only; Http404 otherwise."""
    if not _is_operator(actor):
        raise Http404("No such patient.")
    patient = User.objects.filter(email=email.strip().lower(), role=Role.PATIENT).first()
    if patient is None:
        raise Http404(f"no patient with email {email!r}")
    return patient


def get_own_patient(actor: Actor) -> User:
    """The actor as a patient; Http404 for anyone who is not a patient."""
    user = _require_user(actor)
    if user.role != Role.PATIENT:
        raise Http404("Only patients keep a diary.")
    return user


def get_patients_for_user(actor: Actor) -> list[User]:
    """Patients whose consent to this clinician is active, by name; audited as a list view."""
    user = _require_user(actor)
    if user.role != Role.CLINICIAN:
        return []
    patients = list(
        User.objects.filter(
            role=Role.PATIENT,
            is_active=True,
            consents_given__clinician=user,
            consents_given__revoked_at__isnull=True,
        )
        .order_by("display_name", "email")
        .distinct()
    )
    record_many(actor, patients, AuditAction.VIEW, "patient_list")
    return patients


def get_consents_for_user(actor: Actor) -> QuerySet[Consent]:
    """The consents the actor gave (patient) or received (clinician), newest first."""
    user = _require_user(actor)
    qs = Consent.objects.select_related("patient", "clinician", "granted_by", "revoked_by")
    if user.role == Role.PATIENT:
        return qs.filter(patient=user).order_by("-granted_at", "-id")
    if user.role == Role.CLINICIAN:
        return qs.filter(clinician=user).order_by("-granted_at", "-id")
    return qs.none()
