"""The patient's research opt-in and opt-out: the only writes to ResearchConsent."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from painmind.accounts.access import get_own_patient
from painmind.accounts.audit import Actor
from painmind.exchange.models import ResearchConsent


def do_opt_in_research(actor: Actor) -> tuple[ResearchConsent, bool]:
    """Opt the acting patient in to research use. Returns ``(consent, created)``; opting in while
    already in returns the active row unchanged. Http404 for anyone who is not a patient.

    Only the patient may decide (no clinician or operator opts someone in), so no audit event
    is left (the log records other people's actions); the rows are the history of the choice."""
    patient = get_own_patient(actor)
    existing = ResearchConsent.objects.active().filter(patient=patient).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            consent = ResearchConsent.objects.create(patient=patient)
    except IntegrityError:  # a second tab opted in at the same moment: the partial index decided
        return ResearchConsent.objects.active().get(patient=patient), False
    return consent, True


def do_opt_out_research(actor: Actor) -> ResearchConsent | None:
    """Revoke the acting patient's research opt-in; later exports leave them out. Returns the
    revoked row, or None when they were not opted in (nothing to do)."""
    patient = get_own_patient(actor)
    with transaction.atomic():
        consent = ResearchConsent.objects.select_for_update().active().filter(patient=patient).first()
        if consent is None:
            return None
        consent.revoked_at = timezone.now()
        consent.save(update_fields=["revoked_at"])
    return consent
