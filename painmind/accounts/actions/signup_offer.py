"""After a patient signs up through a clinician's sign-up link, the walk-through offers to share
the diary with that clinician. An offer only: a consent needs the patient's own action (the
button), never the sign-up itself (docs/accounts.md, "Sign-up links")."""

from __future__ import annotations

from django.db import transaction

from painmind.accounts.actions.consent import do_create_grant
from painmind.accounts.audit import Actor
from painmind.accounts.models import Consent, Role, SignupLinkEvent, User
from painmind.lib.errors import ActionError


def inviting_clinician(patient: User) -> User | None:
    """The clinician whose sign-up link made this patient's account, while they are an active
    clinician the patient does not share with yet; else None."""
    if patient.role != Role.PATIENT:
        return None
    claim = (
        SignupLinkEvent.objects.filter(kind=SignupLinkEvent.Kind.CLAIM, account=patient)
        .select_related("link__created_by")
        .first()
    )
    clinician: User | None = claim.link.created_by if claim is not None else None
    if clinician is None or not clinician.is_active or clinician.role != Role.CLINICIAN:
        return None
    if Consent.objects.active().filter(patient=patient, clinician=clinician).exists():
        return None
    return clinician


@transaction.atomic
def do_share_with_inviting_clinician(actor: Actor) -> tuple[Consent, bool]:
    """The patient (actor) takes the offer: a grant, until revoked, to the clinician who invited
    them — ``(consent, created)`` as `do_grant_consent` answers."""
    patient = actor.user
    if patient is None or patient.role != Role.PATIENT:
        raise ActionError({"share": ["only a patient can share their own data"]})
    clinician = inviting_clinician(patient)
    if clinician is None:
        raise ActionError({"share": ["there is no invitation to answer: choose who sees your diary on Sharing"]})
    return do_create_grant(patient, clinician, expires_at=None)
