"""The body map on a 360 px phone (issue 16): every region's hit area measures at least 44 × 44
CSS px (the project rule in docs/patient.md, "Where it hurts"), a tap toggles the region's
checkbox, and the keyboard still reaches and toggles each region. axe watches every state."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from painmind.core.body_regions import BODY_REGIONS
from tests.e2e.nav import phone, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
MIN_PX = 44


@pytest.fixture
def browser_context_args(browser_context_args):
    return phone(browser_context_args)


def open_map(page: Page, base: str, email: str) -> None:
    sign_in(page, base, email)
    page.get_by_text("More (optional)").click()


def test_every_region_is_at_least_44_px_and_a_tap_toggles_its_checkbox(page: Page, live_server, pat):
    open_map(page, live_server.url, pat.email)
    regions = page.locator(".bodymap [data-region]")
    expect(regions).to_have_count(len(BODY_REGIONS))
    sizes = {}
    for i in range(regions.count()):
        region = regions.nth(i)
        box = region.bounding_box()
        assert box is not None
        sizes[region.get_attribute("data-region")] = (round(box["width"], 1), round(box["height"], 1))
    small = {code: size for code, size in sizes.items() if min(size) < MIN_PX}
    assert small == {}, f"regions under {MIN_PX} px: {small}"
    # Nothing sticks out sideways: the page does not scroll horizontally at 360 px.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    for code in ("neck", "hand_left", "foot_right", "widespread"):
        region = page.locator(f'.bodymap [data-region="{code}"]')
        checkbox = page.locator(f'input[name="pain_locations"][value="{code}"]')
        region.scroll_into_view_if_needed()
        region.tap()
        expect(region).to_have_attribute("aria-checked", "true")
        expect(checkbox).to_be_checked()
        region.tap()
        expect(region).to_have_attribute("aria-checked", "false")
        expect(checkbox).not_to_be_checked()


def test_the_keyboard_reaches_every_region_in_order(page: Page, live_server, pat):
    open_map(page, live_server.url, pat.email)
    codes = page.locator(".bodymap [data-region]").evaluate_all("els => els.map(e => e.dataset.region)")
    page.locator(f'.bodymap [data-region="{codes[0]}"]').focus()
    for code in codes[1:]:
        page.keyboard.press("Tab")
        expect(page.locator(f'.bodymap [data-region="{code}"]')).to_be_focused()
    page.keyboard.press("Space")  # on "All over", the last one
    expect(page.locator(f'input[name="pain_locations"][value="{codes[-1]}"]')).to_be_checked()
