"""In real Chromium on a 360 px phone: after a hard-day check-in the patient takes the offer of a
short thought record and re-rates the feeling, then runs a 2-minute breathing session and
records tension and pain before and after (the form is submitted instead of waiting 2 minutes)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from painmind.accounts.audit import Actor
from painmind.diary.actions import do_record_checkin
from painmind.selfcare.models import RelaxationSession, ThoughtRecord
from tests.e2e.nav import phone, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def browser_context_args(browser_context_args):
    return phone(browser_context_args)


def no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_hard_day_thought_record_then_two_minute_breathing(page: Page, live_server, pat):
    actor = Actor(user=pat, via="web")
    now = timezone.now()
    for k in range(10, 0, -1):  # a usual month: pain 4, mood 6
        do_record_checkin(actor, pat, {"pain": 4, "mood": 6}, recorded_at=now - timedelta(days=k))
    sign_in(page, live_server.url, pat.email)
    page.get_by_role("group", name="Pain (required)").get_by_text("7", exact=True).click()
    page.get_by_role("group", name="Mood (required)").get_by_text("5", exact=True).click()
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_role("heading", name="A harder day than usual")).to_be_visible()  # pain 7 ≥ 4 + 2

    page.get_by_role("link", name="Try a short thought record").click()
    page.get_by_label("1. What happened?").fill("Pain woke me at 4")
    page.get_by_label("Feeling 1", exact=False).first.fill("Anxious")
    page.locator("#id_before_0").fill("80")
    page.get_by_label("Thought 1").fill("It's only going to get worse")
    page.locator("#id_belief_0").fill("90")
    page.get_by_label("4. A more balanced thought").fill("Nights like this have passed before")
    page.locator("#id_balanced_belief").fill("60")
    page.locator("#id_after_0").fill("55")
    no_sideways_scroll(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Thought record saved.")).to_be_visible()
    tr = ThoughtRecord.objects.get(patient=pat)
    assert (tr.form, tr.emotions[0]["before"], tr.emotions[0]["after"]) == ("five", 80, 55)

    page.goto(f"{live_server.url}/me/tools/")
    page.get_by_role("link", name="Relaxation").first.click()
    page.get_by_role("link", name="Slow breathing").click()
    page.get_by_label("Minutes", exact=True).select_option("2")
    page.get_by_role("button", name="Change").click()
    expect(page.get_by_role("timer")).to_contain_text("left")  # the JavaScript timer runs
    no_sideways_scroll(page)
    page.get_by_role("group", name="Before you start").get_by_label("Tension").fill("7")
    page.get_by_role("group", name="Before you start").get_by_label("Pain").fill("6")
    page.get_by_role("group", name="Now, after the session").get_by_label("Tension").fill("4")
    page.get_by_role("group", name="Now, after the session").get_by_label("Pain").fill("5")
    page.get_by_label("Minutes you breathed").fill("2")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text("Session saved.")).to_be_visible()
    expect(page.get_by_text("usually down 3 out of 10")).to_be_visible()  # tension 7 → 4
    s = RelaxationSession.objects.get(patient=pat)
    assert (s.kind, s.minutes, s.tension_before, s.tension_after, s.pain_before, s.pain_after) == (
        "breathing",
        2,
        7,
        4,
        6,
        5,
    )
