"""Share links over the API: the patient makes, lists and revokes read-only links."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.urls import reverse
from ninja import Router, Schema, Status

from painmind.accounts.access import get_share_links_for_user
from painmind.accounts.actions import do_create_share_link, do_revoke_share_link
from painmind.accounts.api.auth import actor
from painmind.accounts.http import AuthedRequest
from painmind.accounts.models import SHARE_SCOPES, ShareLink
from painmind.lib.api import ErrorOut
from painmind.lib.errors import ActionError
from painmind.lib.schemas import In, Text

router = Router(tags=["accounts"])


class ShareLinkIn(In):
    label: Text
    sections: list[Text]
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
def create_share_link(request: AuthedRequest, payload: ShareLinkIn) -> Status[Any]:
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
def list_share_links(request: AuthedRequest) -> list[dict[str, Any]]:
    """Patients: your share links, newest first, with how many times each was opened."""
    return [share_link_out(link, views) for link, views in get_share_links_for_user(actor(request))]


@router.delete("/share-links/{link_id}", response={200: ShareLinkOut, 404: ErrorOut})
def revoke_share_link(request: AuthedRequest, link_id: int) -> dict[str, Any]:
    """Patients: switch a link off; it stops working from the very next request."""
    link = do_revoke_share_link(actor(request), link_id)
    views = {lk.pk: n for lk, n in get_share_links_for_user(actor(request))}
    return share_link_out(link, views.get(link.pk, 0))
