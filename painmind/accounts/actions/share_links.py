"""Share links: a patient making a time-limited, read-only link to parts of their data, and revoking it."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from painmind.accounts.audit import Actor
from painmind.accounts.models import SHARE_SCOPES, Role, ShareLink
from painmind.lib.errors import ActionError
from painmind.lib.tokens import token_digest

SHARE_LINK_MAX_DAYS = 30


def do_create_share_link(actor: Actor, *, label: str, scopes: Iterable[str], days: int) -> tuple[ShareLink, str]:
    """The patient makes a read-only link: ``(link, token)``; the token is returned once.

    `scopes` ⊆ ``SHARE_SCOPES`` (at least one); the link works for `days` days (1 to 30).
    """
    patient = actor.user
    if patient is None or patient.role != Role.PATIENT:
        raise ActionError({"label": ["only a patient can share their own data"]})
    errors: dict[str, list[str]] = {}
    label = " ".join(label.split())
    if not label:
        errors["label"] = ["give the link a name, e.g. the appointment it is for"]
    elif len(label) > 80:
        errors["label"] = ["at most 80 characters"]
    chosen = set(scopes)
    unknown = chosen - set(SHARE_SCOPES)
    if unknown:
        errors["scopes"] = [f"unknown section(s): {', '.join(sorted(unknown))}"]
    elif not chosen:
        errors["scopes"] = ["choose at least one section to show"]
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= SHARE_LINK_MAX_DAYS:
        errors["days"] = [f"between 1 and {SHARE_LINK_MAX_DAYS} days"]
    if errors:
        raise ActionError(errors)
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    link = ShareLink.objects.create(
        patient=patient,
        label=label,
        token_digest=token_digest(token),
        token_prefix=token[:6],
        created_at=now,
        expires_at=now + timedelta(days=days),
        **{scope: scope in chosen for scope in SHARE_SCOPES},
    )
    return link, token


@transaction.atomic
def do_revoke_share_link(actor: Actor, link_id: int | str) -> ShareLink:
    """The patient switches a link off, from the very next request; revoking twice is harmless."""
    user = actor.user
    try:
        lid = int(link_id)
    except (TypeError, ValueError):
        raise Http404("No such link.") from None
    if user is None or user.role != Role.PATIENT:
        raise Http404("No such link.")
    link = ShareLink.objects.select_for_update().filter(pk=lid, patient=user).first()
    if link is None:
        raise Http404("No such link.")
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
    return link
