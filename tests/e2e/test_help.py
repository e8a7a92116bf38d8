"""In real Chromium on a 320 px phone: help without signing in, and the crisis block for where
the patient is (issue 10)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from painmind.accounts.models import User
from painmind.ops.management.commands.demo import PATIENT
from tests.e2e.test_questionnaire import answer_phq9, sign_in_as_demo_patient

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 320, "height": 640}, "has_touch": True}


def fits_the_screen(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_signed_out_the_sign_in_page_leads_to_help(page: Page, live_server, settings):
    settings.DEFAULT_COUNTRY = "GB"
    page.goto(f"{live_server.url}/login/")
    page.get_by_role("link", name="find help now").click()
    expect(page).to_have_url(f"{live_server.url}/help/")
    expect(page.get_by_role("heading", name="If you need help now")).to_be_visible()
    first = page.locator("a.tel").first
    expect(first).to_have_text("999")
    expect(first).to_have_attribute("href", "tel:999")
    assert fits_the_screen(page)
    # Another country, from the list of names.
    page.get_by_label("Show the services of another country").select_option(label="Australia")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("a.tel").first).to_have_attribute("href", "tel:000")
    expect(page.get_by_role("link", name="0477 13 11 14")).to_have_attribute("href", "sms:0477131114")
    assert fits_the_screen(page)


def test_gb_patient_sees_999_first_in_the_crisis_block(page: Page, live_server, demo):
    sign_in_as_demo_patient(page, live_server.url)
    answer_phq9(page, live_server.url, "Several days")
    crisis = page.get_by_role("alert")
    expect(crisis).to_contain_text("You said you've had thoughts of being better off dead")
    expect(crisis.locator("a.tel").first).to_have_attribute("href", "tel:999")
    expect(crisis.get_by_role("link", name="116 123")).to_have_attribute("href", "tel:116123")
    expect(crisis).to_contain_text("Nobody watches PainMind around the clock")
    assert fits_the_screen(page)


def test_de_patient_sees_112_and_no_foreign_helpline(page: Page, live_server, demo):
    User.objects.filter(email=PATIENT).update(country="DE")
    sign_in_as_demo_patient(page, live_server.url)
    answer_phq9(page, live_server.url, "Several days")
    crisis = page.get_by_role("alert")
    expect(crisis.locator("a.tel")).to_have_count(1)
    expect(crisis.locator("a.tel").first).to_have_attribute("href", "tel:112")
    for foreign in ("116 123", "Samaritans", "988", "13 11 14", "999", "911"):
        expect(crisis).not_to_contain_text(foreign)
