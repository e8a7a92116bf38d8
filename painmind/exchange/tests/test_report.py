"""The one-page report: one page on both papers for a full year of everything, the latest PHQ-9
and the MME in its text, the patient's own version, 404 without consent, the audit row."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys

import pytest
from pypdf import PdfReader

from painmind.accounts.models import AuditEvent
from painmind.exchange.tests.report_helpers import PHQ9_LAST_TOTAL, full_year, pdf_pages_and_text

PDF = "/clinician/patients/{}/report.pdf"


@pytest.fixture
def year(pat, cara):
    full_year(pat, cara)
    return pat


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize(("paper", "size"), [("A4", (595, 842)), ("Letter", (612, 792))])
def test_a_full_year_is_one_page_with_the_latest_phq9_and_the_mme(client, settings, year, cara, paper, size):
    settings.REPORT_PAPER = paper
    client.force_login(cara)
    r = client.get(PDF.format(year.pk) + "?days=365")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"].startswith('attachment; filename="painmind-report-')
    n, text = pdf_pages_and_text(r.content)
    assert n == 1
    box = PdfReader(io.BytesIO(r.content)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == size  # points: A4 210x297 mm, Letter 8.5x11 in
    words = _words(text)
    assert "PHQ-9 15" in words, words  # the latest PHQ-9, scored by hand in report_helpers
    assert "item 9 positive" in words
    assert "30 MME/day" in words  # clinical-reference §2.1 worked example
    assert "R1" in words  # opioid + benzodiazepine (§2.5)
    assert "Pat Example" in words
    assert words.index("Self-harm answer") < words.index("Medication safety")  # self-harm first
    assert "Mood lifting" in words


def test_the_clinician_read_is_audited_and_seen_by_the_patient(client, year, cara):
    client.force_login(cara)
    assert client.get(PDF.format(year.pk)).status_code == 200
    event = AuditEvent.objects.get(patient=year, object_type="report")
    assert (event.actor_id, event.action, event.via, event.detail) == (cara.pk, "export", "web", "pdf, 90 days")
    assert client.get(f"/clinician/patients/{year.pk}/report/?days=28").status_code == 200
    page = AuditEvent.objects.filter(patient=year, object_type="report").latest("id")
    assert (page.action, page.detail) == ("view", "html, 28 days")
    client.force_login(year)
    log = client.get("/me/access-log/").content.decode()
    assert "downloaded your one-page report (PDF)" in log
    assert "viewed your one-page report" in log


def test_a_clinician_without_consent_gets_404_and_nothing_is_audited(client, pat, olga):
    client.force_login(olga)
    for url in (PDF.format(pat.pk), f"/clinician/patients/{pat.pk}/report/"):
        assert client.get(url).status_code == 404
    assert not AuditEvent.objects.filter(patient=pat).exists()


def test_a_patient_gets_their_own_plain_language_report_and_not_anothers(client, year, cara):
    client.force_login(year)
    r = client.get("/report.pdf")
    assert r.status_code == 200
    n, text = pdf_pages_and_text(r.content)
    words = _words(text)
    assert n == 1
    assert "Your PainMind summary" in words
    assert f"PHQ-9 {PHQ9_LAST_TOTAL}" in words
    assert "MME" not in words  # the care team's safety check, not the patient's
    assert "Open alerts" not in words
    assert not AuditEvent.objects.filter(patient=year, object_type="report").exists()  # own reads are not audited
    assert client.get(PDF.format(year.pk)).status_code == 404  # the clinician's route is for clinicians


def test_the_printable_page_is_the_same_template_with_the_print_stylesheet(client, year, cara):
    client.force_login(cara)
    r = client.get(f"/clinician/patients/{year.pk}/report/")
    assert r.status_code == 200
    html = r.content.decode()
    assert 'href="/static/painmind/report' in html
    assert "Latest scores" in html
    assert f'href="/clinician/patients/{year.pk}/report.pdf?days=90"' in html
    assert '<svg class="chart report-chart"' in html


def test_a_bad_period_is_refused_naming_the_field(client, pat, cara):
    client.force_login(cara)
    r = client.get(PDF.format(pat.pk) + "?days=7")
    assert r.status_code == 400
    assert r.content.decode() == "days: must be one of 28, 90, 365\n"
    assert not AuditEvent.objects.filter(patient=pat, object_type="report").exists()


def test_api_report_for_a_clinician_and_for_oneself(client, year, cara, olga, token_for):
    r = client.get(f"/api/v1/patients/{year.pk}/report.pdf", headers=token_for(cara))
    assert r.status_code == 200
    assert pdf_pages_and_text(r.content)[0] == 1
    assert AuditEvent.objects.filter(patient=year, object_type="report", via="api").count() == 1
    assert client.get(f"/api/v1/patients/{year.pk}/report.pdf", headers=token_for(olga)).status_code == 404
    own = client.get("/api/v1/report.pdf?days=28", headers=token_for(year))
    assert own.status_code == 200
    assert "Your PainMind summary" in _words(pdf_pages_and_text(own.content)[1])
    for huge in (2**63, -(2**63) - 1, -27971900055849824944128):  # no row has such an id: 404, never a 500
        assert client.get(f"/api/v1/patients/{huge}/report.pdf", headers=token_for(cara)).status_code == 404
    bad = client.get("/api/v1/report.pdf?days=8", headers=token_for(year))
    assert bad.status_code == 422
    assert bad.json()["errors"] == [{"field": "days", "message": "must be one of 28, 90, 365"}]


def test_the_care_patient_page_and_the_patient_nav_link_to_the_report(client, pat, cara):
    client.force_login(cara)
    html = client.get(f"/clinician/patients/{pat.pk}/").content.decode()
    assert f'href="/clinician/patients/{pat.pk}/report.pdf"' in html
    client.force_login(pat)
    assert 'href="/report/"' in client.get("/me/").content.decode()


@pytest.mark.parametrize(("value", "ok"), [("letter", True), ("B5", False)])
def test_the_paper_setting_takes_a4_or_letter_and_refuses_anything_else(value, ok):
    env = {**os.environ, "PAINMIND_REPORT_PAPER": value}
    code = "import config.settings as s; print(s.REPORT_PAPER)"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    if ok:
        assert done.stdout.strip() == "Letter"
    else:
        assert done.returncode != 0
        assert "PAINMIND_REPORT_PAPER must be A4 or Letter, got 'B5'" in done.stderr
