"""Who may take a research export, and whose data it holds.

A researcher or an administrator signed in, or the server's operator at the command line (no
user, via "cli"), may export; nobody else (the same 404 as a page that does not exist). The
cohort is the active patients whose research opt-in is active *now*, read afresh on every
export, so a revocation stops every later export. Every export is an audit event on each
patient in it, which they see in "who viewed my data".
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.http import Http404

from painmind.accounts.access import get_own_patient
from painmind.accounts.audit import Actor, record_many
from painmind.accounts.models import AuditAction, Role, User
from painmind.exchange.models import ResearchConsent

EXPORT_ROLES = frozenset({Role.RESEARCHER, Role.ADMIN})


def can_export_research(actor: Actor) -> bool:
    """Whether the actor may take a research export (no audit: nothing is read)."""
    if actor.user is None:
        return actor.via == "cli" and actor.share_link is None
    return actor.user.is_active and actor.user.role in EXPORT_ROLES


def get_research_cohort_for_user(actor: Actor) -> list[User]:
    """The opted-in active patients, by id, audited as one export event each; Http404 for an
    actor who may not export."""
    if not can_export_research(actor):
        raise Http404("No such page.")
    # An EXISTS on the active opt-in, never `research_consents__revoked_at__isnull=True`: across
    # the reverse relation that is a LEFT JOIN, true for someone who never opted in at all.
    opted_in = ResearchConsent.objects.active().filter(patient=OuterRef("pk"))
    patients = list(User.objects.filter(Exists(opted_in), role=Role.PATIENT, is_active=True).order_by("pk"))
    record_many(actor, patients, AuditAction.EXPORT, "research_export", detail="de-identified research export")
    return patients


def get_research_consent_for_user(actor: Actor) -> ResearchConsent | None:
    """The acting patient's active research opt-in, if any; Http404 for anyone not a patient."""
    patient = get_own_patient(actor)
    return ResearchConsent.objects.active().filter(patient=patient).first()
