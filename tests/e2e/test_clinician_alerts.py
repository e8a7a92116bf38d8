"""In real Chromium at 1280 px and 360 px, on the demo: the clinician filters the alert list,
opens the answers behind the critical alert, and acknowledges two of the patient's alerts with
one note (issue 16). axe-core runs on every page state visited, with zero violations allowed."""

from __future__ import annotations

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import Page, expect

from painmind.accounts.models import AuditEvent, User
from painmind.ops.management.commands.demo import CLINICIAN, PASSWORD, PATIENT
from painmind.safety.models import Alert
from tests.e2e.nav import WIDTHS, sign_in, sized

pytestmark = pytest.mark.django_db(transaction=True)

DEMO_PATIENT_NAME = "Alex Demo"
NOTE = "Phoned Alex: safe; plan agreed; seen tomorrow."


@pytest.fixture
def demo(db):
    call_command("demo", patients=2, days=40, stdout=io.StringIO())


@pytest.fixture(params=list(WIDTHS))
def browser_context_args(request, browser_context_args):
    width, height = WIDTHS[request.param]
    return sized(browser_context_args, width, height)


def axe_violations(page: Page, state: str) -> list[str]:
    results = Axe().run(page)
    return [] if results.violations_count == 0 else [f"{state} ({page.url}):\n{results.generate_report()}"]


def no_sideways_scroll(page: Page) -> None:
    width = page.viewport_size["width"] if page.viewport_size else 0
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_clinician_filters_reads_the_answers_and_acknowledges_two_alerts_with_one_note(page: Page, live_server, demo):
    base = live_server.url
    patient = User.objects.get(email=PATIENT)
    open_alerts = list(Alert.objects.open().filter(patient=patient).by_urgency())
    assert open_alerts[0].kind == "self_harm"
    assert len(open_alerts) >= 2
    found: list[str] = []

    sign_in(page, base, CLINICIAN, PASSWORD)
    page.goto(f"{base}/clinician/alerts/")
    expect(page.get_by_role("heading", name="Open alerts", level=1)).to_be_visible()

    # Filter: critical alerts of the demo patient.
    page.get_by_label("Severity").select_option("critical")
    page.get_by_label("Patient").select_option(label=DEMO_PATIENT_NAME)
    page.get_by_role("button", name="Show").click()
    alerts = page.locator("ul.alerts > li")
    expect(alerts).to_have_count(1)
    critical = alerts.first
    expect(critical).to_contain_text("PHQ-9 item 9")
    expect(critical).to_contain_text("answered")
    no_sideways_scroll(page)
    found += axe_violations(page, "alerts filtered to critical")

    # The answers behind it, in words.
    critical.get_by_role("link", name="see the answers").first.click()
    expect(page.get_by_role("heading", name="PHQ-9", level=1)).to_contain_text("answered")
    item9 = page.get_by_role("row").filter(has_text="better off dead")
    expect(item9).to_be_visible()
    answer = item9.get_by_role("cell").nth(2)
    # A PHQ-9 answer label (clinical-reference §1.1) or "left blank", never a bare digit.
    assert answer.inner_text().strip() in {"Several days", "More than half the days", "Nearly every day", "left blank"}
    no_sideways_scroll(page)
    found += axe_violations(page, "the answers behind the critical alert")

    # Back to the list, every open alert of this patient: tick two, one note, acknowledge.
    page.goto(f"{base}/clinician/alerts/?patient={patient.pk}")
    first, second = open_alerts[0], open_alerts[1]
    for alert in (first, second):
        page.locator(f"#alert-{alert.pk}").get_by_label("Select").check()
    page.get_by_label("Note for the selected alerts").fill(NOTE)
    found += axe_violations(page, "two alerts selected")
    page.get_by_role("button", name="Acknowledge selected").click()
    expect(page.get_by_text("2 alerts acknowledged with one note.")).to_be_visible()
    for alert in (first, second):
        expect(page.locator(f"#alert-{alert.pk}")).to_have_count(0)
    no_sideways_scroll(page)
    found += axe_violations(page, "after acknowledging")

    clinician = User.objects.get(email=CLINICIAN)
    for alert in (first, second):
        alert.refresh_from_db()
        assert (alert.acknowledged_by, alert.acknowledgement_note) == (clinician, NOTE)
        assert (
            AuditEvent.objects.filter(object_type="alert", object_id=str(alert.pk), detail="acknowledged").count() == 1
        )

    # The history: both, with who acknowledged them and the note.
    page.get_by_label("Status").select_option("closed")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(f"#alert-{first.pk}")).to_contain_text("Acknowledged by Dr Demo Clinician on")
    expect(page.locator(f"#alert-{first.pk}")).to_contain_text(NOTE)
    found += axe_violations(page, "the closed history")

    # The patient page: alerts and plan beside the charts on a desktop, one column on a phone.
    page.goto(f"{base}/clinician/patients/{patient.pk}/")
    side, charts = page.locator("#alerts").bounding_box(), page.locator("#daily").bounding_box()
    assert side is not None
    assert charts is not None
    if page.viewport_size is not None and page.viewport_size["width"] >= 1024:
        assert charts["x"] >= side["x"] + side["width"]  # beside
        assert abs(charts["y"] - side["y"]) < 80
    else:
        assert charts["y"] > side["y"] + side["height"]  # below
    expect(page.locator("svg.pain-mood")).to_be_visible()
    no_sideways_scroll(page)
    found += axe_violations(page, "the patient page")
    assert not found, "\n\n".join(found)
