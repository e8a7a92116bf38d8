"""axe-core on every page state a browser test visits (docs/accessibility.md).

A page state is a page load or an HTMX swap. Each one is marked when it happens and checked with
axe-core (WCAG 2.1 A and AA rules only) before the test's next action on any page (a click, a
key press, a navigation, closing its page or context) and once more when the test ends, so the
state checked is the one the test saw and then acted on. Violations are collected with the URL
and axe's own report; the fixture in conftest.py fails the test on any.

Nothing here is per test: conftest.py installs the watch around every browser test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from axe_playwright_python.base import AxeResults
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Error, Keyboard, Locator, Mouse, Page

# WCAG 2.1 levels A and AA: the bar the issue sets ("fails on any WCAG 2.1 A/AA violation").
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
# Tells the watch that HTMX settled new content (bound per page and watch by `expose_function`).
SWAP_SCRIPT = """document.addEventListener("htmx:afterSettle", () => {
  if (window.%(name)s) window.%(name)s();
});"""
# Every call that acts on a page: before it, the state being left is checked.
ACTIONS: dict[type, tuple[str, ...]] = {
    Page: ("goto", "reload", "go_back", "go_forward", "click", "dblclick", "fill", "press", "check", "uncheck",
           "set_checked", "select_option", "tap", "type", "close"),
    Locator: ("click", "dblclick", "fill", "press", "press_sequentially", "check", "uncheck", "set_checked",
              "select_option", "tap", "type", "clear", "set_input_files"),
    Keyboard: ("press", "type", "insert_text", "down"),
    Mouse: ("click", "dblclick", "down"),
    BrowserContext: ("close",),
}  # fmt: skip
_AXE_SOURCE = Axe().axe_script


class AxeWatch:
    """The page states of one test that are still to be checked, and what axe found."""

    def __init__(self) -> None:
        self.pending: dict[Page, str] = {}
        self.watched: set[Page] = set()
        self.found: list[str] = []
        self.checked = 0
        self.no_script: set[BrowserContext] = set()
        self._twin: BrowserContext | None = None
        self._busy = False

    def watch(self, page: Page) -> None:
        if page in self.watched or self._busy:
            return
        self.watched.add(page)
        page.on("load", lambda _page: self.pending.__setitem__(page, "after loading"))
        page.on("close", lambda _page: self.forget(page))
        if page.context in self.no_script:
            return
        name = f"__painmindAxeSwap{id(self)}"
        page.expose_function(name, lambda: self.pending.__setitem__(page, "after an HTMX swap"))
        page.add_init_script(SWAP_SCRIPT % {"name": name})

    def forget(self, page: Page) -> None:
        self.pending.pop(page, None)

    def check_pending(self) -> None:
        if self._busy:
            return
        self._busy = True
        try:
            for page, when in list(self.pending.items()):
                self.pending.pop(page, None)
                if not page.is_closed():
                    self._check(page, when)
        finally:
            self._busy = False

    def close(self) -> None:
        if self._twin is not None:
            self._twin.close()

    def _check(self, page: Page, when: str) -> None:
        page.wait_for_load_state()
        if page.context in self.no_script:
            return self._check_twin(page, when)
        self._run_axe(page, page.url, when)

    def _check_twin(self, page: Page, when: str) -> None:
        """A page without JavaScript cannot run axe (evaluate waits for ever): its DOM is the
        server's HTML, so axe checks that HTML in a twin page with scripts on (the stylesheet
        loaded from the same server)."""
        if self._twin is None:
            browser = page.context.browser
            assert browser is not None
            self._twin = browser.new_context(viewport=page.viewport_size)
        twin = self._twin.new_page()
        html = page.content().replace("<head>", f'<head><base href="{page.url}">', 1)
        twin.set_content(html, wait_until="load")
        self._run_axe(twin, page.url, f"{when}, without JavaScript")
        twin.close()

    def _run_axe(self, page: Page, url: str, when: str) -> None:
        try:
            if not page.evaluate("typeof window.axe !== 'undefined'"):
                page.evaluate(_AXE_SOURCE)
            results = AxeResults(page.evaluate("options => axe.run(document, options)", AXE_OPTIONS))
        except Error as exc:
            if "context was destroyed" in str(exc):
                # Navigated away while axe ran: the new state is marked by its own load.
                return
            raise
        self.checked += 1
        if results.violations_count:
            self.found.append(f"{url} ({when}):\n{results.generate_report()}")


def _before(watch: AxeWatch, method: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        watch.check_pending()
        return method(*args, **kwargs)

    return wrapper


def _watching(watch: AxeWatch, method: Callable[..., Any]) -> Callable[..., Any]:
    def new_page(*args: Any, **kwargs: Any) -> Page:
        page: Page = method(*args, **kwargs)
        watch.watch(page)
        return page

    return new_page


def _recording_no_script(watch: AxeWatch, method: Callable[..., Any]) -> Callable[..., Any]:
    def new_context(*args: Any, **kwargs: Any) -> BrowserContext:
        context: BrowserContext = method(*args, **kwargs)
        if kwargs.get("java_script_enabled") is False:
            watch.no_script.add(context)
        return context

    return new_context


@contextmanager
def installed(watch: AxeWatch) -> Iterator[None]:
    """Patch Playwright's sync classes for the length of one test, then put them back."""
    originals: list[tuple[type, str, Any]] = []
    for cls, names in ACTIONS.items():
        for name in names:
            originals.append((cls, name, getattr(cls, name)))
            setattr(cls, name, _before(watch, getattr(cls, name)))
    for cls in (BrowserContext, Browser):
        originals.append((cls, "new_page", cls.new_page))
        setattr(cls, "new_page", _watching(watch, cls.new_page))  # noqa: B010
    originals.append((Browser, "new_context", Browser.new_context))
    setattr(Browser, "new_context", _recording_no_script(watch, Browser.new_context))  # noqa: B010
    try:
        yield
    finally:
        watch.close()
        for cls, name, method in reversed(originals):
            setattr(cls, name, method)
