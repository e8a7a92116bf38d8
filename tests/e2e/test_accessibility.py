"""In real Chromium, as a keyboard and screen-reader user meets the forms (docs/accessibility.md).

axe runs on every state these tests visit through the shared fixture (tests/e2e/conftest.py);
here: a check-in with a pain location and a PHQ-9 done with the keyboard alone, the saved status
taking focus, and each scale option's accessible name carrying its anchor.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from conftest import PASSWORD
from painmind.diary.models import CheckIn, QuestionnaireResponse
from tests.e2e.nav import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

# The anchors as the check-in form defines them (core/checkin.py SCALES), written out here.
ANCHORS = {
    "Pain": ("no pain", "worst imaginable"),
    "Mood": ("very low", "very good"),
    "Pain got in the way of daily life": ("not at all", "completely"),
    "Anxiety": ("none", "extreme"),
    "Stress": ("none", "extreme"),
    "Sleep quality": ("very poor", "very good"),
    "Social contact": ("none", "a lot"),
}


def tab_to(page: Page, target: Locator, limit: int = 80) -> None:
    """Press Tab until `target` has focus: it is reachable from the keyboard, in order."""
    for _ in range(limit):
        if target.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{target} not reached with {limit} presses of Tab")


def test_keyboard_only_checkin_with_a_location_then_a_phq9(page: Page, live_server, pat):
    page.goto(f"{live_server.url}/login/")
    tab_to(page, page.get_by_label("Email"))
    page.keyboard.type(pat.email)
    tab_to(page, page.get_by_label("Password"))
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="How are you today?")).to_be_visible()
    # Radio groups: Tab enters at the first option, the arrow keys choose.
    tab_to(page, page.get_by_role("radio", name="0, no pain"))
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    tab_to(page, page.get_by_role("radio", name="0, very low"))
    for _ in range(8):
        page.keyboard.press("ArrowRight")
    tab_to(page, page.get_by_role("main").locator("summary").filter(has_text="More (optional)"))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("checkbox", name="Lower back"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Save check-in"))
    page.keyboard.press("Enter")
    # HTMX swapped the panel: focus is on the announced status, not lost to <body>.
    status = page.get_by_role("status")
    expect(status).to_have_text("Check-in saved. Thank you.")
    expect(status).to_be_focused()
    entry = CheckIn.objects.get(patient=pat)
    assert (entry.pain, entry.mood, entry.pain_locations) == (2, 8, ["lower_back"])

    tab_to(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Questionnaires"))
    page.keyboard.press("Enter")
    tab_to(page, page.locator('a[href$="/measures/phq9/"]'))
    page.keyboard.press("Enter")
    answers = [1, 0, 2, 0, 3, 1, 0, 0, 0]  # item 9 "Not at all": no crisis page in this test
    for number, answer in enumerate(answers, start=1):
        item = page.locator(f"#q-phq9-{number}")
        tab_to(page, item.get_by_role("radio").first)
        page.keyboard.press("Space")  # the first option, "Not at all"
        for _ in range(answer):
            page.keyboard.press("ArrowDown")
    tab_to(page, page.get_by_role("button", name="Submit answers"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile("your result"))).to_be_visible()
    status = page.get_by_role("status")
    expect(status).to_have_text("Your answers were saved.")
    expect(status).to_be_focused()  # on a full page too (the browser's autofocus)
    response = QuestionnaireResponse.objects.get(patient=pat, instrument="phq9")
    assert response.total == sum(answers)


def test_each_scale_option_is_named_with_its_anchor(page: Page, live_server, pat):
    sign_in(page, live_server.url, pat.email)
    page.get_by_text("More (optional)").click()
    for label, (low, high) in ANCHORS.items():
        group = page.get_by_role("group", name=re.compile(f"^{re.escape(label)}( \\(required\\))?$"))
        # The accessibility tree as a screen reader gets it: one line per option, `- radio "<name>"`.
        names = re.findall(r'- radio "([^"]+)"', group.aria_snapshot())
        assert names == [f"0, {low}", *map(str, range(1, 10)), f"10, {high}"], label
        anchors = f"^0 means {re.escape(low)}, 10 means {re.escape(high)}"
        expect(group).to_have_accessible_description(re.compile(anchors))
    expect(page.get_by_role("group", name="Pain (required)")).to_have_accessible_description(
        re.compile("A higher number is worse")
    )
    expect(page.get_by_role("group", name="Mood (required)")).to_have_accessible_description(
        re.compile(re.escape("A higher number is better (the other way round from pain)"))
    )


def test_the_watch_checks_each_state_and_reports_a_violation(page: Page, live_server, pat, axe_watch_under_test):
    """The shared fixture's machinery on its own: a load and an HTMX swap are each checked, and an
    unlabelled field (WCAG 1.3.1/4.1.2, axe rule "label") is reported with its URL."""
    from tests.e2e.axe_watch import AxeWatch, installed

    watch = AxeWatch()
    with installed(watch):
        watch.watch(page)
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Email").fill(pat.email)  # checks the login page before acting on it
        assert (watch.checked, watch.found) == (1, [])
        page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<input type=text>')")
        page.evaluate("document.dispatchEvent(new Event('htmx:afterSettle'))")  # as HTMX does after a swap
        page.wait_for_function("true")  # let the binding's call reach Python
        page.get_by_label("Password").fill(PASSWORD)
    assert watch.checked == 2
    assert len(watch.found) == 1
    assert watch.found[0].startswith(f"{live_server.url}/login/ (after an HTMX swap):")
    assert "label" in watch.found[0]
