"""The only way to load a patient for a user.

A patient reaches their own record; a clinician reaches a patient only while that patient's
consent to them is active (not revoked, not expired), checked afresh on every call; a share
link reaches its own patient, only the sections it was made for and only while it is active;
the server's operator at the command line (no user, via "cli") reaches every patient, always
audited; nobody else does.
Without access the answer is the same 404 as for a patient who does not exist, so access
checks never reveal who is registered.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Max, OuterRef, Q, QuerySet
from django.http import Http404

from painmind.accounts.audit import Actor, record_many
from painmind.accounts.models import (
    SHARE_SCOPES,
    ApiToken,
    AuditAction,
    AuditEvent,
    Consent,
    Invite,
    Role,
    ShareLink,
    User,
)
from painmind.lib.tokens import token_digest


def _require_user(actor: Actor) -> User:
    if actor.user is None or not actor.user.is_active:
        raise Http404("No such patient.")
    return actor.user


def _is_operator(actor: Actor) -> bool:
    return actor.user is None and actor.via == "cli"


def can_access_patient(actor: Actor, patient_id: int, *, scope: str | None = None) -> bool:
    """Whether the actor may see this patient's data right now (no audit: nothing is read).

    `scope` names the section a loader is about to read (one of ``SHARE_SCOPES``); it only
    matters for a share link, which is refused anything outside its scopes, and anything
    whose loader names no scope (care plans, alerts, schedules…).
    """
    link = actor.share_link
    if link is not None:
        if actor.user is not None or actor.via != "link" or link.patient_id != patient_id:
            return False
        if scope not in SHARE_SCOPES or not getattr(link, scope):
            return False
        # Re-read: a link revoked or expired since the request began admits nothing more.
        return ShareLink.objects.active().filter(pk=link.pk, patient__is_active=True).exists()
    if _is_operator(actor):
        return User.objects.filter(pk=patient_id, role=Role.PATIENT).exists()
    user = actor.user
    if user is None or not user.is_active:
        return False
    if user.pk == patient_id:
        return user.role == Role.PATIENT
    if user.role != Role.CLINICIAN:
        return False
    return patient_ids_of(user).filter(patient_id=patient_id).exists()


def get_patient_for_user(actor: Actor, patient_id: int | str, *, scope: str | None = None) -> User:
    """The patient with this id, if the actor may see them (this `scope` of them); otherwise Http404.

    The caller records what it then reads (see `painmind.accounts.audit.record`).
    """
    try:
        pid = int(patient_id)
    except (TypeError, ValueError):
        raise Http404("No such patient.") from None
    if not can_access_patient(actor, pid, scope=scope):
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
        User.objects.filter(pk__in=patient_ids_of(user), role=Role.PATIENT).order_by("display_name", "email")
    )
    record_many(actor, patients, AuditAction.VIEW, "patient_list")
    return patients


# --- System reads: who is on whose team --------------------------------------------------------
# The one definition of a patient's care team and of a clinician's patients. No audit: they read
# who shares with whom, nothing of a patient's health; and no access check: their callers are
# loaders that have checked access, actions, and the periodic jobs acting for the system.


def care_team_consents(patient_id: int | OuterRef) -> QuerySet[Consent]:
    """The active consents of a patient to active clinicians (`OuterRef` for a subquery)."""
    team = Consent.objects.active().filter(clinician__is_active=True, clinician__role=Role.CLINICIAN)
    return team.filter(Q(patient_id=patient_id))


def care_team(patient_id: int) -> list[User]:
    """The clinicians on a patient's care team (active consent, active account), by name."""
    consents = care_team_consents(patient_id).select_related("clinician")
    return [c.clinician for c in consents.order_by("clinician__display_name", "clinician__email")]


def patient_ids_of(clinician: User) -> QuerySet[Consent, Any]:
    """Ids of the active patients whose consent to this clinician is active: a subquery (use it
    as ``patient_id__in=…``), not a list, so a panel of thousands stays one query."""
    return Consent.objects.active().filter(clinician=clinician, patient__is_active=True).values("patient_id")


def get_consents_for_user(actor: Actor) -> QuerySet[Consent]:
    """The consents the actor gave (patient) or received (clinician), newest first."""
    user = _require_user(actor)
    qs = Consent.objects.select_related("patient", "clinician", "granted_by", "revoked_by")
    if user.role == Role.PATIENT:
        return qs.filter(patient=user).order_by("-granted_at", "-id")
    if user.role == Role.CLINICIAN:
        return qs.filter(clinician=user).order_by("-granted_at", "-id")
    return qs.none()


def get_share_link_for_token(token: str) -> ShareLink:
    """The active share link holding this token; Http404 for unknown, expired or revoked ones alike."""
    if not token or len(token) > 100:
        raise Http404("This link is not valid or has expired.")
    link = (
        ShareLink.objects.active()
        .select_related("patient")
        .filter(token_digest=token_digest(token), patient__is_active=True, patient__role=Role.PATIENT)
        .first()
    )
    if link is None:
        raise Http404("This link is not valid or has expired.")
    return link


def get_share_links_for_user(actor: Actor) -> list[tuple[ShareLink, int]]:
    """The patient's own share links, newest first, each with how many times it was opened."""
    patient = get_own_patient(actor)
    links = list(ShareLink.objects.filter(patient=patient).order_by("-created_at", "-id"))
    views = dict(
        AuditEvent.objects.filter(patient=patient, via="link", object_type="share_link", action=AuditAction.VIEW)
        .values_list("object_id")
        .annotate(n=Count("id"))
        .values_list("object_id", "n")
    )
    return [(link, views.get(str(link.pk), 0)) for link in links]


def get_invites_for_user(actor: Actor) -> QuerySet[Invite]:
    """A patient's own invitations (all, newest first); a clinician's pending ones addressed to them."""
    user = _require_user(actor)
    qs = Invite.objects.select_related("patient", "accepted_by").order_by("-created_at", "-id")
    if user.role == Role.PATIENT:
        return qs.filter(patient=user)
    if user.role == Role.CLINICIAN:
        return qs.pending().filter(email=user.email, patient__is_active=True)
    return qs.none()


def get_access_log_for_user(
    actor: Actor,
    *,
    who: str = "",
    action: str = "",
    since_on: date | None = None,
    until_on: date | None = None,
) -> tuple[User, QuerySet[AuditEvent]]:
    """The patient's own audit trail, newest first; filters by actor label, action and local dates.

    `since_on`/`until_on` are inclusive calendar dates in the patient's time zone. Http404 for
    anyone but the patient themself: nobody else reads who looked at a patient's data here.
    """
    patient = get_own_patient(actor)
    qs = AuditEvent.objects.filter(patient=patient).select_related("actor")
    if who:
        qs = qs.filter(actor_label=who)
    if action:
        qs = qs.filter(action=action)
    tz = patient.tzinfo
    if since_on is not None:
        qs = qs.filter(at__gte=datetime.combine(since_on, time.min, tzinfo=tz))
    if until_on is not None:
        qs = qs.filter(at__lt=datetime.combine(until_on + timedelta(days=1), time.min, tzinfo=tz))
    return patient, qs.order_by("-at", "-id")


def get_access_log_actors_for_user(actor: Actor) -> list[AuditEvent]:
    """One recent event per distinct actor label in the patient's trail (to offer as a filter)."""
    patient = get_own_patient(actor)
    seen: dict[str, AuditEvent] = {}
    latest = (
        AuditEvent.objects.filter(patient=patient)
        .values("actor_label")
        .annotate(last_id=Max("id"))
        .values_list("last_id", flat=True)
    )
    for event in AuditEvent.objects.filter(pk__in=list(latest)).select_related("actor").order_by("actor_label"):
        seen.setdefault(event.actor_label, event)
    return list(seen.values())


def get_api_tokens_for_user(actor: Actor) -> QuerySet[ApiToken]:
    """The person's own API tokens, active or ended, newest first (digests only: no secret is kept)."""
    user = _require_user(actor)
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")
