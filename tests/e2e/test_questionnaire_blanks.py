"""In real Chromium on a small phone: a PHQ-9 with item 9 left blank is asked about before it is saved."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from painmind.diary.models import QuestionnaireResponse
from painmind.safety.models import Alert
from tests.e2e.nav import phone, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def browser_context_args(browser_context_args):
    return phone(browser_context_args)


def test_blank_item9_is_confirmed_without_javascript_then_shows_the_crisis_block(page: Page, live_server, pat, cara):
    sign_in(page, live_server.url, pat.email)
    page.goto(f"{live_server.url}/me/measures/phq9/")
    groups = page.get_by_role("main").get_by_role("group")
    for i in range(8):
        groups.nth(i).get_by_label("Several days").check()
    page.get_by_role("button", name="Submit answers").click()

    expect(page.get_by_role("heading", name="You left 1 question blank")).to_be_visible()
    item9 = page.get_by_role("group", name="Thoughts that you would be better off dead", exact=False)
    expect(item9).to_contain_text("Did you mean to skip it?")
    # The answers given are kept, and nothing is saved or raised yet.
    expect(page.get_by_role("main").get_by_role("group").first.get_by_label("Several days")).to_be_checked()
    assert QuestionnaireResponse.objects.count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling

    page.get_by_role("link", name="Question 9").click()  # the summary links to the question
    item9.get_by_label("Yes, skip it").check()
    page.get_by_role("button", name="Save my answers").click()

    crisis = page.get_by_role("alert")
    expect(crisis.get_by_role("link", name="116 123")).to_have_attribute("href", "tel:116123")
    expect(crisis).to_contain_text("Nobody watches PainMind around the clock")
    assert QuestionnaireResponse.objects.get().item9 == "unknown"
    assert Alert.objects.filter(kind="self_harm", severity="critical").count() == 1
