"""FHIR import: validated whole before any write, a dry run, atomic, idempotent, every PHQ-9
through diary's recording action (item-9 alert once), and the round trip export → import →
export. Runs on SQLite and PostgreSQL alike."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from painmind.accounts.actions import do_create_user
from painmind.accounts.audit import Actor
from painmind.accounts.models import AuditEvent
from painmind.core.fhir import BundleError
from painmind.diary.models import CheckIn, QuestionnaireResponse
from painmind.exchange.fhir.export import patient_bundle
from painmind.exchange.fhir.imports import do_import_fhir_bundle
from painmind.exchange.tests.fhir_data import PHQ9_ITEM9_POSITIVE, T0, fill
from painmind.safety.models import Alert

LA = {0: "LA6568-5", 1: "LA6569-3", 2: "LA6570-1", 3: "LA6571-9"}  # clinical-reference §1.1


def phq9_bundle(answers: list[int], authored: str = "2025-01-15T09:30:00Z") -> dict[str, Any]:
    """A Bundle as another system would write it, by hand (§4.2): one PHQ-9 response."""
    items = [
        {"linkId": f"phq9-{n}", "answer": [{"valueCoding": {"system": "http://loinc.org", "code": LA[v]}}]}
        for n, v in enumerate(answers, start=1)
    ]
    qr = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": "https://painmind.example.org/fhir/Questionnaire/phq9",
        "status": "completed",
        "authored": authored,
        "item": items,
    }
    return {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": qr}]}


def checkin_obs(code: dict[str, str], value: dict[str, Any], at: str = "2025-01-15T20:00:00Z") -> dict[str, Any]:
    return {"resource": {"resourceType": "Observation", "status": "final", "code": {"coding": [code]},
                         "effectiveDateTime": at, **value}}  # fmt: skip


PAIN = {"system": "http://loinc.org", "code": "72514-3"}
MOOD = {"system": "https://painmind.example.org/fhir/CodeSystem/checkin", "code": "mood"}


def self_harm_alerts(patient: Any) -> list[Alert]:
    return list(Alert.objects.filter(patient=patient, kind="self_harm"))


def test_item9_positive_phq9_raises_one_alert_even_imported_twice(pat: Any, cara: Any) -> None:
    me = Actor(user=pat, via="web")
    bundle = phq9_bundle(PHQ9_ITEM9_POSITIVE)
    report = do_import_fhir_bundle(me, pat, bundle)
    assert (report.responses_new, report.responses_present) == (1, 0)
    (response,) = QuestionnaireResponse.objects.filter(patient=pat)
    assert response.item9 == "positive"
    assert response.total == 8  # 1+0+2+0+3+0+1+0+1, by hand
    assert len(self_harm_alerts(pat)) == 1
    again = do_import_fhir_bundle(me, pat, copy.deepcopy(bundle))
    assert (again.responses_new, again.responses_present) == (0, 1)
    assert QuestionnaireResponse.objects.filter(patient=pat).count() == 1
    assert len(self_harm_alerts(pat)) == 1


def test_dry_run_reports_and_writes_nothing(pat: Any) -> None:
    bundle = phq9_bundle([0] * 9)
    bundle["entry"] += [checkin_obs(PAIN, {"valueInteger": 6}), checkin_obs(MOOD, {"valueInteger": 4})]
    report = do_import_fhir_bundle(Actor(user=pat, via="web"), pat, bundle, dry_run=True)
    assert report.to_dict()["responses"] == {"new": 1, "already_present": 0}
    assert report.to_dict()["checkins"] == {"new": 1, "already_present": 0}
    assert not QuestionnaireResponse.objects.exists()
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize(
    ("change", "where"),
    [
        # R4B itself refuses an element R4 does not have (the model, before PainMind's rules).
        (lambda b: b["entry"][2]["resource"].update(painLevel=3), "entry[2].resource.painLevel"),
        # R4B's model takes any code; PainMind refuses one outside the R4 value set.
        (lambda b: b["entry"][2]["resource"].update(status="bogus"), "entry[2].resource.status"),
        # Valid R4B but not a check-in value PainMind can store: pain 11.
        (lambda b: b["entry"][1]["resource"].update(valueInteger=11), "entry[1].resource.valueInteger"),
        # An answer code that is not PHQ-9's.
        (lambda b: b["entry"][0]["resource"]["item"][8]["answer"][0]["valueCoding"].update(code="LA0000-0"),
         "entry[0].resource.item[8].answer[0].valueCoding"),
        # A response dated in the future.
        (lambda b: b["entry"][0]["resource"].update(authored="2999-01-01T00:00:00Z"), "entry[0].resource.authored"),
    ],
)  # fmt: skip
def test_malformed_bundle_writes_nothing(pat: Any, change: Any, where: str) -> None:
    # A positive item 9 in the file: if anything were written before the error, an alert would be too.
    bundle = phq9_bundle(PHQ9_ITEM9_POSITIVE)
    bundle["entry"] += [checkin_obs(PAIN, {"valueInteger": 6}), checkin_obs(MOOD, {"valueInteger": 4})]
    change(bundle)
    with pytest.raises(BundleError) as caught:
        do_import_fhir_bundle(Actor(user=pat, via="web"), pat, bundle)
    assert where in caught.value.errors
    assert not QuestionnaireResponse.objects.exists()
    assert not CheckIn.objects.exists()
    assert not Alert.objects.exists()


def _same(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    """The imported kinds (QuestionnaireResponses, Observations) with ids and references taken out."""
    text = json.dumps([e["resource"] for e in bundle["entry"]
                       if e["resource"]["resourceType"] in ("QuestionnaireResponse", "Observation")])  # fmt: skip
    text = re.sub(r'"(Patient|QuestionnaireResponse)/[0-9a-f-]{36}"', r'"\1/-"', text)
    resources: list[dict[str, Any]] = json.loads(text)
    for r in resources:
        r.pop("id")
    return resources


def test_round_trip_export_import_export(pat: Any, cara: Any) -> None:
    fill(pat, cara)
    first = patient_bundle(Actor(user=pat, via="web"), None)
    fresh = do_create_user("new@example.org", "x-long-enough-password-1", role="patient", check_password=False)
    report = do_import_fhir_bundle(Actor(user=fresh, via="web"), fresh, json.loads(json.dumps(first)))
    assert (report.responses_new, report.checkins_new) == (3, 2)
    second = patient_bundle(Actor(user=fresh, via="web"), None)
    assert _same(second) == _same(first)
    assert len(_same(first)) == 3 + 3 + 4 + 3
    # Importing the export again adds nothing.
    again = do_import_fhir_bundle(Actor(user=fresh, via="web"), fresh, json.loads(json.dumps(first)))
    assert (again.responses_new, again.checkins_new, again.responses_present, again.checkins_present) == (0, 0, 3, 2)
    assert CheckIn.objects.filter(patient=fresh).count() == 2
    assert QuestionnaireResponse.objects.filter(patient=fresh).count() == 3


def test_api_import_with_dry_run_and_errors(client: Any, pat: Any, token_for: Any) -> None:
    bundle = phq9_bundle([1] * 9)
    dry = client.post("/api/v1/fhir?dry_run=true", bundle, content_type="application/json", headers=token_for(pat))
    assert dry.status_code == 200
    assert dry.json()["responses"] == {"new": 1, "already_present": 0}
    assert not QuestionnaireResponse.objects.exists()
    done = client.post("/api/v1/fhir", bundle, content_type="application/json", headers=token_for(pat))
    assert done.status_code == 200
    assert done.json()["dry_run"] is False
    assert QuestionnaireResponse.objects.get(patient=pat).total == 9
    bundle["entry"][0]["resource"]["authored"] = "yesterday"
    bad = client.post("/api/v1/fhir", bundle, content_type="application/json", headers=token_for(pat))
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "entry[0].resource.authored"
    assert QuestionnaireResponse.objects.count() == 1


def test_cli_import(pat: Any, tmp_path: Any, capsys: Any) -> None:
    path = tmp_path / "b.json"
    path.write_text(json.dumps(phq9_bundle([1] * 9)))
    call_command("import", "fhir", str(path), "--user", "pat@example.org", "--dry-run")
    assert "would import 1 questionnaire responses" in capsys.readouterr().out
    assert not QuestionnaireResponse.objects.exists()
    call_command("import", "fhir", str(path), "--user", "pat@example.org")
    assert QuestionnaireResponse.objects.get(patient=pat).entered_by is None
    event = AuditEvent.objects.get(patient=pat, object_type="fhir_import")
    assert event.actor is None
    path.write_text("{not json")
    with pytest.raises(CommandError, match=r"^file: not JSON"):
        call_command("import", "fhir", str(path), "--user", "pat@example.org")
    path.write_text(json.dumps(phq9_bundle([1] * 9, authored="2025-01-15")))
    with pytest.raises(CommandError, match=r"^nothing imported: entry\[0\]\.resource\.authored"):
        call_command("import", "fhir", str(path), "--user", "pat@example.org")


def test_first_import_time_stays_the_response_time(pat: Any) -> None:
    do_import_fhir_bundle(Actor(user=pat, via="web"), pat, phq9_bundle([0] * 9))
    assert QuestionnaireResponse.objects.get(patient=pat).completed_at == T0
