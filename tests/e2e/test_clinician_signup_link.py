"""In real Chromium on a 360 px phone: a clinician makes a patient's sign-up link, sees it once
with a working copy button (a script file: the strict CSP is checked by tests/e2e/conftest.py),
and the page has no axe violations; a reload shows it no more."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from painmind.accounts.models import SignupLink
from tests.e2e.nav import phone, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def browser_context_args(browser_context_args):
    return phone(browser_context_args)


def test_a_clinician_makes_and_copies_a_sign_up_link(page: Page, live_server, olga, settings):
    settings.PAINMIND_SIGNUP_MODE = "invitation"
    base = live_server.url
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    sign_in(page, base, olga.email)
    page.goto(f"{base}/clinician/signup-links/")
    page.get_by_label("Patient's e-mail address").fill("new.patient@example.org")
    page.get_by_role("button", name="Make a sign-up link").click()
    expect(page).to_have_url(f"{base}/clinician/signup-links/")
    url = page.locator("#new-link").input_value()
    assert url.startswith(f"{base}/signup/su_")
    page.get_by_role("button", name="Copy the link").click()
    expect(page.get_by_text("Copied.")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == url
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    page.reload()
    expect(page.locator("#new-link")).to_have_count(0)
    assert SignupLink.objects.count() == 1
