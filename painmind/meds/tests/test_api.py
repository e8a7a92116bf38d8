"""The meds API through the real HTTP stack: patient and clinician entry, idempotent doses,
alerts raised and resolved as the regimen changes, field errors, the outsider's 404."""

from __future__ import annotations

import io
import uuid
from datetime import timedelta
from typing import Any

from django.core.management import call_command
from django.utils import timezone

from painmind.accounts.audit import Actor
from painmind.accounts.models import AuditEvent
from painmind.meds.actions import do_add_regimen, do_stop_regimen
from painmind.meds.models import DoseLog, Regimen, RegimenChange, SideEffect
from painmind.safety.models import Alert, AlertKind

OXY = {
    "name": "Oxycodone",
    "dose": 10,
    "dose_unit": "mg",
    "schedule": "times_a_day",
    "times_per_day": 2,
    "reason": "pain",
}
DIAZ = {
    "name": "Diazepam",
    "dose": 5,
    "dose_unit": "mg",
    "schedule": "times_a_day",
    "times_per_day": 1,
    "reason": "anxiety",
}


def post(client: Any, url: str, headers: dict[str, str], body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json", headers=headers)


def field_errors(response: Any) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for err in response.json()["errors"]:
        out.setdefault(err["field"], []).append(err["message"])
    return out


def test_patient_adds_and_lists(client, pat, token_for):
    h = token_for(pat)
    r = post(client, "/api/v1/meds/regimens", h, OXY)
    assert r.status_code == 201, r.content
    assert (r.json()["generic"], r.json()["dose"]) == ("oxycodone", "10")
    listed = client.get("/api/v1/meds/regimens", headers=h).json()
    assert [x["name"] for x in listed] == ["Oxycodone"]


def test_field_errors_are_named_and_nothing_is_stored(client, pat, token_for):
    h = token_for(pat)
    r = post(client, "/api/v1/meds/regimens", h, {**OXY, "dose": -1, "times_per_day": None, "reason": "x"})
    assert r.status_code == 422
    assert set(field_errors(r)) == {"dose", "times_per_day", "reason"}
    r = post(client, "/api/v1/meds/regimens", h, {**OXY, "colour": "red"})
    assert r.status_code == 422
    assert "colour" in field_errors(r)
    assert not Regimen.objects.exists()


def test_opioid_plus_benzo_alert_raised_then_resolved_when_stopped(client, pat, cara, token_for):
    h = token_for(pat)
    post(client, "/api/v1/meds/regimens", h, OXY)
    assert not Alert.objects.filter(kind=AlertKind.MEDICATION).exists()
    diazepam = post(client, "/api/v1/meds/regimens", h, DIAZ).json()
    alert = Alert.objects.get(kind=AlertKind.MEDICATION)
    assert (alert.key, alert.severity, alert.resolved_at) == ("R1_opioid_plus_benzo", "warning", None)
    assert "FDA boxed warning 2016-08-31" in alert.detail
    assert client.get("/api/v1/meds/check", headers=h).json() == {
        "notes": [
            "Some of your medicines can add to each other's drowsiness. "
            "Please talk to your prescriber before changing anything."
        ]
    }
    clinician = client.get(f"/api/v1/patients/{pat.pk}/meds/check", headers=token_for(cara)).json()
    assert [hit["rule_id"] for hit in clinician["rules"]] == ["R1_opioid_plus_benzo"]
    assert clinician["mme_per_day"] == 30  # 10 mg × 2 × 1.5 (§2.1; the reference's worked example)
    r = post(client, f"/api/v1/meds/regimens/{diazepam['id']}/stop", h, {})
    assert r.status_code == 200, r.content
    alert.refresh_from_db()
    assert alert.resolved_at is not None
    assert alert.acknowledged_at is None


def test_mme_threshold_alert_follows_a_dose_change(client, pat, token_for):
    h = token_for(pat)
    oxy = post(client, "/api/v1/meds/regimens", h, OXY).json()  # 30 MME/day
    r = client.patch(f"/api/v1/meds/regimens/{oxy['id']}", {"dose": 20}, content_type="application/json", headers=h)
    assert r.status_code == 200, r.content  # 20 × 2 × 1.5 = 60 ≥ 50
    assert list(Alert.objects.open().values_list("key", flat=True)) == ["R4_mme_50"]
    client.patch(f"/api/v1/meds/regimens/{oxy['id']}", {"dose": 15}, content_type="application/json", headers=h)
    assert not Alert.objects.open().exists()  # 15 × 2 × 1.5 = 45
    assert RegimenChange.objects.filter(action="update").count() == 2


def test_clinician_entry_and_outsider_404(client, pat, cara, olga, token_for):
    r = post(client, f"/api/v1/patients/{pat.pk}/meds/regimens", token_for(cara), {**OXY, "prescriber": cara.pk})
    assert r.status_code == 201, r.content
    assert AuditEvent.objects.filter(actor=cara, object_type="regimen", action="create").exists()
    rid = r.json()["id"]
    o = token_for(olga)
    assert post(client, f"/api/v1/patients/{pat.pk}/meds/regimens", o, OXY).status_code == 404
    assert client.get(f"/api/v1/patients/{pat.pk}/meds/regimens", headers=o).status_code == 404
    assert client.get(f"/api/v1/patients/{pat.pk}/meds/check", headers=o).status_code == 404
    assert (
        client.patch(
            f"/api/v1/meds/regimens/{rid}", {"dose": 1}, content_type="application/json", headers=o
        ).status_code
        == 404
    )
    assert post(client, f"/api/v1/meds/regimens/{rid}/doses", o, {"status": "taken", "slot": 1}).status_code == 404
    assert (
        post(client, f"/api/v1/patients/{pat.pk}/meds/side-effects", o, {"kind": "nausea", "severity": 3}).status_code
        == 404
    )
    assert Regimen.objects.count() == 1
    assert Regimen.objects.get().dose == 10


def test_dose_replay_is_idempotent(client, pat, token_for):
    h = token_for(pat)
    rid = post(client, "/api/v1/meds/regimens", h, OXY).json()["id"]
    body = {"status": "taken", "slot": 1, "client_id": str(uuid.uuid4())}
    first = post(client, f"/api/v1/meds/regimens/{rid}/doses", h, body)
    again = post(client, f"/api/v1/meds/regimens/{rid}/doses", h, body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    clash = post(client, f"/api/v1/meds/regimens/{rid}/doses", h, {**body, "status": "skipped"})
    assert clash.status_code == 409
    assert clash.json()["existing_id"] == first.json()["id"]
    assert list(DoseLog.objects.values_list("status", flat=True)) == ["taken"]
    bad = post(client, f"/api/v1/meds/regimens/{rid}/doses", h, {"status": "taken", "slot": 5})
    assert (bad.status_code, list(field_errors(bad))) == (422, ["slot"])


def test_side_effect_replay(client, pat, token_for):
    h = token_for(pat)
    body = {"kind": "drowsiness", "severity": 7, "client_id": str(uuid.uuid4())}
    assert post(client, "/api/v1/meds/side-effects", h, body).status_code == 201
    assert post(client, "/api/v1/meds/side-effects", h, body).status_code == 200
    assert post(client, "/api/v1/meds/side-effects", h, {**body, "severity": 2}).status_code == 409
    assert SideEffect.objects.count() == 1
    bad = post(client, "/api/v1/meds/side-effects", h, {"kind": "nausea", "severity": 11})
    assert (bad.status_code, list(field_errors(bad))) == (422, ["severity"])


def test_alert_pass_resolves_what_time_ended(pat):
    """A regimen stopped in the past (written straight to the table, as time passing would leave
    it) no longer fires on the periodic pass; a current combination is raised there too."""
    me = Actor(user=pat, via="web")
    today = timezone.localdate(timezone=pat.tzinfo)
    do_add_regimen(me, pat, {**OXY, "started_on": str(today - timedelta(days=30))})
    benzo = do_add_regimen(me, pat, {**DIAZ, "started_on": str(today - timedelta(days=30))})
    assert Alert.objects.open().filter(key="R1_opioid_plus_benzo").exists()
    Regimen.objects.filter(pk=benzo.pk).update(stopped_on=today - timedelta(days=1))
    call_command("alerts", stdout=io.StringIO())
    assert not Alert.objects.open().exists()
    assert Alert.objects.get().resolved_at is not None


def test_patch_mme_and_tramadol_maoi_is_critical_and_waits_for_a_note(pat):
    me = Actor(user=pat, via="web")
    today = timezone.localdate(timezone=pat.tzinfo)
    patch = {"name": "Fentanyl patch", "dose": "25", "dose_unit": "mcg/hr", "route": "transdermal"}
    do_add_regimen(me, pat, {**patch, "schedule": "times_a_day", "times_per_day": 1, "reason": "pain"})
    # 25 mcg/hr × 2.4 = 60 MME/day (§2.1: patches from mcg/hr, never via mg/day) → R4 (≥ 50)
    assert list(Alert.objects.open().values_list("key", "severity")) == [("R4_mme_50", "warning")]
    phenelzine = {"name": "Phenelzine", "dose": "15", "dose_unit": "mg", "schedule": "times_a_day", "times_per_day": 3}
    maoi = do_add_regimen(me, pat, {**phenelzine, "reason": "mood", "started_on": str(today - timedelta(days=40))})
    tramadol = {"name": "Tramadol", "dose": "50", "dose_unit": "mg", "schedule": "as_needed", "max_per_day": 4}
    do_add_regimen(me, pat, {**tramadol, "reason": "pain"})
    r5b = Alert.objects.open().get(key="R5b_maoi_contraindicated")
    assert r5b.severity == "critical"
    do_stop_regimen(me, maoi)  # stopped today: still inside the 14-day window
    assert Alert.objects.open().filter(key="R5b_maoi_contraindicated").exists()
    Regimen.objects.filter(pk=maoi.pk).update(stopped_on=today - timedelta(days=20))
    call_command("alerts", stdout=io.StringIO())
    r5b.refresh_from_db()
    assert r5b.resolved_at is None  # critical: waits for a clinician's note (docs/safety.md)
