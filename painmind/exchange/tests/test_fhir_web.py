"""FHIR on the web: the patient's download and upload (check, then import); the clinician's
download from the patient page (consent) and 404 without it."""

from __future__ import annotations

import json
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from fhir.resources.R4B.bundle import Bundle

from painmind.accounts.models import AuditEvent
from painmind.diary.models import QuestionnaireResponse
from painmind.exchange.tests.fhir_data import PHQ9_ITEM9_POSITIVE, fill
from painmind.exchange.tests.test_fhir_import import phq9_bundle
from painmind.safety.models import Alert


def upload(data: object) -> SimpleUploadedFile:
    return SimpleUploadedFile("b.json", json.dumps(data).encode(), content_type="application/json")


def test_patient_downloads_own_bundle(client: Any, pat: Any) -> None:
    fill(pat)
    client.force_login(pat)
    page = client.get("/me/fhir/")
    assert page.status_code == 200
    assert b'href="/me/fhir/bundle.json"' in page.content
    response = client.get("/me/fhir/bundle.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    assert "attachment" in response["Content-Disposition"]
    Bundle.model_validate(json.loads(response.content))


def test_patient_checks_then_imports(client: Any, pat: Any, cara: Any) -> None:
    client.force_login(pat)
    checked = client.post("/me/fhir/", {"bundle": upload(phq9_bundle(PHQ9_ITEM9_POSITIVE)), "dry_run": "on"})
    assert checked.status_code == 200
    assert b"Importing would add\n  1 questionnaire response and 0 check-ins" in checked.content
    assert not QuestionnaireResponse.objects.exists()
    done = client.post("/me/fhir/", {"bundle": upload(phq9_bundle(PHQ9_ITEM9_POSITIVE))})
    assert done.status_code == 200
    assert QuestionnaireResponse.objects.filter(patient=pat).count() == 1
    assert Alert.objects.filter(patient=pat, kind="self_harm").count() == 1


def test_bad_upload_names_the_entry_and_writes_nothing(client: Any, pat: Any) -> None:
    client.force_login(pat)
    bad = phq9_bundle(PHQ9_ITEM9_POSITIVE, authored="2025-01-15")
    response = client.post("/me/fhir/", {"bundle": upload(bad)})
    assert response.status_code == 422
    assert b"<code>entry[0].resource.authored</code>" in response.content
    not_json = client.post("/me/fhir/", {"bundle": SimpleUploadedFile("b.json", b"{nope")})
    assert not_json.status_code == 422
    assert b"the file is not JSON" in not_json.content
    assert not QuestionnaireResponse.objects.exists()
    assert not Alert.objects.exists()


def test_clinician_downloads_from_the_patient_page(client: Any, pat: Any, cara: Any) -> None:
    fill(pat)
    client.force_login(cara)
    page = client.get(f"/clinician/patients/{pat.pk}/")
    assert f'href="/clinician/patients/{pat.pk}/fhir.json"'.encode() in page.content
    response = client.get(f"/clinician/patients/{pat.pk}/fhir.json")
    assert response.status_code == 200
    Bundle.model_validate(json.loads(response.content))
    assert AuditEvent.objects.filter(patient=pat, actor=cara, action="export", object_type="fhir_bundle").count() == 1


def test_clinician_without_consent_gets_404(client: Any, pat: Any, olga: Any) -> None:
    client.force_login(olga)
    assert client.get(f"/clinician/patients/{pat.pk}/fhir.json").status_code == 404
    assert client.get("/me/fhir/").status_code == 404  # not a patient: no diary to import into
