"""Repairs of stored values that earlier versions let in and that can no longer be read.

Before the one date range (docs/api.md: years 1900–2100), a consent could be granted "until
9999-12-31T23:59:59-12:00", which PostgreSQL stores as a moment in the year 10000: Python cannot
read it back, so every page that loaded that consent (revoke included) failed while the clinician
kept access. `end_dates_beyond_2100` rewrites such values with UPDATEs only (a row is never read):

- an optional end (a consent's `expires_at`, an invitation's `consent_expires_at`) becomes empty,
  which already means "until revoked" — the patient's intent, and revoking works again;
- a required end (an invitation's `invite_expires_at`, a share link's `expires_at`) becomes now:
  the invitation or link ends, and the patient can make a new one within the range (project rule,
  docs/security.md).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.utils import timezone

LAST_MOMENT = datetime(2100, 12, 31, 23, 59, 59, tzinfo=UTC)


def end_dates_beyond_2100(consent: Any, invite: Any, share_link: Any) -> dict[str, int]:
    """Rewrite ends beyond 2100 (see the module docstring); the number of rows changed per field."""
    now = timezone.now()
    return {
        "consent.expires_at": consent.objects.filter(expires_at__gt=LAST_MOMENT).update(expires_at=None),
        "invite.consent_expires_at": invite.objects.filter(consent_expires_at__gt=LAST_MOMENT).update(
            consent_expires_at=None
        ),
        "invite.invite_expires_at": invite.objects.filter(invite_expires_at__gt=LAST_MOMENT).update(
            invite_expires_at=now
        ),
        "share_link.expires_at": share_link.objects.filter(expires_at__gt=LAST_MOMENT).update(expires_at=now),
    }
