"""Browser tests see the pages as people do: with the stylesheet and HTMX.

pytest-django's live server serves /static/ through Django's `StaticFilesHandler`, which looks
files up with the finders, i.e. by their source names. Pages name them as the production
storage does (hashed, `app.<hash>.css`, collected into STATIC_ROOT by the root conftest), so
without this every stylesheet and script was a 404 and the tests ran on unstyled pages
without HTMX. Here the live server serves the collected files instead.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command

from tests.e2e.axe_watch import AxeWatch, installed


@pytest.fixture(scope="session")
def _serve_collected_static(_collected_static: Any) -> Iterator[None]:
    import django.contrib.staticfiles.handlers as handlers
    from django.conf import settings
    from django.views.static import serve

    original = handlers.StaticFilesHandler

    class CollectedStaticFilesHandler(original):  # type: ignore[misc, valid-type]
        def serve(self, request: Any) -> Any:
            return serve(request, self.file_path(request.path), document_root=str(settings.STATIC_ROOT))

    # pytest-django's LiveServer imports the handler class when it starts the server.
    setattr(handlers, "StaticFilesHandler", CollectedStaticFilesHandler)  # noqa: B010
    yield
    setattr(handlers, "StaticFilesHandler", original)  # noqa: B010


@pytest.fixture(scope="session")
def live_server(_serve_collected_static: None, live_server: Any) -> Any:
    return live_server


@pytest.fixture
def demo(db: None) -> None:
    """One demo patient with 30 days of diary (and the demo clinicians); a test file may need more."""
    call_command("demo", patients=1, days=30, stdout=io.StringIO())


@pytest.fixture
def axe_watch_under_test() -> None:
    """Asked for by the one test of the watch itself (it plants a violation): no outer watch."""


@pytest.fixture(autouse=True)
def _no_accessibility_violations(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every browser test is also an accessibility test (docs/accessibility.md): axe-core checks
    each page state it visits (every load and every HTMX swap, on any page it opens) against
    WCAG 2.1 A and AA, and the test fails on any violation, with axe's report."""
    uses_browser = {"page", "browser", "context"} & set(request.fixturenames)
    if not uses_browser or "axe_watch_under_test" in request.fixturenames:
        yield
        return
    watch = AxeWatch()
    with installed(watch):
        if "page" in request.fixturenames:
            watch.watch(request.getfixturevalue("page"))
        yield
        watch.check_pending()  # the state the test ended on
    assert watch.found == [], "\n\n".join(watch.found)


@pytest.fixture(autouse=True)
def _no_content_security_policy_violations(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every browser test also checks the strict CSP (docs/security.md): Chromium reports each
    blocked inline script, style or foreign resource on the console; none may appear."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    yield
    assert violations == [], violations
