"""In real Chromium: the demo patient's cycle read by the patient (second person), by a clinician
and through a share link (third person), each with the one honest finding the demo diary holds
(issue 11)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from painmind.accounts.actions import do_create_share_link
from painmind.accounts.audit import Actor
from painmind.accounts.models import User
from painmind.ops.management.commands.demo import CLINICIAN, PASSWORD, PATIENT
from tests.e2e.nav import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

FINDING_YOU = "After nights when your sleep was 1 point better, your pain that day tended to be lower"
FINDING_THEM = "After nights when their sleep was 1 point better, their pain that day tended to be lower"


@pytest.fixture
def cycle_demo(db):
    call_command("demo", patients=1, stdout=io.StringIO())  # 120 days, as `make demo`


def test_the_patient_the_clinician_and_a_share_link_read_the_cycle_in_their_voice(page: Page, live_server, cycle_demo):
    base = live_server.url
    patient = User.objects.get(email=PATIENT)

    sign_in(page, base, PATIENT, PASSWORD)
    page.goto(f"{base}/me/cycle/")
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", name="Linked with better days")).to_be_visible()
    expect(main).to_contain_text(FINDING_YOU)
    expect(main).to_contain_text("not proof")
    main.get_by_role("link", name="How we worked this out").click()
    expect(page.get_by_role("heading", name="How we worked this out")).to_be_visible()
    page.context.clear_cookies()  # sign out

    sign_in(page, base, CLINICIAN, PASSWORD)
    page.goto(f"{base}/clinician/patients/{patient.pk}/cycle/")
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("Alex Demo's pain–mood cycle")
    expect(main).to_contain_text(FINDING_THEM)
    expect(main).not_to_contain_text("your pain")
    expect(main).not_to_contain_text("your mood")

    _, token = do_create_share_link(Actor(user=patient, via="web"), label="Physio", scopes=["cycle"], days=7)
    page.goto(f"{base}/s/{token}/")
    main = page.get_by_role("main")
    expect(main).to_contain_text(FINDING_THEM)
    expect(main).not_to_contain_text("your pain")
