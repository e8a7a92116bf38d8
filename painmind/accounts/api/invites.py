"""Invitations over the API: the patient's (create, list, cancel) and the clinician's (accept, decline)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Router, Schema, Status

from painmind.accounts.access import get_invites_for_user
from painmind.accounts.actions import (
    do_accept_invite,
    do_cancel_invite,
    do_create_invite,
    do_decline_invite,
    format_invite_code,
)
from painmind.accounts.api.auth import actor
from painmind.accounts.api.consents import ConsentOut
from painmind.accounts.http import AuthedRequest
from painmind.accounts.models import Invite
from painmind.lib.api import ErrorOut
from painmind.lib.errors import ActionError
from painmind.lib.schemas import In, Moment, Text

router = Router(tags=["accounts"])


class InviteIn(In):
    email: Text | None = None
    code: bool = False
    consent_expires_at: Moment | None = None


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
    email_status: str | None = Field(
        None, description='An invitation by e-mail: "sent", "failed" (retried while it is pending) or "queued".'
    )


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
        "email_status": invite.email_status or None,
    }


@router.post("/invites", response={201: InviteCreatedOut, 422: ErrorOut})
def create_invite(request: AuthedRequest, payload: InviteIn) -> Status[Any]:
    """Patients: invite a clinician by `email`, or with `code: true` for a code to hand over.

    The code is in this response only (it is stored hashed). The answer is the same whether
    or not the email belongs to anyone registered.
    """
    email = (payload.email or "").strip()
    if bool(email) == payload.code:
        raise ActionError({"email": ['give either an email address or "code": true']})
    invite, code = do_create_invite(actor(request), email=email, consent_expires_at=payload.consent_expires_at)
    invite.refresh_from_db(fields=["emailed_at", "email_failed_at"])  # sent after the commit, or failed
    return Status(201, {**invite_out(invite), "code": format_invite_code(code)})


@router.get("/invites", response=list[InviteOut])
def list_invites(request: AuthedRequest) -> list[dict[str, Any]]:
    """Patients: your invitations, newest first. Clinicians: pending invitations to your email."""
    return [invite_out(i) for i in get_invites_for_user(actor(request))]


class AcceptIn(In):
    code: Text | None = None
    invite_id: int | None = None


class AcceptOut(Schema):
    created: bool
    consent: ConsentOut


@router.post("/invites/accept", response={201: AcceptOut, 200: AcceptOut, 422: ErrorOut})
def accept_invite(request: AuthedRequest, payload: AcceptIn) -> Status[Any]:
    """Clinicians: accept by `code`, or by `invite_id` for an invitation to your email (201; 200 if
    the patient already shares with you, and nothing changes)."""
    if (payload.code is None) == (payload.invite_id is None):
        raise ActionError({"code": ["give either a code or an invite_id"]})
    consent, created = do_accept_invite(actor(request), payload.code if payload.code is not None else payload.invite_id)  # type: ignore[arg-type]
    return Status(201 if created else 200, {"created": created, "consent": ConsentOut.from_consent(consent)})


@router.delete("/invites/{invite_id}", response={200: InviteOut, 404: ErrorOut, 422: ErrorOut})
def cancel_invite(request: AuthedRequest, invite_id: int) -> dict[str, Any]:
    """Patients: cancel a pending invitation; its code stops working at once."""
    return invite_out(do_cancel_invite(actor(request), invite_id))


@router.post("/invites/{invite_id}/decline", response={200: InviteOut, 404: ErrorOut, 422: ErrorOut})
def decline_invite(request: AuthedRequest, invite_id: int) -> dict[str, Any]:
    """Clinicians: decline a pending invitation addressed to you."""
    return invite_out(do_decline_invite(actor(request), invite_id))
