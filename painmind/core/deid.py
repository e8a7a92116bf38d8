"""Keyed pseudonyms and per-person date shifts for research exports (docs/exchange.md).

Both come from one HMAC-SHA256 of the person's internal id under a site secret, so they are
stable across exports (the same person has the same pseudonym and the same shift every time)
and cannot be recomputed, or reversed, without the secret. The two use different labels, so the
shift cannot be read off the pseudonym.

Project rules (not clinical facts): the pseudonym is 16 hex digits (64 bits: a collision among
a million people has odds of about 3 in 10^8); the shift is a whole number of weeks, so the
day of the week (and any weekly rhythm in pain or mood) survives, between 1 and 52 weeks
earlier or later, never 0, so no one's real dates are exported.

Examples
--------
>>> pseudonym(b"site secret", 42) == pseudonym(b"site secret", 42)
True
>>> pseudonym(b"site secret", 42) != pseudonym(b"another site", 42)
True
>>> days = date_shift_days(b"site secret", 42)
>>> days % 7 == 0 and 7 <= abs(days) <= 364
True
"""

from __future__ import annotations

import hashlib
import hmac

PSEUDONYM_HEX_DIGITS = 16
MAX_SHIFT_WEEKS = 52


def _digest(secret: bytes, label: str, person_id: int) -> bytes:
    return hmac.new(secret, f"painmind-research:{label}:{int(person_id)}".encode(), hashlib.sha256).digest()


def pseudonym(secret: bytes, person_id: int) -> str:
    """The person's research id: 16 lower-case hex digits, the same for every export under `secret`."""
    return _digest(secret, "id", person_id).hex()[:PSEUDONYM_HEX_DIGITS]


def date_shift_days(secret: bytes, person_id: int) -> int:
    """Days to add to every date of this person: ±7 to ±364, a multiple of 7, never 0.

    Derived from the keyed HMAC, so it is constant for a person across exports and tables.
    """
    n = int.from_bytes(_digest(secret, "shift", person_id)[:8], "big")
    weeks = 1 + n % MAX_SHIFT_WEEKS
    sign = 1 if (n >> 32) & 1 else -1
    return sign * 7 * weeks
