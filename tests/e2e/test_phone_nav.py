"""On a 360 px phone in real Chromium: the main menu is one row of at most five items, "More"
opens the rest (a <details>, no script needed), nothing scrolls sideways, axe finds nothing;
the share-link result page has a working copy button and a reload shows the link no more."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.e2e.nav import main_nav, phone, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
_SHOTS = Path(os.environ.get("PAINMIND_DATA_DIR", "/tmp"))


@pytest.fixture
def browser_context_args(browser_context_args):
    return phone(browser_context_args)


def no_axe_violations(page: Page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_phone_menu_more_opens_the_rest(page: Page, live_server: Any, pat: Any) -> None:
    sign_in(page, live_server.url, pat.email)
    nav = main_nav(page)
    top = nav.locator(":scope > ul > li")
    expect(top).to_have_count(4)
    # One row: a second row would start at least one 44 px target lower.
    tops = [box["y"] for box in (item.bounding_box() for item in top.all()) if box]
    assert len(tops) == 4
    assert max(tops) - min(tops) < 10, tops
    for item in top.all():  # and no label wraps onto a second line
        box = item.bounding_box()
        assert box is not None
        assert box["height"] < 50, (item.inner_text(), box)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    sharing = nav.get_by_role("link", name="Sharing", exact=True)
    expect(sharing).to_be_hidden()
    no_axe_violations(page)

    nav.locator("summary").click()
    expect(sharing).to_be_visible()
    for name in ("Medicines", "My care plan", "My tools", "Settings"):
        expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(nav.get_by_role("button", name="Sign out")).to_be_visible()
    box = nav.locator("details > ul").bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 360
    no_axe_violations(page)
    page.screenshot(path=str(_SHOTS / "phone-nav-more.png"))
    sharing.click()
    expect(page.get_by_role("heading", name="Who can see your diary")).to_be_visible()


def test_share_link_copy_button_and_reload(page: Page, live_server: Any, pat: Any) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    sign_in(page, live_server.url, pat.email)
    page.goto(f"{live_server.url}/me/sharing/links/")
    page.get_by_label("Name").fill("Dr Lee")
    page.get_by_label("Check-ins").check()
    page.get_by_role("button", name="Create link").click()
    url = page.get_by_label("Link", exact=True).input_value()
    assert url.startswith(f"{live_server.url}/s/")
    page.get_by_role("button", name="Copy the link").click()
    expect(page.get_by_text("Copied.")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == url
    no_axe_violations(page)
    page.reload()
    expect(page.get_by_label("Link", exact=True)).to_have_count(0)
    expect(page.get_by_text("opened 0 times")).to_have_count(1)
