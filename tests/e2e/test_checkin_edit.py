"""In real Chromium at 1280 px and 360 px: the patient records a check-in, changes it from the
history, then deletes another one after the confirmation page; the clinician sees "edited" and the
earlier values (issue 16). The shared axe watch (tests/e2e/axe_watch.py) checks every page state."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from painmind.diary.models import CheckIn, CheckInRevision
from tests.e2e.nav import WIDTHS, sign_in, sized

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(params=list(WIDTHS))
def browser_context_args(request, browser_context_args):
    width, height = WIDTHS[request.param]
    return sized(browser_context_args, width, height)


def record(page: Page, pain: str, mood: str) -> None:
    page.get_by_role("group", name="Pain (required)").get_by_text(pain, exact=True).click()
    page.get_by_role("group", name="Mood (required)").get_by_text(mood, exact=True).click()
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_text("Check-in saved. Thank you.")).to_be_visible()


def test_the_patient_edits_and_deletes_and_the_clinician_sees_the_edit(page: Page, live_server, pat, cara):
    base = live_server.url
    sign_in(page, base, pat.email)
    record(page, "7", "3")
    first = CheckIn.objects.get(patient=pat)
    page.goto(f"{base}/me/")
    page.get_by_role("link", name="Edit the check-in").first.click()
    expect(page.get_by_role("heading", name="Change your check-in")).to_be_visible()
    page.get_by_role("group", name="Pain (required)").get_by_text("4", exact=True).click()
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Check-in changed.")).to_be_visible()
    first.refresh_from_db()
    assert (first.pain, first.mood, first.edited_at is not None) == (4, 3, True)
    (before,) = CheckInRevision.objects.filter(checkin_id=first.pk)
    assert (before.kind, before.content["pain"], before.content["mood"]) == ("edit", 7, 3)  # as it was

    record(page, "9", "1")
    second = CheckIn.objects.exclude(pk=first.pk).get(patient=pat)
    page.goto(f"{base}/me/checkins/{second.pk}/delete/")
    expect(page.get_by_role("heading", name="Delete your check-in")).to_be_visible()
    assert CheckIn.objects.filter(pk=second.pk).exists()  # the page only asks
    page.get_by_role("button", name="Delete this check-in").click()
    expect(page.get_by_text("Check-in deleted.")).to_be_visible()
    assert list(CheckIn.objects.filter(patient=pat).values_list("pk", flat=True)) == [first.pk]

    page.context.clear_cookies()  # sign the patient out
    sign_in(page, base, cara.email)
    page.goto(f"{base}/clinician/patients/{pat.pk}/diary/")
    expect(page.locator(".edited").first).to_contain_text("edited")
    page.get_by_role("link", name="earlier values").first.click()
    expect(page.get_by_role("main")).to_contain_text("7")
