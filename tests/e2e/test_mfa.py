"""In real Chromium: a clinician on a site that requires two-step sign-in is sent to set up an
authenticator app, enrols (the test computes the codes from the secret the page shows, RFC 6238:
tests/totp.py), signs out, and signs in again with a code."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from conftest import PASSWORD
from tests.e2e.nav import sign_in, sign_out
from tests.totp import totp

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def required(settings):
    settings.PAINMIND_MFA_REQUIRED_ROLES = ["clinician", "admin"]


def test_a_clinician_enrols_totp_then_signs_in_with_it(page: Page, live_server, olga, required):
    base = live_server.url
    sign_in(page, base, olga.email)
    # Sent to enrolment; allauth asks for the password once more before a security change.
    expect(page).to_have_url(f"{base}/accounts/reauthenticate/?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(f"{base}/accounts/2fa/totp/activate/")
    secret = page.get_by_label("Authenticator secret").input_value()
    page.get_by_label("Authenticator code").fill(totp(secret))
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    # Enrolled: the recovery codes are there to keep, and the panel opens.
    page.goto(f"{base}/accounts/2fa/recovery-codes/")
    codes = page.get_by_label("Unused codes").input_value().split()
    assert len(codes) == 10
    page.goto(f"{base}/clinician/")
    expect(page).to_have_url(f"{base}/clinician/")
    sign_out(page)

    sign_in(page, base, olga.email)
    expect(page).to_have_url(f"{base}/accounts/2fa/authenticate/")
    page.get_by_label("Code").fill(totp(secret, ahead=1))
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base}/clinician/")
