"""Digests of the secrets PainMind hands out: API tokens, share-link tokens, invitation codes."""

from __future__ import annotations

import hashlib


def token_digest(secret: str) -> str:
    """SHA-256 of a secret, as stored. Each secret carries enough randomness for a fast hash
    (unlike passwords), so a lookup by digest is one indexed equality.

    >>> token_digest("pm_example")[:16]
    'de1602d0c128212f'
    """
    return hashlib.sha256(secret.encode()).hexdigest()
