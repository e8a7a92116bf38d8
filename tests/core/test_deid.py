"""Keyed pseudonyms and date shifts (core.deid): stable, keyed, and within the stated rule."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from painmind.core.deid import date_shift_days, pseudonym

SECRET = b"test site secret"


def test_pseudonym_is_the_truncated_hmac_of_the_labelled_id() -> None:
    # The documented construction, computed here independently with the standard library.
    expected = hmac.new(SECRET, b"painmind-research:id:42", hashlib.sha256).hexdigest()[:16]
    assert pseudonym(SECRET, 42) == expected


def test_pseudonym_is_stable_and_keyed() -> None:
    assert pseudonym(SECRET, 7) == pseudonym(SECRET, 7)
    assert pseudonym(SECRET, 7) != pseudonym(SECRET, 8)
    assert pseudonym(SECRET, 7) != pseudonym(b"another site", 7)


@pytest.mark.parametrize("person", range(1, 200))
def test_shift_is_whole_weeks_never_zero_within_a_year(person: int) -> None:
    days = date_shift_days(SECRET, person)
    assert days % 7 == 0
    assert 7 <= abs(days) <= 364
    assert days == date_shift_days(SECRET, person)


def test_shifts_spread_over_both_directions_and_many_weeks() -> None:
    shifts = [date_shift_days(SECRET, p) for p in range(1, 2001)]
    assert min(shifts) < 0 < max(shifts)
    # 104 possible values; 2,000 draws of a uniform choice miss one with odds ~ 104 * e^-19.
    assert len(set(shifts)) == 104


def test_shift_does_not_follow_from_the_pseudonym_label() -> None:
    # Different labels: the shift's digest is not the pseudonym's.
    shift_digest = hmac.new(SECRET, b"painmind-research:shift:42", hashlib.sha256).digest()
    assert shift_digest.hex()[:16] != pseudonym(SECRET, 42)
