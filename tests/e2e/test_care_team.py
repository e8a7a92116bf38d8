"""In real Chromium, on the demo cohort: the care team's day, end to end (issue 5).

The demo clinician signs in, finds the demo patient's critical alert first on the panel,
acknowledges it with a note, edits a care-plan goal and signs out; the demo patient then
sees the changed goal (and who changed it) and the clinician's views in "Who viewed my data".
"""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from painmind.accounts.models import User
from painmind.careplan.models import Goal, PlanChange
from painmind.ops.management.commands.demo import CLINICIAN, PASSWORD, PATIENT
from painmind.safety.models import Alert
from tests.e2e.nav import nav_link, sign_in, sign_out

pytestmark = pytest.mark.django_db(transaction=True)

DEMO_PATIENT_NAME = "Alex Demo"
NOTE = "Phoned Alex: safe, plan agreed, seen tomorrow."


@pytest.fixture
def demo(db):
    # Five patients over 40 days: enough for every story (two GAD-7s, a flare's 28-day baseline).
    call_command("demo", patients=4, days=40, stdout=io.StringIO())


def test_clinician_acknowledges_and_edits_the_plan_then_the_patient_sees_it(page: Page, live_server, demo):
    base = live_server.url
    patient = User.objects.get(email=PATIENT)
    goal = Goal.objects.get(patient=patient, measure="peg")
    assert (goal.comparator, goal.target) == ("le", Decimal("4.0"))

    # The panel: the demo patient's critical alert puts them in the first row.
    sign_in(page, base, CLINICIAN, PASSWORD)
    expect(page.get_by_role("heading", name="Your patients")).to_be_visible()
    first_row = page.get_by_role("table").get_by_role("row").nth(1)  # row 0 is the header
    expect(first_row.get_by_role("rowheader")).to_have_text(DEMO_PATIENT_NAME)
    expect(first_row).to_contain_text("1 critical")
    expect(first_row).to_contain_text("PHQ-9 item 9")

    # The patient page: acknowledge the critical alert with a note.
    first_row.get_by_role("link", name=DEMO_PATIENT_NAME).click()
    expect(page.get_by_role("heading", name=DEMO_PATIENT_NAME, level=1)).to_be_visible()
    alerts = page.get_by_role("region", name="Open alerts")
    critical = alerts.get_by_role("listitem").filter(has_text="PHQ-9 item 9")
    critical.get_by_label("Note (required)").fill(NOTE)
    critical.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_text("Alert acknowledged.")).to_be_visible()
    expect(page.get_by_role("region", name="Open alerts")).not_to_contain_text("PHQ-9 item 9")
    alert = Alert.objects.get(patient=patient, kind="self_harm")
    assert alert.acknowledged_at is not None
    assert alert.acknowledged_by == User.objects.get(email=CLINICIAN)
    assert alert.acknowledgement_note == NOTE

    # The care plan: the PEG goal's target goes from ≤ 4 to ≤ 3.
    page.get_by_role("link", name="Care plan", exact=True).click()
    expect(page.get_by_role("heading", name=f"Care plan: {DEMO_PATIENT_NAME}")).to_be_visible()
    page.get_by_role("link", name="Edit goal “Pain getting in the way less”").click()
    expect(page.get_by_role("heading", name="Edit goal")).to_be_visible()
    page.get_by_label("Target value").fill("3")
    page.get_by_role("button", name="Save goal").click()
    expect(page.get_by_role("heading", name=f"Care plan: {DEMO_PATIENT_NAME}")).to_be_visible()
    goal.refresh_from_db()
    assert goal.target == Decimal("3.0")
    change = PlanChange.objects.filter(object_type="goal", object_id=goal.pk).order_by("-at", "-id").first()
    assert change is not None
    assert (change.actor_label, change.changes) == (
        "Dr Demo Clinician",
        [{"field": "target", "label": "Target", "old": "≤ 4", "new": "≤ 3"}],
    )
    sign_out(page)

    # The patient: the changed goal on "My care plan", with the change in its history.
    sign_in(page, base, PATIENT, PASSWORD)
    nav_link(page, "My care plan").click()
    expect(page.get_by_role("heading", name="My care plan")).to_be_visible()
    goal_item = page.get_by_role("listitem").filter(has_text="Pain getting in the way less").first
    expect(goal_item).to_contain_text("target ≤ 3")
    history = page.get_by_role("region", name="History").get_by_role("listitem").first
    expect(history).to_contain_text("Dr Demo Clinician (clinician, Pain medicine) changed goal")
    expect(history).to_contain_text("Target: ≤ 4 → ≤ 3")

    # "Who viewed my data", two taps away: Sharing, then the link.
    nav_link(page, "Sharing").click()
    page.get_by_role("link", name="Who viewed my data").click()
    expect(page.get_by_role("heading", name="Who viewed my data")).to_be_visible()
    log = page.get_by_role("table")
    by_clinician = log.get_by_role("row").filter(has_text="Dr Demo Clinician")
    expect(by_clinician.filter(has_text="viewed your overview page").first).to_be_visible()
    expect(by_clinician.filter(has_text="acknowledged an alert")).to_have_count(1)
    expect(log.get_by_role("row").filter(has_text="Dr Nia Okafor").first).to_be_visible()


def test_panel_fits_a_phone(browser, live_server, demo):
    context = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True)
    page = context.new_page()
    sign_in(page, live_server.url, CLINICIAN, PASSWORD)
    expect(page.get_by_role("heading", name="Your patients")).to_be_visible()
    expect(page.get_by_role("link", name=DEMO_PATIENT_NAME)).to_be_visible()
    # Nothing wider than the phone: no sideways scrolling of the page.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()
