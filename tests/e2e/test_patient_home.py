"""In real Chromium at 1280 px and 360 px: the patient marks where it hurts on the body map (a
click, and Tab/Space from the keyboard), saves, sees the day on the home chart's table and in
their history, and the clinician sees the locations (issue 16). axe-core runs on each page
state, with zero violations allowed."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from painmind.diary.models import CheckIn
from tests.e2e.nav import WIDTHS, sign_in, sized

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(params=list(WIDTHS))
def browser_context_args(request, browser_context_args):
    width, height = WIDTHS[request.param]
    return sized(browser_context_args, width, height)


def axe_violations(page: Page, state: str) -> list[str]:
    results = Axe().run(page)
    return [] if results.violations_count == 0 else [f"{state} ({page.url}):\n{results.generate_report()}"]


def test_body_map_checkin_reaches_the_home_chart_history_and_the_clinician(page: Page, live_server, pat, cara):
    base = live_server.url
    found: list[str] = []
    sign_in(page, base, pat.email)
    expect(page.get_by_role("heading", name="How are you today?")).to_be_visible()
    found += axe_violations(page, "patient home, empty")
    page.get_by_role("group", name="Pain (required)").get_by_text("7", exact=True).click()
    page.get_by_role("group", name="Mood (required)").get_by_text("3", exact=True).click()
    page.get_by_text("More (optional)").click()
    lower_back = page.locator('.bodymap [data-region="lower_back"]')
    lower_back.click()
    expect(lower_back).to_have_attribute("aria-checked", "true")
    # Keyboard only: Tab from the shape before reaches the left knee; Space marks it.
    page.locator('.bodymap [data-region="knee_right"]').focus()
    page.keyboard.press("Tab")
    knee = page.locator('.bodymap [data-region="knee_left"]')
    expect(knee).to_be_focused()
    page.keyboard.press("Space")
    expect(knee).to_have_attribute("aria-checked", "true")
    found += axe_violations(page, "check-in with the body map open")
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_text("Check-in saved. Thank you.")).to_be_visible()
    entry = CheckIn.objects.get(patient=pat)
    assert (entry.pain, entry.mood, sorted(entry.pain_locations)) == (7, 3, ["knee_left", "lower_back"])
    # The home chart's table shows the day (refreshed with the save), the history where it hurt.
    day = f"{entry.local_on.day} {entry.local_on:%b %Y}"
    row = page.locator("#home-table tbody tr").first
    expect(row).to_contain_text(day)
    expect(row.locator("td").nth(1)).to_have_text("7")
    expect(row.locator("td").nth(2)).to_have_text("3")
    expect(page.locator("#home-recent")).to_contain_text("where: Lower back, Left knee")
    found += axe_violations(page, "patient home after the save")
    page.context.clear_cookies()  # sign the patient out
    sign_in(page, base, cara.email)
    page.goto(f"{base}/clinician/patients/{pat.pk}/diary/")
    expect(page.get_by_text("where: Lower back, Left knee")).to_be_visible()
    expect(page.locator("#regions")).to_contain_text("Lower back")
    found += axe_violations(page, "clinician diary with locations")
    assert not found, "\n\n".join(found)
