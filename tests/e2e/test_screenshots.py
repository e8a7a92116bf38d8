"""The four pages people look at first, at 1280 px and 360 px, photographed from the demo.

In `make test` the pictures go to a temporary folder and the test checks each page rendered
whole at its width (an image, as wide as the viewport, taller than a screen for the long
pages). `make screenshots` sets PAINMIND_SCREENSHOTS to docs/screenshots, refreshing the
committed pictures the README shows (issue 16).
"""

from __future__ import annotations

import io
import os
import struct
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from painmind.accounts.models import User
from painmind.ops.management.commands.demo import CLINICIAN, PASSWORD, PATIENT
from tests.e2e.nav import WIDTHS, sign_in, sized

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(params=list(WIDTHS))
def browser_context_args(request, browser_context_args):
    width, height = WIDTHS[request.param]
    return sized(browser_context_args, width, height)


@pytest.fixture
def demo(db):
    # `make screenshots`: the whole demo `make demo` serves (21 patients, so the site's cohort priors
    # exist and My cycle reads as it does there). In `make test`: the demo patient and one other,
    # 120 days, enough for My cycle to say something, at a tenth of the loading time.
    others = 20 if os.environ.get("PAINMIND_SCREENSHOTS") else 2
    call_command("demo", patients=others, days=120, stdout=io.StringIO())


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    chosen = os.environ.get("PAINMIND_SCREENSHOTS")
    path = Path(chosen) if chosen else tmp_path
    path.mkdir(parents=True, exist_ok=True)
    return path


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk (bytes 16-24), read independently of Playwright."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def shoot(page: Page, folder: Path, name: str) -> Path:
    width = page.viewport_size["width"] if page.viewport_size else 0
    path = folder / f"{name}-{'phone' if width < 1024 else 'desktop'}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def test_the_four_first_pages_render_whole_at_both_widths(page: Page, live_server, demo, folder):
    base = live_server.url
    width, height = page.viewport_size["width"], page.viewport_size["height"]  # type: ignore[index]
    shots = []
    sign_in(page, base, PATIENT, PASSWORD)
    expect(page.get_by_role("heading", name="How are you today?")).to_be_visible()
    shots.append(shoot(page, folder, "patient-home"))
    page.get_by_text("More (optional)").click()
    expect(page.get_by_role("group", name="Sleep quality")).to_be_visible()
    page.get_by_role("group", name="Pain (required)").get_by_text("4", exact=True).click()
    page.get_by_role("group", name="Mood (required)").get_by_text("6", exact=True).click()
    shots.append(shoot(page, folder, "checkin"))
    page.goto(f"{base}/me/cycle/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    shots.append(shoot(page, folder, "my-cycle"))
    page.context.clear_cookies()
    sign_in(page, base, CLINICIAN, PASSWORD)
    patient = User.objects.get(email=PATIENT)
    page.goto(f"{base}/clinician/patients/{patient.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(patient.display_name)
    shots.append(shoot(page, folder, "clinician-patient"))
    for path in shots:
        w, h = png_size(path)
        assert w == width, path.name  # nothing wider than the screen
        assert h >= height, path.name
