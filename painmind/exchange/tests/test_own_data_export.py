"""Download my data: the zip through the web, the API and the CLI, each CSV with the right rows."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from painmind.accounts.models import AuditAction, AuditEvent

# Hand-listed, so a file dropped from the zip fails here.
FILES = {
    "README.txt",
    "account.csv",
    "checkins.csv",
    "checkin_edits.csv",
    "questionnaire_responses.csv",
    "medicines.csv",
    "medicine_changes.csv",
    "doses.csv",
    "side_effects.csv",
    "care_plan_goals.csv",
    "care_plan_interventions.csv",
    "care_plan_changes.csv",
    "thought_records.csv",
    "pacing_plans.csv",
    "pacing_sessions.csv",
    "relaxation_sessions.csv",
    "activities.csv",
    "lifestyle.csv",
    "tool_sharing.csv",
    "reminders.csv",
    "consents.csv",
    "share_links.csv",
    "invitations.csv",
    "api_tokens.csv",
    "access_log.csv",
    "fhir_bundle.json",  # patients only
}


def tables(content: bytes, files: set[str] = FILES) -> dict[str, list[dict[str, str]]]:
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        assert set(zf.namelist()) == files
        return {
            name: list(csv.DictReader(io.StringIO(zf.read(name).decode())))
            for name in zf.namelist()
            if name.endswith(".csv")
        }


def check_pats_tables(content: bytes, pat: Any, cara: Any) -> None:
    t = tables(content)
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        bundle = json.loads(zf.read("fhir_bundle.json"))
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert (bundle["resourceType"], kinds.count("Patient"), kinds.count("QuestionnaireResponse")) == ("Bundle", 1, 1)
    pains = sorted(
        e["resource"]["valueInteger"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Observation"
        and any(c.get("code") == "72514-3" for c in e["resource"]["code"]["coding"])  # pain NRS, §4
    )
    assert pains == [4, 6, 6]  # the three check-ins above (the edited one as it is now; not the deleted one)
    assert [r["email"] for r in t["account.csv"]] == ["pat@example.org"]
    assert sorted((r["pain"], r["mood"], r["note"]) for r in t["checkins.csv"]) == [
        ("4", "5", ""),
        ("6", "3", ""),  # recorded as 7, then edited
        ("6", "3", "bad back"),
    ]
    # What the edit and the deletion replaced, newest first: the deleted 9, then the 7 before the edit.
    edits = t["checkin_edits.csv"]
    assert [(r["kind"], json.loads(r["content"])["pain"], r["changed_by"]) for r in edits] == [
        ("delete", 9, "Pat Example"),
        ("edit", 7, "Pat Example"),
    ]
    edited = {r["id"] for r in t["checkins.csv"] if r["pain"] == "6" and not r["note"]}
    assert edits[1]["checkin_id"] in edited
    assert edits[0]["checkin_id"] not in {r["id"] for r in t["checkins.csv"]}
    assert "client_id" not in edits[0]
    (phq9,) = t["questionnaire_responses.csv"]
    assert (phq9["instrument"], float(phq9["total"])) == ("phq9", 8.0)  # eight items at 1, item 9 at 0
    assert [(r["name"], r["prescriber"] or r["created_by"]) for r in t["medicines.csv"]] == [
        ("Sertraline", "Dr Cara Lee")
    ]
    assert [r["status"] for r in t["doses.csv"]] == ["taken"]
    (sertraline,) = t["medicines.csv"]
    assert float(sertraline["dose"]) == 100
    changes = t["medicine_changes.csv"]  # cara added it at 50 mg, then changed the dose
    assert [(r["action"], r["actor_label"], r["regimen"]) for r in changes] == [
        ("update", "Dr Cara Lee", sertraline["id"]),
        ("create", "Dr Cara Lee", sertraline["id"]),
    ]
    assert [(float(c["old"]), float(c["new"])) for c in json.loads(changes[0]["changes"]) if c["field"] == "dose"] == [
        (50, 100)
    ]
    assert "actor" not in changes[0]
    assert [(r["kind"], r["severity"]) for r in t["side_effects.csv"]] == [("drowsiness", "6")]
    assert [r["description"] for r in t["care_plan_goals.csv"]] == ["Walk to the park"]
    assert [r["title"] for r in t["care_plan_interventions.csv"]] == ["CBT for pain"]  # not sam's
    (goal,) = t["care_plan_goals.csv"]
    (cbt,) = t["care_plan_interventions.csv"]
    plan = t["care_plan_changes.csv"]  # newest first; nothing from sam's plan
    assert [(r["object_type"], r["object_id"], r["action"], r["actor_label"]) for r in plan] == [
        ("intervention", cbt["id"], "create", "Dr Cara Lee"),
        ("goal", goal["id"], "update", "Pat Example"),
        ("goal", goal["id"], "create", "Pat Example"),
    ]
    renamed = [(c["old"], c["new"]) for c in json.loads(plan[1]["changes"]) if c["field"] == "description"]
    assert renamed == [("Walk to the park and back", "Walk to the park")]
    assert [r["situation"] for r in t["thought_records.csv"]] == ["Pain woke me at 4"]
    assert [r["activity"] for r in t["pacing_plans.csv"]] == ["Walking"]
    assert [r["done"] for r in t["pacing_sessions.csv"]] == ["16.00"]
    assert [r["minutes"] for r in t["relaxation_sessions.csv"]] == ["5"]
    assert [r["name"] for r in t["activities.csv"]] == ["Call Mum"]
    assert t["lifestyle.csv"] == []
    assert t["reminders.csv"] == []
    assert len(t["tool_sharing.csv"]) == 5  # one row per tool, chosen or default
    assert [r["clinician"] for r in t["consents.csv"]] == ["Dr Cara Lee"]
    assert [r["label"] for r in t["share_links.csv"]] == ["GP"]
    assert len(t["invitations.csv"]) == 1
    assert "code_digest" not in t["invitations.csv"][0]
    assert "phone" in [r["name"] for r in t["api_tokens.csv"]]
    assert "digest" not in t["api_tokens.csv"][0]
    log = t["access_log.csv"]
    # cara's reads and writes (and, from the CLI, the operator's export itself)
    assert cara.email in {r["actor_label"] for r in log} <= {cara.email, "operator (command line)"}
    assert len(log) == AuditEvent.objects.filter(patient=pat).count()
    assert "ip" not in log[0]
    # Nothing of sam's anywhere (his name, address, note, or the intervention cara gave him).
    everything = str(t)
    for sams in ("sam@example.org", "Sam Other", "Sam's CBT", "sam's own note"):
        assert sams not in everything


def test_web_download_streams_the_zip_with_every_table(client, full_pat, cara):
    client.force_login(full_pat)
    page = client.get("/settings/my-data/")
    assert page.status_code == 200
    assert b"Download my data" in page.content
    assert b"/settings/my-data/" in client.get("/settings/").content
    before = AuditEvent.objects.count()
    r = client.post("/settings/my-data/")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/zip"
    assert r.streaming
    assert "attachment" in r["Content-Disposition"]
    content = b"".join(r.streaming_content)
    check_pats_tables(content, full_pat, cara)
    assert AuditEvent.objects.count() == before  # the person's own reads are not audited
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        readme = zf.read("README.txt").decode()
    for name in FILES - {"README.txt"}:
        assert name in readme
    assert "- pain:" in readme


def test_api_export_returns_the_same_tables(client, full_pat, cara, token_for):
    r = client.get("/api/v1/me/export", headers=token_for(full_pat))
    assert r.status_code == 200
    assert r["Content-Type"] == "application/zip"
    check_pats_tables(b"".join(r.streaming_content), full_pat, cara)
    assert client.get("/api/v1/me/export").status_code == 401


def test_a_clinicians_download_has_their_account_and_no_patient_rows(client, full_pat, cara):
    client.force_login(cara)
    t = tables(b"".join(client.post("/settings/my-data/").streaming_content), FILES - {"fhir_bundle.json"})
    assert [r["email"] for r in t["account.csv"]] == [cara.email]
    assert t["checkins.csv"] == []
    assert t["access_log.csv"] == []
    assert sorted(r["patient"] for r in t["consents.csv"]) == ["Pat Example", "Sam Other"]


def test_cli_export_writes_the_zip_and_is_audited(full_pat, cara, tmp_path):
    out = tmp_path / "pat.zip"
    call_command("export", "person", "PAT@example.org", "--out", str(out))
    check_pats_tables(out.read_bytes(), full_pat, cara)
    event = AuditEvent.objects.filter(patient=full_pat, action=AuditAction.EXPORT).get()
    assert (event.actor_id, event.via, event.object_type) == (None, "cli", "own_data")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody@example.org"], "no patient with email 'nobody@example.org'"),
        (["pat@example.org", "--out-dir-missing"], None),
    ],
)
def test_cli_export_refuses_bad_input(pat, tmp_path, args, message):
    if message is None:
        with pytest.raises(CommandError, match="--out: folder"):
            call_command("export", "person", "pat@example.org", "--out", str(tmp_path / "no" / "x.zip"))
    else:
        with pytest.raises(CommandError, match=re.escape(message)):
            call_command("export", "person", *args, "--out", str(tmp_path / "x.zip"))
    assert not list(tmp_path.iterdir())
