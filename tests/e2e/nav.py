"""The main navigation in browser tests: four links and a "More" menu (a <details>)."""

from __future__ import annotations

from playwright.sync_api import Locator, Page


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
