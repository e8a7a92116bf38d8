"""What browser tests share: signing in, the phone's viewport, and the main navigation (four
links and a "More" menu, a <details>)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Locator, Page

from conftest import PASSWORD

PHONE = {"width": 360, "height": 740}
# The two widths issue 16 asks every main flow to work at (a module parametrises its context on them).
WIDTHS = {"desktop": (1280, 900), "phone": (PHONE["width"], PHONE["height"])}


def phone(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """A module's `browser_context_args` on a small touch phone (360 × 740)."""
    return {**browser_context_args, "viewport": PHONE, "has_touch": True}


def sized(browser_context_args: dict[str, Any], width: int, height: int) -> dict[str, Any]:
    """A module's `browser_context_args` at `width` × `height`, a touch screen below 1024 px."""
    return {**browser_context_args, "viewport": {"width": width, "height": height}, "has_touch": width < 1024}


def sign_in(page: Page, base: str, email: str, password: str = PASSWORD) -> None:
    """Sign in on the real sign-in page (the test personas' password unless given: the demo's
    is `painmind.ops.management.commands.demo.PASSWORD`) and wait for the page it leads to."""
    page.goto(f"{base}/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def main_nav(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Main")


def open_more(page: Page) -> None:
    more = main_nav(page).locator("details")
    if more.get_attribute("open") is None:
        more.locator("summary").click()


def nav_link(page: Page, name: str) -> Locator:
    """The main-menu link `name`, made visible first (opening "More" if it is there)."""
    link = main_nav(page).get_by_role("link", name=name, exact=True)
    if not link.is_visible():
        open_more(page)
    return link


def sign_out(page: Page) -> None:
    open_more(page)
    main_nav(page).get_by_role("button", name="Sign out").click()
