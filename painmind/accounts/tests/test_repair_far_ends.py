"""Ends stored beyond 2100 by earlier versions are rewritten so the rows can be read and revoked
(migration 0011, painmind/accounts/repair.py). On PostgreSQL the issue's own value, a consent
"until 9999-12-31T23:59:59-12:00", is the year 10000, which Python cannot read back."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import DataError, connection

from painmind.accounts.actions import do_grant_consent, do_revoke_consent
from painmind.accounts.audit import Actor
from painmind.accounts.models import Consent, Invite, ShareLink
from painmind.accounts.repair import end_dates_beyond_2100

# The value the issue found: accepted before the date range, stored as 10000-01-01 11:59:59 UTC.
YEAR_10000 = "9999-12-31T23:59:59-12:00"


def _set_raw(table: str, column: str, pk: int, value: str) -> None:
    with connection.cursor() as cursor:  # around the ORM, as an older version wrote it
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, pk])


@pytest.mark.django_db
def test_a_consent_beyond_2100_becomes_until_revoked_and_can_be_revoked(pat, cara):
    consent, _ = do_grant_consent(Actor(user=pat, via="web"), cara.email)
    # PostgreSQL keeps the value; SQLite cannot store a year past 9999, so the far end there is 2999.
    far = YEAR_10000 if connection.vendor == "postgresql" else "2999-01-01 00:00:00"
    _set_raw(Consent._meta.db_table, "expires_at", consent.pk, far)
    if connection.vendor == "postgresql":
        with pytest.raises(DataError, match="after year 10K"):  # what every page that loaded it hit
            Consent.objects.get(pk=consent.pk)
    changed = end_dates_beyond_2100(Consent, Invite, ShareLink)
    assert changed["consent.expires_at"] == 1
    assert Consent.objects.get(pk=consent.pk).expires_at is None
    do_revoke_consent(Actor(user=pat, via="web"), consent.pk)
    assert Consent.objects.get(pk=consent.pk).revoked_at is not None


@pytest.mark.django_db
def test_ends_inside_the_range_are_left_alone(pat, cara):
    consent, _ = do_grant_consent(Actor(user=pat, via="web"), cara.email)
    edge = datetime(2100, 12, 31, 23, 59, 59, tzinfo=UTC)
    Consent.objects.filter(pk=consent.pk).update(expires_at=edge)
    changed = end_dates_beyond_2100(Consent, Invite, ShareLink)
    assert changed == {
        "consent.expires_at": 0,
        "invite.consent_expires_at": 0,
        "invite.invite_expires_at": 0,
        "share_link.expires_at": 0,
    }
    assert Consent.objects.get(pk=consent.pk).expires_at == edge
