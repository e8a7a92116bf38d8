"""The tests' TOTP helper against RFC 6238 Appendix B (SHA-1 rows) and RFC 4226 Appendix D."""

from __future__ import annotations

import base64

import pytest

from tests.totp import hotp, totp

RFC_KEY = b"12345678901234567890"


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ],
)
def test_rfc6238_sha1_vectors(at, expected):
    assert totp(base64.b32encode(RFC_KEY).decode(), at=at, digits=8) == expected


def test_rfc4226_hotp_vectors():
    expected = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"]
    assert [hotp(RFC_KEY, c) for c in range(10)] == expected
