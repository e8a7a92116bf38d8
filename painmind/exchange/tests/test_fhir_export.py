"""FHIR export: the Bundle validates as R4B for a patient with every kind of data; who may
download it (the patient, a consenting clinician; 404 otherwise) and the audit trail."""

from __future__ import annotations

import json
from typing import Any

from django.core.management import call_command
from fhir.resources.R4B.bundle import Bundle

from painmind.accounts.models import AuditEvent
from painmind.exchange.tests.fhir_data import fill


def kinds(bundle: dict[str, Any]) -> list[str]:
    return [e["resource"]["resourceType"] for e in bundle["entry"]]


def test_own_bundle_has_every_kind_and_validates(client: Any, pat: Any, cara: Any, token_for: Any) -> None:
    fill(pat, cara)
    response = client.get("/api/v1/fhir", headers=token_for(pat))
    assert response.status_code == 200
    bundle = response.json()
    Bundle.model_validate(bundle)
    # 3 responses each with a total, 2 check-ins with 4 and 3 values, 1 regimen, 2 goals, 1 plan.
    assert sorted(set(kinds(bundle))) == ["CarePlan", "Goal", "MedicationStatement", "Observation", "Patient",
                                          "QuestionnaireResponse"]  # fmt: skip
    assert kinds(bundle).count("QuestionnaireResponse") == 3
    assert kinds(bundle).count("Observation") == 3 + 4 + 3
    assert kinds(bundle).count("Goal") == 2
    (plan,) = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "CarePlan"]
    assert plan["activity"][0]["detail"]["description"] == "CBT for pain"
    patient = bundle["entry"][0]["resource"]
    assert "name" not in patient
    assert "pat@example.org" not in json.dumps(bundle)
    # The patient's own download is not an audit event (only others' reads are).
    assert not AuditEvent.objects.filter(patient=pat).exclude(actor=cara).exists()


def test_name_only_when_asked(client: Any, pat: Any, token_for: Any) -> None:
    bundle = client.get("/api/v1/fhir?name=true", headers=token_for(pat)).json()
    assert bundle["entry"][0]["resource"]["name"] == [{"text": "Pat Example"}]


def test_consenting_clinician_gets_it_audited(client: Any, pat: Any, cara: Any, token_for: Any) -> None:
    fill(pat)
    response = client.get(f"/api/v1/patients/{pat.pk}/fhir", headers=token_for(cara))
    assert response.status_code == 200
    Bundle.model_validate(response.json())
    export = AuditEvent.objects.get(patient=pat, actor=cara, action="export", object_type="fhir_bundle")
    assert export.detail.startswith(f"{len(response.json()['entry'])} resources")


def test_clinician_without_consent_gets_404(client: Any, pat: Any, olga: Any, token_for: Any) -> None:
    fill(pat)
    response = client.get(f"/api/v1/patients/{pat.pk}/fhir", headers=token_for(olga))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(actor=olga).exists()


def test_cli_export_to_a_file(pat: Any, tmp_path: Any) -> None:
    fill(pat)
    out = tmp_path / "pat.json"
    call_command("export", "fhir", "pat@example.org", "--out", str(out))
    bundle = json.loads(out.read_text())
    Bundle.model_validate(bundle)
    assert kinds(bundle).count("QuestionnaireResponse") == 3
    assert AuditEvent.objects.filter(patient=pat, actor=None, action="export", object_type="fhir_bundle").count() == 1
