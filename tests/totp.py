"""RFC 6238 time-based one-time passwords, written from the RFC (HMAC-SHA1, 30-second steps,
dynamic truncation of RFC 4226 section 5.3) so that tests compute codes independently of the
code under test. Checked against the RFC's own test vectors in tests/lib/test_totp_vectors.py."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time


def hotp(key: bytes, counter: int, digits: int = 6) -> str:
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    binary = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(binary % 10**digits).zfill(digits)


def totp(secret_base32: str, *, at: float | None = None, step: int = 30, digits: int = 6, ahead: int = 0) -> str:
    """The code for `secret_base32` at time `at` (now), `ahead` steps later."""
    key = base64.b32decode(secret_base32.upper() + "=" * (-len(secret_base32) % 8))
    counter = int(time.time() if at is None else at) // step + ahead
    return hotp(key, counter, digits)
