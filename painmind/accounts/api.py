"""Tokens, the clinician's patient list, consents, invitations, share links and the patient's access log."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.contrib.auth import authenticate
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router, Schema, Status
from ninja.security import HttpBearer

from painmind.accounts import phrases
from painmind.accounts.access import (
    get_access_log_for_user,
    get_consents_for_user,
    get_invites_for_user,
    get_patients_for_user,
    get_share_links_for_user,
)
from painmind.accounts.actions import (
    authenticate_api_token,
    do_create_api_token,
    do_grant_consent,
    do_revoke_consent,
)
from painmind.accounts.actions_sharing import (
    do_accept_invite,
    do_cancel_invite,
    do_create_invite,
    do_create_share_link,
    do_decline_invite,
    do_revoke_share_link,
    format_invite_code,
)
from painmind.accounts.audit import Actor
from painmind.accounts.models import SHARE_SCOPES, AuditAction, Consent, Invite, ShareLink, User
from painmind.lib.api import ErrorOut
from painmind.lib.errors import ActionError

LOG_PAGE_SIZE = 50

router = Router(tags=["accounts"])


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = authenticate_api_token(token)
        if user is not None:
            request.user = user
        return user


def actor(request: HttpRequest) -> Actor:
    return Actor.from_request(request, "api")


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
    expires_at: datetime | None = None


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
            expires_at=consent.expires_at,
            active=consent.is_active,
        )


@router.get("/consents", response=list[ConsentOut])
def list_consents(request: HttpRequest) -> list[ConsentOut]:
    """The consents you gave (patient) or received (clinician), newest first."""
    return [ConsentOut.from_consent(c) for c in get_consents_for_user(actor(request))]


@router.post("/consents", response={201: ConsentOut, 200: ConsentOut, 422: ErrorOut})
def grant_consent(request: HttpRequest, payload: ConsentIn) -> Status[Any]:
    """Patients: let a clinician see your data. Granting an active consent again returns it (200)."""
    consent, created = do_grant_consent(actor(request), payload.clinician_email, expires_at=payload.expires_at)
    return Status(201 if created else 200, ConsentOut.from_consent(consent))


@router.delete("/consents/{consent_id}", response={200: ConsentOut, 404: ErrorOut})
def revoke_consent(request: HttpRequest, consent_id: int) -> ConsentOut:
    """Patients: end a clinician's access now. Revoking twice is harmless."""
    return ConsentOut.from_consent(do_revoke_consent(actor(request), consent_id))


class InviteIn(Schema):
    email: str | None = None
    code: bool = False
    consent_expires_at: datetime | None = None


class InviteOut(Schema):
    id: int
    patient_id: int
    patient_name: str
    email: str
    code_prefix: str
    status: str
    created_at: datetime
    invite_expires_at: datetime
    consent_expires_at: datetime | None


class InviteCreatedOut(InviteOut):
    code: str


def invite_out(invite: Invite) -> dict[str, Any]:
    return {
        "id": invite.pk,
        "patient_id": invite.patient_id,
        "patient_name": invite.patient.display_name or invite.patient.email,
        "email": invite.email,
        "code_prefix": invite.code_prefix,
        "status": invite.status,
        "created_at": invite.created_at,
        "invite_expires_at": invite.invite_expires_at,
        "consent_expires_at": invite.consent_expires_at,
    }


@router.post("/invites", response={201: InviteCreatedOut, 422: ErrorOut})
def create_invite(request: HttpRequest, payload: InviteIn) -> Status[Any]:
    """Patients: invite a clinician by `email`, or with `code: true` for a code to hand over.

    The code is in this response only (it is stored hashed). The answer is the same whether
    or not the email belongs to anyone registered.
    """
    email = (payload.email or "").strip()
    if bool(email) == payload.code:
        raise ActionError({"email": ['give either an email address or "code": true']})
    invite, code = do_create_invite(actor(request), email=email, consent_expires_at=payload.consent_expires_at)
    return Status(201, {**invite_out(invite), "code": format_invite_code(code)})


@router.get("/invites", response=list[InviteOut])
def list_invites(request: HttpRequest) -> list[dict[str, Any]]:
    """Patients: your invitations, newest first. Clinicians: pending invitations to your email."""
    return [invite_out(i) for i in get_invites_for_user(actor(request))]


class AcceptIn(Schema):
    code: str | None = None
    invite_id: int | None = None


class AcceptOut(Schema):
    created: bool
    consent: ConsentOut


@router.post("/invites/accept", response={201: AcceptOut, 200: AcceptOut, 422: ErrorOut})
def accept_invite(request: HttpRequest, payload: AcceptIn) -> Status[Any]:
    """Clinicians: accept by `code`, or by `invite_id` for an invitation to your email (201; 200 if
    the patient already shares with you, and nothing changes)."""
    if (payload.code is None) == (payload.invite_id is None):
        raise ActionError({"code": ["give either a code or an invite_id"]})
    consent, created = do_accept_invite(actor(request), payload.code if payload.code is not None else payload.invite_id)  # type: ignore[arg-type]
    return Status(201 if created else 200, {"created": created, "consent": ConsentOut.from_consent(consent)})


@router.delete("/invites/{invite_id}", response={200: InviteOut, 404: ErrorOut, 422: ErrorOut})
def cancel_invite(request: HttpRequest, invite_id: int) -> dict[str, Any]:
    """Patients: cancel a pending invitation; its code stops working at once."""
    return invite_out(do_cancel_invite(actor(request), invite_id))


@router.post("/invites/{invite_id}/decline", response={200: InviteOut, 404: ErrorOut, 422: ErrorOut})
def decline_invite(request: HttpRequest, invite_id: int) -> dict[str, Any]:
    """Clinicians: decline a pending invitation addressed to you."""
    return invite_out(do_decline_invite(actor(request), invite_id))


class ShareLinkIn(Schema):
    label: str
    sections: list[str]
    days: int


class ShareLinkOut(Schema):
    id: int
    label: str
    sections: list[str]
    status: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    views: int


class ShareLinkCreatedOut(ShareLinkOut):
    url: str


def share_link_out(link: ShareLink, views: int) -> dict[str, Any]:
    return {
        "id": link.pk,
        "label": link.label,
        "sections": [s for s in SHARE_SCOPES if s in link.scopes],
        "status": link.status,
        "created_at": link.created_at,
        "expires_at": link.expires_at,
        "revoked_at": link.revoked_at,
        "views": views,
    }


@router.post("/share-links", response={201: ShareLinkCreatedOut, 422: ErrorOut})
def create_share_link(request: HttpRequest, payload: ShareLinkIn) -> Status[Any]:
    """Patients: a read-only link to the chosen `sections` (checkins, questionnaires, cycle) for
    `days` days (1 to 30). The link's address is in this response only (its token is stored hashed)."""
    try:
        link, token = do_create_share_link(
            actor(request), label=payload.label, scopes=payload.sections, days=payload.days
        )
    except ActionError as exc:  # name the request's field, not the action's argument
        raise ActionError({"sections" if f == "scopes" else f: m for f, m in exc.errors.items()}) from None
    url = request.build_absolute_uri(reverse("care:shared", args=[token]))
    return Status(201, {**share_link_out(link, 0), "url": url})


@router.get("/share-links", response={200: list[ShareLinkOut], 404: ErrorOut})
def list_share_links(request: HttpRequest) -> list[dict[str, Any]]:
    """Patients: your share links, newest first, with how many times each was opened."""
    return [share_link_out(link, views) for link, views in get_share_links_for_user(actor(request))]


@router.delete("/share-links/{link_id}", response={200: ShareLinkOut, 404: ErrorOut})
def revoke_share_link(request: HttpRequest, link_id: int) -> dict[str, Any]:
    """Patients: switch a link off; it stops working from the very next request."""
    link = do_revoke_share_link(actor(request), link_id)
    views = {lk.pk: n for lk, n in get_share_links_for_user(actor(request))}
    return share_link_out(link, views.get(link.pk, 0))


class AccessLogOut(Schema):
    at: datetime
    who: str
    role: str
    what: str
    action: str
    object_type: str
    via: str


class AccessLogPage(Schema):
    count: int
    page: int
    pages: int
    events: list[AccessLogOut]


class AccessLogQuery(Schema):
    who: str = ""
    action: str = ""
    since: date | None = None
    until: date | None = None
    page: int = 1


@router.get("/access-log", response={200: AccessLogPage, 404: ErrorOut, 422: ErrorOut})
def access_log(request: HttpRequest, filters: Query[AccessLogQuery]) -> dict[str, Any]:
    """Patients: who read or changed your data, newest first (dates inclusive, in your time zone)."""
    who, action, since, until, page = filters.who, filters.action, filters.since, filters.until, filters.page
    if action and action not in AuditAction.values:
        raise ActionError({"action": [f"one of {', '.join(AuditAction.values)}"]})
    if since and until and since > until:
        raise ActionError({"until": ["is before since"]})
    _, events = get_access_log_for_user(actor(request), who=who, action=action, since_on=since, until_on=until)
    paginator = Paginator(events, LOG_PAGE_SIZE)
    if page < 1 or (page > paginator.num_pages):
        raise ActionError({"page": [f"between 1 and {paginator.num_pages}"]})
    return {
        "count": paginator.count,
        "page": page,
        "pages": paginator.num_pages,
        "events": [
            {
                "at": e.at,
                "who": phrases.who(e),
                "role": phrases.role(e),
                "what": phrases.describe(e),
                "action": e.action,
                "object_type": e.object_type,
                "via": e.via,
            }
            for e in paginator.page(page).object_list
        ],
    }
