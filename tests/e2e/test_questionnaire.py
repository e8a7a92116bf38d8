"""In real Chromium: the demo patient completes a PHQ-9; a positive item 9 shows crisis resources."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from painmind.ops.management.commands.demo import PASSWORD, PATIENT
from painmind.safety.models import Alert, AlertEntry
from tests.e2e.nav import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 375, "height": 812}, "has_touch": True}


def sign_in_as_demo_patient(page: Page, base: str) -> None:
    sign_in(page, base, PATIENT, PASSWORD)


def answer_phq9(page: Page, base: str, item9: str) -> None:
    page.goto(f"{base}/me/measures/")
    page.get_by_role("listitem").filter(has_text="PHQ-9").get_by_role("link", name="Start").click()
    groups = page.get_by_role("main").get_by_role("group")  # the menu's "More" (<details>) is a group too
    for i in range(8):
        groups.nth(i).get_by_label("Several days").check()
    groups.nth(8).get_by_label(item9).check()
    page.get_by_role("button", name="Submit answers").click()


def test_demo_patient_completes_a_phq9(page: Page, live_server, demo):
    sign_in_as_demo_patient(page, live_server.url)
    answer_phq9(page, live_server.url, "Not at all")
    # Eight items at 1 ("Several days") and item 9 at 0: total 8, mild (clinical-reference §1.1).
    expect(page.get_by_role("heading", name="(PHQ-9): your result")).to_be_visible()
    expect(page.locator(".big")).to_have_text("8")
    expect(page.get_by_text("Mild", exact=False).first).to_be_visible()
    expect(page.locator(".crisis")).to_have_count(0)


def test_positive_item9_shows_crisis_resources(page: Page, live_server, demo):
    sign_in_as_demo_patient(page, live_server.url)
    before = AlertEntry.objects.filter(alert__kind="self_harm").count()
    answer_phq9(page, live_server.url, "More than half the days")
    crisis = page.get_by_role("alert")
    expect(crisis).to_contain_text("You said you've had thoughts of being better off dead")
    expect(crisis.get_by_role("link", name="116 123")).to_have_attribute("href", "tel:116123")
    expect(crisis).to_contain_text("Nobody watches PainMind around the clock")
    # The demo patient already has an open self-harm alert: the new answer attaches to it.
    assert AlertEntry.objects.filter(alert__kind="self_harm").count() == before + 1
    assert Alert.objects.open().filter(kind="self_harm").count() == 1
