"""In real Chromium: the patient adds a medicine that makes an opioid + benzodiazepine pair
(rule R1, clinical-reference §2.5); the clinician then finds them first on the panel."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from conftest import _user
from painmind.accounts.actions import do_grant_consent
from painmind.accounts.audit import Actor
from painmind.meds.actions import do_add_regimen
from painmind.meds.models import DoseLog, Regimen
from tests.e2e.nav import nav_link, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

OXY = {
    "name": "Oxycodone",
    "dose": "10",
    "dose_unit": "mg",
    "schedule": "times_a_day",
    "times_per_day": 2,
    "reason": "pain",
}


def test_patient_adds_a_benzodiazepine_and_the_clinician_sees_it_first(page: Page, live_server, pat, cara):
    base = live_server.url
    # Another of Cara's patients, first by name, with no alert: alerts sort Pat above them.
    aaron = _user("aaron@example.org", "patient", display_name="Aaron Able")
    do_grant_consent(Actor(user=aaron, via="web"), cara.email)
    do_add_regimen(Actor(user=pat, via="web"), pat, OXY)

    sign_in(page, base, pat.email)
    nav_link(page, "Medicines").click()
    expect(page.get_by_role("heading", name="Today's medicines")).to_be_visible()
    page.get_by_role("link", name="Add a medicine").first.click()
    page.get_by_label("Medicine").fill("Diazepam")
    page.get_by_label("Dose each time").fill("5")
    page.get_by_label("How often").select_option("times_a_day")
    page.get_by_label("Times a day").fill("1")
    page.get_by_label("What it is for").select_option("anxiety")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Diazepam added.")).to_be_visible()
    expect(page.get_by_role("note")).to_contain_text("Please talk to your prescriber before changing anything.")
    expect(page.locator("body")).not_to_contain_text("R1_opioid_plus_benzo")
    # One tap ticks this morning's oxycodone (HTMX swaps the list).
    oxy_row = page.locator("#today li", has_text="Oxycodone")
    oxy_row.locator("form", has_text="Dose 1").get_by_role("button", name="Taken").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    expect(page.locator("#today li", has_text="Oxycodone").locator(".sev")).to_have_text("taken")
    assert list(DoseLog.objects.values_list("regimen__name", "slot", "status")) == [("Oxycodone", 1, "taken")]
    assert Regimen.objects.get(name="Diazepam").generic == "diazepam"

    page.context.clear_cookies()
    sign_in(page, base, cara.email)
    expect(page.get_by_role("heading", name="Your patients")).to_be_visible()
    first_row = page.get_by_role("table").get_by_role("row").nth(1)  # row 0 is the header
    expect(first_row.get_by_role("rowheader")).to_have_text("Pat Example")
    expect(first_row).to_contain_text("opioid + benzodiazepine")
    page.get_by_label("medication risk").check()
    expect(page.get_by_role("table")).not_to_contain_text("Aaron Able")
    first_row.get_by_role("link", name="Pat Example").click()
    medicines = page.get_by_role("region", name="Medicines")
    expect(medicines).to_contain_text("30 MME/day")  # 10 mg × 2 × 1.5 (§2.1 worked example)
    expect(medicines).to_contain_text("R1_opioid_plus_benzo")
