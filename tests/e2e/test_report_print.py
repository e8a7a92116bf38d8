"""In real Chromium: the report's printable page (the same template as the PDF) prints on one
page with its print stylesheet, on A4 and on Letter, and loads nothing the strict CSP blocks
(the autouse check in conftest) (issue 15)."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from painmind.accounts.models import User
from painmind.diary.models import QuestionnaireResponse
from painmind.ops.management.commands.demo import PASSWORD, PATIENT
from tests.e2e.nav import nav_link, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def report_demo(db):
    call_command("demo", patients=1, stdout=io.StringIO())  # 120 days, as `make demo`


def test_the_patient_prints_their_report_on_one_page(page: Page, live_server, report_demo):
    base = live_server.url
    patient = User.objects.get(email=PATIENT)
    latest = QuestionnaireResponse.objects.filter(patient=patient, instrument="phq9").first()
    assert latest is not None
    assert latest.total is not None
    sign_in(page, base, PATIENT, PASSWORD)
    nav_link(page, "My report").click()
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("Your PainMind summary")
    expect(main.get_by_role("link", name="Download as PDF")).to_be_visible()
    page.emulate_media(media="print")
    expect(main.get_by_role("link", name="Download as PDF")).to_be_hidden()  # screen-only
    for paper in ("A4", "Letter"):
        reader = PdfReader(io.BytesIO(page.pdf(format=paper, prefer_css_page_size=False)))
        assert len(reader.pages) == 1, paper
        text = re.sub(r"\s+", " ", reader.pages[0].extract_text())
        assert f"PHQ-9 {latest.total:g}" in text
