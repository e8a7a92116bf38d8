"""In real Chromium: the patient signs in on a phone-sized screen and records a check-in."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from painmind.diary.models import CheckIn
from tests.e2e.nav import phone, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def browser_context_args(browser_context_args):
    # A small phone: the check-in must work on one narrow screen.
    return phone(browser_context_args)


def test_patient_records_a_checkin_with_htmx(page: Page, live_server, pat):
    sign_in(page, live_server.url, pat.email)
    expect(page.get_by_role("heading", name="How are you today?")).to_be_visible()
    pain = page.get_by_role("group", name="Pain (required)")
    pain.get_by_text("7", exact=True).click()
    page.get_by_role("group", name="Mood (required)").get_by_text("3", exact=True).click()
    page.get_by_text("More (optional)").click()
    page.get_by_label("Sleep last night (hours)").fill("5.5")
    page.locator('.bodymap [data-region="lower_back"]').click()  # the body map (issue 16)
    page.get_by_label("Note").fill("Stiff after the drive.")
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_text("Check-in saved. Thank you.")).to_be_visible()
    expect(page.get_by_role("cell", name="Stiff after the drive.", exact=False)).to_be_visible()
    # The form sits inside the phone's width: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    entry = CheckIn.objects.get(patient=pat)
    assert (entry.pain, entry.mood, entry.sleep_hours, entry.pain_locations) == (7, 3, 5.5, ["lower_back"])


def test_keyboard_only_checkin(page: Page, live_server, pat):
    sign_in(page, live_server.url, pat.email)
    page.get_by_role("group", name="Pain (required)").get_by_role("radio", name="0, no pain").focus()
    page.keyboard.press("ArrowRight")  # radio groups move with the arrow keys
    page.keyboard.press("ArrowRight")
    page.get_by_role("group", name="Mood (required)").get_by_role("radio", name="0, very low").focus()
    for _ in range(8):
        page.keyboard.press("ArrowRight")
    page.get_by_role("button", name="Save check-in").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Check-in saved. Thank you.")).to_be_visible()
    entry = CheckIn.objects.get(patient=pat)
    assert (entry.pain, entry.mood) == (2, 8)


def test_checkin_works_without_javascript(browser, live_server, pat):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    sign_in(page, live_server.url, pat.email)
    page.get_by_role("group", name="Pain (required)").get_by_text("4", exact=True).click()
    page.get_by_role("group", name="Mood (required)").get_by_text("6", exact=True).click()
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_text("Check-in saved. Thank you.")).to_be_visible()
    assert page.url.endswith("/me/")
    context.close()
    entry = CheckIn.objects.get(patient=pat)
    assert (entry.pain, entry.mood) == (4, 6)
