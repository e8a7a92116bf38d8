"""axe-core on PainMind's versions of django-allauth's pages, on a 360 px phone: password reset,
password change, e-mail, and every two-step sign-in page (set up, recovery codes, turn off, the
code at sign-in). Zero violations allowed; a failure prints axe's own report. The strict CSP is
checked too (tests/e2e/conftest.py)."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from conftest import PASSWORD
from tests.e2e.nav import phone, sign_in
from tests.totp import totp

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def browser_context_args(browser_context_args):
    return phone(browser_context_args)


def _violations(page: Page, url: str | None = None) -> list[str]:
    if url is not None:
        page.goto(url)
    page.wait_for_load_state()
    results = Axe().run(page)
    return [] if results.violations_count == 0 else [f"{page.url}:\n{results.generate_report()}"]


def test_no_axe_violations_on_the_reset_change_and_two_step_pages(page: Page, live_server, pat):
    base = live_server.url
    found = _violations(page, f"{base}/login/")
    found += _violations(page, f"{base}/accounts/password/reset/")
    page.get_by_label("Email").fill(pat.email)
    page.get_by_role("button", name="Email me a link").click()
    expect(page).to_have_url(f"{base}/accounts/password/reset/done/")
    found += _violations(page)
    found += _violations(page, f"{base}/accounts/password/reset/key/1-set-password/")

    sign_in(page, base, pat.email)
    found += _violations(page, f"{base}/accounts/password/change/")
    found += _violations(page, f"{base}/accounts/email/")
    found += _violations(page, f"{base}/accounts/2fa/")
    page.goto(f"{base}/accounts/2fa/totp/activate/")
    found += _violations(page)  # "Confirm it is you"
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(f"{base}/accounts/2fa/totp/activate/")
    found += _violations(page)
    secret = page.get_by_label("Authenticator secret").input_value()
    page.get_by_label("Authenticator code").fill(totp(secret))
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    page.wait_for_load_state()
    found += _violations(page, f"{base}/accounts/2fa/recovery-codes/")
    found += _violations(page, f"{base}/accounts/2fa/recovery-codes/generate/")
    found += _violations(page, f"{base}/accounts/2fa/")
    found += _violations(page, f"{base}/accounts/2fa/totp/deactivate/")

    page.context.clear_cookies()
    sign_in(page, base, pat.email)
    expect(page).to_have_url(f"{base}/accounts/2fa/authenticate/")
    found += _violations(page)
    page.get_by_label("Code").fill(totp(secret, ahead=1))
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(f"{base}/accounts/2fa/authenticate/")
    assert not found, "\n\n".join(found)
